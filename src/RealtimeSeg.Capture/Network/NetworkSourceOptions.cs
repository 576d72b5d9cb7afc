using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Network;

/// <summary>Options of a network stream (<c>rtsp://</c>, <c>http(s)://</c>, <c>udp://</c>, <c>srt://</c>; the <c>network:</c> section of a source).</summary>
public sealed record NetworkSourceOptions
{
    /// <summary>RTSP media transport. Default <see cref="NetworkTransport.Tcp"/>.</summary>
    public NetworkTransport Transport { get; init; } = NetworkTransport.Tcp;

    /// <summary>
    /// No frame for this long while one is awaited → the stream counts as lost: ffmpeg is killed and the source
    /// reconnects. Time spent waiting for a free slot in lockstep is not a stall. Default 5 s.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one connection attempt (probe, or ffmpeg's first frame) may take. Default 10 s.</summary>
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retry policy for an unreachable or lost stream.</summary>
    public ReconnectOptions Reconnect { get; init; } = new();

    /// <summary>Frame width delivered to the pipeline; with <see cref="Height"/>, skips probing the stream. 0 (default): the stream's own.</summary>
    public int Width { get; init; }

    /// <summary>Frame height delivered to the pipeline; 0 (default): the stream's own.</summary>
    public int Height { get; init; }

    /// <summary>The ffmpeg executable (its folder must also hold ffprobe when the size is probed). Default <c>ffmpeg</c> from PATH.</summary>
    public string Ffmpeg { get; init; } = "ffmpeg";

    /// <summary>Throws <see cref="ConfigurationException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Transport))
        {
            throw new ConfigurationException($"source option 'network.transport' is {(int)Transport}; expected tcp or udp");
        }
        if (StallTimeout < TimeSpan.FromMilliseconds(100))
        {
            throw new ConfigurationException($"source option 'network.stall_timeout' is {StallTimeout.TotalSeconds} s; expected at least 100ms");
        }
        if (OpenTimeout < TimeSpan.FromMilliseconds(100))
        {
            throw new ConfigurationException($"source option 'network.open_timeout' is {OpenTimeout.TotalSeconds} s; expected at least 100ms");
        }
        if (Width < 0 || Height < 0 || (Width == 0) != (Height == 0) || Width > 16384 || Height > 16384)
        {
            throw new ConfigurationException($"source options 'network.width'/'network.height' are {Width}x{Height}; give both (1…16384) or neither (the stream's own size)");
        }
        if (string.IsNullOrWhiteSpace(Ffmpeg))
        {
            throw new ConfigurationException("source option 'network.ffmpeg' is empty; expected the ffmpeg executable (default: ffmpeg from PATH)");
        }
        ArgumentNullException.ThrowIfNull(Reconnect);
        Reconnect.Validate();
    }
}
