using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture;

/// <summary>
/// The lifecycle every frame source shares: one capture loop on a dedicated background thread, stopped by the caller's
/// token or the source's own (dispose); the output channel is always completed (with the failure, if any) and the
/// returned task ends the same way — completed at the end of the stream, cancelled when stopped, faulted on failure.
/// </summary>
internal sealed class CaptureThread
{
    private readonly Func<CancellationToken, bool> _capture;
    private readonly ChannelWriter<FrameLease> _output;
    private readonly CancellationToken _callerToken;
    private readonly CancellationToken _stopToken;
    private readonly SourceCounters _counters;
    private readonly IPipelineLog _log;
    private readonly string _failurePrefix;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CaptureThread(Func<CancellationToken, bool> capture, ChannelWriter<FrameLease> output, SourceCounters counters, IPipelineLog log,
        string failurePrefix, CancellationToken stopToken, CancellationToken callerToken)
    {
        _capture = capture;
        _output = output;
        _callerToken = callerToken;
        _stopToken = stopToken;
        _counters = counters;
        _log = log;
        _failurePrefix = failurePrefix;
    }

    /// <summary>
    /// Starts <paramref name="capture"/> — which returns true when the stream ended and false when cancelled — on a new
    /// background thread named <paramref name="name"/>. Returns the thread (to join on dispose) and, in
    /// <paramref name="completion"/>, the task <c>RunAsync</c> returns.
    /// </summary>
    public static Thread Start(string name, Func<CancellationToken, bool> capture, ChannelWriter<FrameLease> output, SourceCounters counters,
        IPipelineLog log, string failurePrefix, out Task completion, CancellationToken stopToken, CancellationToken callerToken)
    {
        var run = new CaptureThread(capture, output, counters, log, failurePrefix, stopToken, callerToken);
        var thread = new Thread(static state => ((CaptureThread)state!).Execute()) { IsBackground = true, Name = name };
        thread.Start(run);
        completion = run._completion.Task;
        return thread;
    }

    /// <summary>
    /// The check every source makes before starting: a frame of <paramref name="bytesPerFrame"/> must fit a slot of
    /// <paramref name="pool"/>. When it does not, completes <paramref name="output"/> with the error and returns the
    /// faulted task <c>RunAsync</c> should return; otherwise returns null.
    /// </summary>
    public static Task? RejectIfSlotsTooSmall(FramePool pool, int bytesPerFrame, string source, int width, int height, ChannelWriter<FrameLease> output)
    {
        if (bytesPerFrame <= pool.SlotBytes)
        {
            return null;
        }
        var tooSmall = new ArgumentException(
            $"frame slots hold {pool.SlotBytes} bytes but {source} needs {bytesPerFrame} for a {width}x{height} frame; size the pool with FramePool.BytesForBgr for the largest stream",
            nameof(pool));
        output.TryComplete(tooSmall);
        return Task.FromException(tooSmall);
    }

    private void Execute()
    {
        Exception? failure = null;
        bool cancelled = false;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_callerToken, _stopToken);
            cancelled = !_capture(linked.Token);
        }
        catch (Exception ex)
        {
            failure = ex;
            _log.Error($"{_failurePrefix}: {ex.Message}");
        }
        finally
        {
            _output.TryComplete(failure);
            _counters.AssertInvariants();
            if (failure is not null)
            {
                _completion.TrySetException(failure);
            }
            else if (cancelled)
            {
                _completion.TrySetCanceled(_callerToken.IsCancellationRequested ? _callerToken : default);
            }
            else
            {
                _completion.TrySetResult();
            }
        }
    }
}
