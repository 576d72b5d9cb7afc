using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Tests.Synthetic;

/// <summary>The frame-source contract, for the synthetic drive opened through the factory.</summary>
public sealed class SyntheticFrameSourceContractTests : FrameSourceContractTests
{
    protected override IFrameSource OpenSource(SourceOptions options)
        => FrameSourceFactory.Open("synthetic:drive?seed=3&size=320x180&fps=30", 1, options, NullPipelineLog.Instance);
}
