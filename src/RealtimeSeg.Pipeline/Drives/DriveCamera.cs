using System.Diagnostics;
using System.Threading.Channels;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Pipeline.Runtime;

namespace RealtimeSeg.Pipeline.Drives;

/// <summary>
/// One camera of a playing drive: its recording (any frame source, opened in lockstep so it never drops and runs
/// only as far ahead as its small input queue), its timeline, the frame waiting to join a frame set, and the stream
/// it feeds. Used by the drive's player thread only, except the counters, which any thread may read.
/// </summary>
internal sealed class DriveCamera : IStreamInput
{
    /// <summary>Frames a camera's source may have decoded ahead of the player.</summary>
    private const int InputQueue = 2;

    private readonly IPipelineLog _log;
    private IFrameSource? _source;
    private HandOff<FrameLease>? _input;
    private Task? _running;
    private FrameLease _pending;
    private long _emitted;
    private long _unmatched;
    private long _missing;
    private long _corruptBefore;
    private long _copiedBefore;
    private long _droppedBefore;

    public DriveCamera(DriveCameraConfig config, int streamIndex, ChannelWriter<FrameLease> output, IPipelineLog log)
    {
        Config = config;
        StreamIndex = streamIndex;
        Output = output;
        _log = log;
    }

    /// <summary>Frame slots one camera can hold at once: its input queue, one being decoded, the pending one.</summary>
    public const int SlotsHeld = InputQueue + 2;

    public DriveCameraConfig Config { get; }
    public int StreamIndex { get; }
    public ChannelWriter<FrameLease> Output { get; }
    public DriveTimeline Timeline { get; private set; } = null!;

    public string Uri => Config.Uri;
    public int Width { get; private set; }
    public int Height { get; private set; }
    public double FramesPerSecond { get; private set; }

    public long FramesRead => Interlocked.Read(ref _emitted) + Interlocked.Read(ref _unmatched);

    /// <summary>Frames of this camera that matched no reference frame (too far from every reference time).</summary>
    public long FramesDroppedAtSource => Interlocked.Read(ref _unmatched) + _droppedBefore + (_source?.Counters.FramesDroppedNoSlot ?? 0);

    public long FramesCorrupt => _corruptBefore + (_source?.Counters.FramesCorrupt ?? 0);
    public long FramesCopied => _copiedBefore + (_source?.Counters.FramesCopied ?? 0);
    public long Reconnects => 0;
    public long ConnectFailures => 0;
    public string? LastError => Failure?.Message;
    public long FramesMissing => Interlocked.Read(ref _missing);

    /// <summary>A recorded camera has nothing to connect to: running once it has emitted a frame.</summary>
    public Core.StreamState State => Interlocked.Read(ref _emitted) > 0 ? Core.StreamState.Running : Core.StreamState.Connecting;

    public bool HasPending { get; private set; }
    public double PendingTime { get; private set; }

    /// <summary>No more frames this pass: the recording ended, its timestamps ran out, or it failed.</summary>
    public bool Ended { get; private set; }

    /// <summary>The camera's recording failed; its stream ended with this error and it stays out of the drive.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Opens the recording (start-up and at each loop). Throws <see cref="SourceUnavailableException"/> when it cannot.</summary>
    public void Open()
    {
        Debug.Assert(_source is null, "a camera is closed before it is opened again");
        // Lockstep: the camera never drops; the player decides what to skip, by time.
        var options = new SourceOptions { Pacing = Pacing.Lockstep };
        _source = FrameSourceFactory.Open(Config.Uri, StreamIndex, options, _log);
        if (Timeline is null)
        {
            Width = _source.Width;
            Height = _source.Height;
            FramesPerSecond = Config.Fps ?? _source.FramesPerSecond;
            Timeline = Config.Timestamps is null
                ? DriveTimeline.FromRate(FramesPerSecond, Config.OffsetSeconds)
                : DriveTimeline.FromTimestamps(DriveTimeline.ReadTimestamps(Config.Timestamps), Config.OffsetSeconds);
        }
        Ended = Failure is not null;
    }

    /// <summary>Starts the recording's capture into this camera's input queue; <paramref name="signal"/> wakes the player.</summary>
    public void Start(FramePool pool, Action signal, CancellationToken ct)
    {
        Debug.Assert(_source is not null && _running is null);
        _input = new HandOff<FrameLease>(InputQueue, HandOffMode.Wait, static lease => lease.Dispose());
        _running = _source.RunAsync(pool, new SignallingWriter<FrameLease>(_input.Writer, signal, signal), ct);
    }

    /// <summary>
    /// Makes sure a frame is pending, without waiting. True when one is; false when none has arrived yet (then
    /// <see cref="Ended"/> says whether one ever will).
    /// </summary>
    public bool TryFillPending()
    {
        if (HasPending)
        {
            return true;
        }
        if (Ended || _input is null)
        {
            return false;
        }
        ChannelReader<FrameLease> input = _input.Reader;
        if (input.TryRead(out FrameLease lease))
        {
            if (!Timeline.TryGetTime(lease.Metadata.Sequence, out double t))
            {
                lease.Dispose();
                _log.Warn($"drive camera {Config.Name}: the timestamps file has {Timeline.Length} lines but the recording has more frames; the rest are ignored");
                Ended = true;
                return false;
            }
            _pending = lease;
            PendingTime = t;
            HasPending = true;
            return true;
        }
        Task completion = input.Completion;
        if (completion.IsCompleted)
        {
            Ended = true;
            if (completion.IsFaulted)
            {
                Failure = completion.Exception!.InnerException ?? completion.Exception;
            }
        }
        return false;
    }

    /// <summary>The pending frame leaves the camera (to its stream); the caller owns it.</summary>
    public FrameLease TakePending()
    {
        Debug.Assert(HasPending);
        HasPending = false;
        FrameLease lease = _pending;
        _pending = default;
        Interlocked.Increment(ref _emitted);
        return lease;
    }

    /// <summary>The pending frame is skipped (before the start time, or too old for any frame set).</summary>
    public void DiscardPending(bool countAsUnmatched)
    {
        Debug.Assert(HasPending);
        HasPending = false;
        _pending.Dispose();
        _pending = default;
        if (countAsUnmatched)
        {
            Interlocked.Increment(ref _unmatched);
        }
    }

    public void CountMissing() => Interlocked.Increment(ref _missing);

    /// <summary>Stops the recording (its token was cancelled by the caller), returns every frame it held and closes it.</summary>
    public void Close()
    {
        if (_running is not null)
        {
            try
            {
                _running.Wait();
            }
            catch (AggregateException)
            {
                // Cancelled, or the failure already recorded through the input's completion.
            }
            _running = null;
        }
        if (HasPending)
        {
            DiscardPending(countAsUnmatched: false);
        }
        _input?.DrainAndRelease();
        _input = null;
        if (_source is not null)
        {
            _corruptBefore += _source.Counters.FramesCorrupt;
            _copiedBefore += _source.Counters.FramesCopied;
            _droppedBefore += _source.Counters.FramesDroppedNoSlot;
            _source.Dispose();
            _source = null;
        }
    }
}
