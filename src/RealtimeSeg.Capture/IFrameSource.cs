using System.Threading.Channels;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture;

/// <summary>
/// A stream of frames (a video file, an image sequence, a camera, a network stream, a generator) that fills frame
/// slots and hands them downstream. Opened by <see cref="FrameSourceFactory.Open"/>, which fails early with
/// <see cref="Core.SourceUnavailableException"/> when the source cannot be used; <see cref="RunAsync"/> then runs once.
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>The URI the source was opened with.</summary>
    string Uri { get; }

    /// <summary>The stream's index in the pipeline; stamped into every frame's metadata.</summary>
    int StreamIndex { get; }

    int Width { get; }
    int Height { get; }

    /// <summary>Nominal frame rate (what <see cref="Pacing.Realtime"/> paces at).</summary>
    double FramesPerSecond { get; }

    /// <summary>Frames in the source when it is finite and says so; null for live or unknown-length sources.</summary>
    long? FrameCount { get; }

    /// <summary>
    /// Captures until the end of the stream, <see cref="SourceOptions.MaxFrames"/>, or <paramref name="ct"/>, writing
    /// one lease per frame to <paramref name="output"/>. Ownership of every written lease passes to the reader, which
    /// disposes it; a lease the source could not hand over (cancelled, channel closed) it disposes itself.
    /// Always completes <paramref name="output"/> — with the exception when the run fails — and the returned task
    /// ends the same way (cancelled when <paramref name="ct"/> stopped it). Call once per source.
    /// </summary>
    Task RunAsync(FramePool pool, ChannelWriter<FrameLease> output, CancellationToken ct);

    /// <summary>Live counters; safe to read from any thread while the source runs.</summary>
    SourceCounters Counters { get; }
}
