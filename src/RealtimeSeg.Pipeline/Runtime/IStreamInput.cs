namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// What one stream's frames come from, as the pipeline reports it: a frame source of its own, or one camera of a
/// recorded drive. Every counter may be read from any thread while the stream runs.
/// </summary>
internal interface IStreamInput
{
    string Uri { get; }
    int Width { get; }
    int Height { get; }
    double FramesPerSecond { get; }

    /// <summary>Frames produced for this stream (delivered or dropped): its capture count.</summary>
    long FramesRead { get; }

    /// <summary>Frames lost before the capture ring (no free slot).</summary>
    long FramesDroppedAtSource { get; }

    long FramesCorrupt { get; }
    long FramesCopied { get; }
    long Reconnects { get; }

    /// <summary>Failed connection attempts of a network or device source (each followed by a retry); 0 for files.</summary>
    long ConnectFailures { get; }

    /// <summary>Why the source last failed to connect or lost its stream (credentials redacted), or null.</summary>
    string? LastError { get; }

    /// <summary>Connecting, running or reconnecting, as the source sees it (the pipeline adds ended and failed).</summary>
    Core.StreamState State { get; }

    /// <summary>Frame sets of a drive in which this camera had no frame within the alignment tolerance (0 for plain sources).</summary>
    long FramesMissing { get; }
}
