using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Something that fills the capture rings of one or more streams: a frame source (one stream) or a recorded drive
/// (one stream per camera, emitted together). <see cref="RunAsync"/> runs once and always completes the writers of all
/// its streams, with the exception when it fails; a failure ends only its own streams.
/// </summary>
internal interface IStreamProducer : IDisposable
{
    /// <summary>For the log: what is produced and for which streams.</summary>
    string Description { get; }

    Task RunAsync(FramePool pool, CancellationToken ct);
}
