using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Capture.Tests.Network;

/// <summary>One live RTSP server shared by the contract tests of a class (started lazily so skipped tests start nothing).</summary>
public sealed class RtspServerFixture : IDisposable
{
    private readonly Lazy<RtspTestServer> _server = new(() => RtspTestServer.Start("/contract"));

    public RtspTestServer Server => _server.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}
