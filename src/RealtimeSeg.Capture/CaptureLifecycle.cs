using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture;

/// <summary>
/// The part of <see cref="IFrameSource.RunAsync"/> and <see cref="IDisposable.Dispose"/> every thread-backed source
/// shares: run once, refuse slots too small for a frame, start the capture on its own thread, and on dispose cancel it
/// and join the thread before the source releases what the thread reads. One per source.
/// </summary>
internal sealed class CaptureLifecycle : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private int _started;

    /// <summary>True once <see cref="Stop"/> has run.</summary>
    public bool IsStopped { get; private set; }

    /// <summary>
    /// Starts <paramref name="capture"/> (true when the stream ended, false when cancelled) on a thread named
    /// <paramref name="threadName"/>, or returns the faulted task <see cref="CaptureThread.RejectIfSlotsTooSmall"/> gives.
    /// </summary>
    /// <param name="owner">The source, named by <see cref="ObjectDisposedException"/>.</param>
    /// <param name="uri">The source URI, for the run-once error.</param>
    /// <param name="location">How log and error lines name the source (path, safe URL, folder).</param>
    public Task Start(object owner, string uri, string location, FramePool pool, ChannelWriter<FrameLease> output, int bytesPerFrame,
        int width, int height, string threadName, Func<CancellationToken, bool> capture, SourceCounters counters, IPipelineLog log,
        string failurePrefix, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(IsStopped, owner);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"source '{uri}' has already run; open it again to read it again");
        }
        if (CaptureThread.RejectIfSlotsTooSmall(pool, bytesPerFrame, location, width, height, output) is { } rejected)
        {
            return rejected;
        }
        _thread = CaptureThread.Start(threadName, capture, output, counters, log, failurePrefix, out Task completion, _stop.Token, ct);
        return completion;
    }

    /// <summary>Cancels a running capture and waits for its thread; false when already stopped (dispose is idempotent).</summary>
    public bool Stop()
    {
        if (IsStopped)
        {
            return false;
        }
        IsStopped = true;
        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
        return true;
    }

    public void Dispose() => Stop();
}
