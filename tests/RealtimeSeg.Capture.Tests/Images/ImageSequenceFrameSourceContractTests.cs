using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Tests.Images;

/// <summary>The frame-source contract, for an image sequence made of real video frames.</summary>
public sealed class ImageSequenceFrameSourceContractTests : FrameSourceContractTests, IDisposable
{
    private readonly Lazy<ImageSequenceFolder> _folder = new(() => ImageSequenceFolder.FromVideo(32, i => $"{i:D4}.png"));

    protected override IFrameSource OpenSource(SourceOptions options)
        => FrameSourceFactory.Open("images:" + _folder.Value.Path, 1, options with { Images = options.Images with { Fps = 50 } }, NullPipelineLog.Instance);

    public void Dispose()
    {
        if (_folder.IsValueCreated)
        {
            _folder.Value.Dispose();
        }
    }
}
