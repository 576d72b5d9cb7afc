namespace RealtimeSeg.Core;

/// <summary>What is known about a captured frame besides its pixels.</summary>
/// <param name="StreamIndex">Index of the stream in the pipeline (0 for s0, …).</param>
/// <param name="Sequence">Frame number within the stream, from 0, counting every frame the source produced (dropped ones too).</param>
/// <param name="CaptureUtcNs">Wall-clock capture time, ns since the Unix epoch.</param>
/// <param name="CaptureMonotonicNs">Capture time on <see cref="MonotonicClock"/>, for latencies.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
public readonly record struct FrameMetadata(int StreamIndex, long Sequence, long CaptureUtcNs, long CaptureMonotonicNs, int Width, int Height)
{
    /// <summary>
    /// Presentation time of the frame in its video, image sequence, recording or drive, ns from the stream's start (a
    /// file's frame time, a drive's clock, a live stream's time since its first frame); -1 when the source does not know.
    /// Velocities and lost-track buffers are in this time base.
    /// </summary>
    public long MediaNs { get; init; } = -1;
}
