using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Capture.Tests;

/// <summary>The frame-source contract, for a real video file.</summary>
public sealed class FileFrameSourceContractTests : FrameSourceContractTests
{
    protected override IFrameSource OpenSource(SourceOptions options)
        => FrameSourceFactory.Open(TestAssets.UdacityCars, 1, options, NullPipelineLog.Instance);
}
