using RealtimeSeg.Capture.Network;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Tests.Network;

/// <summary>The frame-source contract, for a live H.264 stream from a real RTSP server on 127.0.0.1 (read over TCP).</summary>
public sealed class NetworkFrameSourceContractTests : FrameSourceContractTests, IClassFixture<RtspServerFixture>
{
    private readonly RtspServerFixture _fixture;

    public NetworkFrameSourceContractTests(RtspServerFixture fixture)
    {
        _fixture = fixture;
    }

    protected override IFrameSource OpenSource(SourceOptions options)
    {
        if (RealtimeSeg.TestSupport.RtspTestServer.UnavailableReason is { } reason)
        {
            // The contract's facts skip only without the assets; without GStreamer there is nothing to test against.
            throw new InvalidOperationException(reason);
        }
        // The size is given so each test skips the probe: the contract, not probing, is under test here.
        var network = new NetworkSourceOptions { Width = 320, Height = 240, StallTimeout = TimeSpan.FromSeconds(3) };
        return FrameSourceFactory.Open(_fixture.Server.Url, 2, options with { Network = network }, NullPipelineLog.Instance);
    }
}
