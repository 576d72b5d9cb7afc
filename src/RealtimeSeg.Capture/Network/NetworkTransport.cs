namespace RealtimeSeg.Capture.Network;

/// <summary>How an RTSP stream's media travels (ffmpeg's <c>-rtsp_transport</c>); other protocols ignore it.</summary>
public enum NetworkTransport
{
    /// <summary>RTP interleaved in the RTSP TCP connection: no loss on congested links and through NAT. The default.</summary>
    Tcp,

    /// <summary>RTP over UDP: lowest latency on a clean link, but a lost packet corrupts a frame.</summary>
    Udp,
}
