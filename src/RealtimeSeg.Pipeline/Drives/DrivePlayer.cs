using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Pipeline.Runtime;

namespace RealtimeSeg.Pipeline.Drives;

/// <summary>
/// Plays a recorded drive into the pipeline: one clock for all cameras, one frame set per reference frame. For each
/// reference frame at drive time T, every other camera skips its frames older than T − tolerance and joins the set
/// with its next frame when that is within T ± tolerance (otherwise it is counted missing for the set). The set is
/// emitted when due — realtime: at T / speed after the first set; max and lockstep: at once — and every frame of a
/// set carries the same sequence number and capture time, so subscribers can regroup the cameras.
/// <para>Runs on its own thread with blocking, allocation-free waits. A failing non-reference camera ends only its
/// own stream; a failing reference camera ends the drive (all its streams) with the error.</para>
/// </summary>
internal sealed class DrivePlayer : IStreamProducer
{
    // Further behind than this (a debugger pause, a stalled disk), the schedule restarts from now instead of bursting.
    private const long RestartWhenLateNs = 1_000_000_000;

    private readonly DriveConfig _drive;
    private readonly DriveCamera[] _cameras;
    private readonly int _reference;
    private readonly Pacing _pace;
    private readonly long _maxFrameSets;
    private readonly double _speed;
    private readonly double _start;
    private readonly double _end;
    private readonly bool _loop;
    private readonly double _tolerance;
    private readonly IPipelineLog _log;
    private readonly PacingClock _clock;
    private readonly AutoResetEvent _arrived = new(false);
    // Not disposed: a wait for room abandoned at a stop may still set it later from the thread pool.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification = "Must outlive an abandoned channel wait; holds no kernel handle until WaitHandle is first read, then only one.")]
    private readonly ManualResetEventSlim _room = new(initialState: false, spinCount: 0);
    private readonly Action _signal;
    private readonly Action _signalRoom;
    private long _sequence;
    private int _started;
    private bool _emittedInPass;

    private DrivePlayer(DriveConfig drive, PlaybackOptions overrides, DriveCamera[] cameras, Pacing pace, long maxFrameSets, IPipelineLog log, PacingClock clock)
    {
        _clock = clock;
        _drive = drive;
        _cameras = cameras;
        _reference = drive.ReferenceIndex;
        _pace = pace;
        _maxFrameSets = maxFrameSets;
        _log = log;
        _speed = overrides.Speed ?? drive.Playback.Speed ?? 1.0;
        _start = (overrides.Start ?? drive.Playback.Start ?? TimeSpan.Zero).TotalSeconds;
        TimeSpan? end = overrides.End ?? drive.Playback.End;
        _end = end?.TotalSeconds ?? double.PositiveInfinity;
        _loop = overrides.Loop ?? drive.Playback.Loop ?? false;
        _tolerance = drive.Tolerance.TotalSeconds;
        _signal = SignalArrival;
        _signalRoom = SignalRoom;
        if (_end <= _start)
        {
            throw new ConfigurationException($"drive {drive.Name}: end ({_end.ToString(CultureInfo.InvariantCulture)} s) must be after start ({_start.ToString(CultureInfo.InvariantCulture)} s)");
        }
        Description = $"drive {drive.Name}: {string.Join(", ", Array.ConvertAll(cameras, c => $"{c.Config.Name} = {c.Uri} ({c.Width}x{c.Height} @ {c.FramesPerSecond:0.##} fps)"))}; " +
                      $"reference {cameras[_reference].Config.Name}, tolerance {_tolerance * 1000:0.#} ms, start {_start:0.###} s" +
                      (double.IsPositiveInfinity(_end) ? "" : $", end {_end:0.###} s") + (pace == Pacing.Realtime ? $", speed ×{_speed:0.###}" : "") + (_loop ? ", looping" : "");
    }

    public string Description { get; }

    public IReadOnlyList<DriveCamera> Cameras => _cameras;

    /// <summary>Frame slots the drive holds besides its streams' capture rings.</summary>
    public int SlotsHeld => _cameras.Length * DriveCamera.SlotsHeld;

    /// <summary>
    /// Opens every camera (so a missing recording fails at start-up, exit 3) as streams
    /// <paramref name="firstStreamIndex"/>, +1, … writing to <paramref name="outputs"/> (by camera). Realtime pacing
    /// and the sets' capture times follow <paramref name="clock"/> (default: the monotonic clock; tests pass a virtual one).
    /// </summary>
    public static DrivePlayer Open(DriveConfig drive, PlaybackOptions overrides, int firstStreamIndex, ChannelWriter<FrameLease>[] outputs,
        Pacing pace, long maxFrameSets, IPipelineLog log, PacingClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(drive);
        Debug.Assert(outputs.Length == drive.Cameras.Count);
        var cameras = new DriveCamera[drive.Cameras.Count];
        try
        {
            for (int i = 0; i < cameras.Length; i++)
            {
                cameras[i] = new DriveCamera(drive.Cameras[i], firstStreamIndex + i, outputs[i], log);
                cameras[i].Open();
            }
            return new DrivePlayer(drive, overrides, cameras, pace, maxFrameSets, log, clock ?? PacingClock.Monotonic);
        }
        catch
        {
            foreach (DriveCamera? c in cameras)
            {
                c?.Close();
            }
            throw;
        }
    }

    public Task RunAsync(FramePool pool, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("a drive plays once");
        }
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => Execute(pool, completion, ct)) { IsBackground = true, Name = "drive " + _drive.Name };
        thread.Start();
        return completion.Task;
    }

    private void Execute(FramePool pool, TaskCompletionSource completion, CancellationToken ct)
    {
        Exception? failure = null;
        try
        {
            WaitHandle[] handles = [_arrived, ct.WaitHandle];
            while (true)
            {
                using var pass = CancellationTokenSource.CreateLinkedTokenSource(ct);
                foreach (DriveCamera c in _cameras)
                {
                    if (c.Failure is null)
                    {
                        c.Start(pool, _signal, pass.Token);
                    }
                }
                bool more = PlayPass(handles, ct);
                pass.Cancel();
                foreach (DriveCamera c in _cameras)
                {
                    c.Close();
                }
                if (!more || !_loop || ct.IsCancellationRequested)
                {
                    break;
                }
                if (!_emittedInPass)
                {
                    _log.Warn($"drive {_drive.Name}: no frame set between {_start:0.###} s and the end of the reference camera; not looping");
                    break;
                }
                _log.Info($"drive {_drive.Name}: looping from {_start:0.###} s (frame set {_sequence})");
                foreach (DriveCamera c in _cameras)
                {
                    if (c.Failure is null)
                    {
                        c.Open();
                    }
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
            _log.Error($"drive {_drive.Name}: {e.Message}");
        }
        finally
        {
            foreach (DriveCamera c in _cameras)
            {
                c.Close();
                c.Output.TryComplete(failure ?? c.Failure);
            }
            if (failure is not null)
            {
                completion.TrySetException(failure);
            }
            else
            {
                completion.TrySetResult();
            }
        }
    }

    /// <summary>Plays from the start time until the reference camera or the end time ends the pass. False when the run must stop (max frames, cancelled).</summary>
    private bool PlayPass(WaitHandle[] handles, CancellationToken ct)
    {
        DriveCamera reference = _cameras[_reference];
        double zero = double.NaN;
        double firstT = double.NaN;
        long originNs = 0;
        bool emittedAny = false;
        _emittedInPass = false;
        while (true)
        {
            if (!WaitForFrame(reference, handles, ct))
            {
                if (reference.Failure is not null)
                {
                    throw new SourceUnavailableException(reference.Uri, $"reference camera '{reference.Config.Name}' of drive {_drive.Name} failed: {reference.Failure.Message}", reference.Failure);
                }
                return !ct.IsCancellationRequested;
            }
            if (double.IsNaN(zero))
            {
                zero = reference.PendingTime;
            }
            double t = reference.PendingTime - zero;
            if (t < _start - 1e-9)
            {
                reference.DiscardPending(countAsUnmatched: false);
                continue;
            }
            if (t > _end + 1e-9)
            {
                return true;
            }
            double referenceTime = reference.PendingTime;
            for (int i = 0; i < _cameras.Length; i++)
            {
                if (i != _reference)
                {
                    AlignCamera(_cameras[i], referenceTime, emittedAny, handles, ct);
                }
            }
            if (ct.IsCancellationRequested)
            {
                return false;
            }
            if (_pace == Pacing.Realtime)
            {
                if (double.IsNaN(firstT))
                {
                    firstT = t;
                    originNs = _clock.NowNs();
                }
                long due = originNs + (long)((t - firstT) / _speed * 1e9);
                long now = _clock.NowNs();
                if (now - due > RestartWhenLateNs)
                {
                    originNs = now - (long)((t - firstT) / _speed * 1e9);
                }
                else if (!_clock.WaitUntil(due, ct))
                {
                    return false;
                }
            }
            if (!EmitSet(ct))
            {
                return false;
            }
            emittedAny = true;
            _emittedInPass = true;
            if (_maxFrameSets > 0 && _sequence >= _maxFrameSets)
            {
                return false;
            }
        }
    }

    /// <summary>Skips the camera's frames older than the reference time minus the tolerance; leaves a frame pending only when it is within the tolerance.</summary>
    private void AlignCamera(DriveCamera camera, double referenceTime, bool countSkipped, WaitHandle[] handles, CancellationToken ct)
    {
        while (WaitForFrame(camera, handles, ct))
        {
            double dt = camera.PendingTime - referenceTime;
            if (dt < -_tolerance)
            {
                // Before the first set (seeking to the start time), skipped frames are not a camera's fault.
                camera.DiscardPending(countAsUnmatched: countSkipped);
                continue;
            }
            return;
        }
        // The first time the failure is seen its stream ends with it; the drive goes on without the camera.
        if (camera.Failure is not null && camera.Output.TryComplete(camera.Failure))
        {
            _log.Error($"drive {_drive.Name}: camera {camera.Config.Name} failed ({camera.Failure.Message}); the other cameras go on");
        }
    }

    private bool EmitSet(CancellationToken ct)
    {
        long seq = _sequence++;
        long mono = _clock.NowNs();
        long utc = MonotonicClock.UtcNowNs();
        double referenceTime = _cameras[_reference].PendingTime;
        long mediaNs = (long)Math.Round(referenceTime * 1e9);
        for (int i = 0; i < _cameras.Length; i++)
        {
            DriveCamera c = _cameras[i];
            if (c.Failure is not null)
            {
                continue;
            }
            if (!c.HasPending || Math.Abs(c.PendingTime - referenceTime) > _tolerance)
            {
                c.CountMissing();
                continue;
            }
            FrameLease lease = c.TakePending();
            FrameMetadata m = lease.Metadata;
            // Every camera of the set carries the reference camera's drive time: the set's media time.
            lease.Metadata = new FrameMetadata(c.StreamIndex, seq, utc, mono, m.Width, m.Height) { MediaNs = mediaNs };
            if (!Write(c.Output, lease, ct))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Hands a frame to its stream: a drop-oldest ring always takes it; a full lockstep ring makes the drive sleep until
    /// the ring has room (woken by the channel, never polled) or the run stops. False (lease disposed) when stopped.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly",
        Justification = "A dedicated thread cannot await: the wait is observed once through a continuation and its result read only after it completed.")]
    private bool Write(ChannelWriter<FrameLease> output, FrameLease lease, CancellationToken ct)
    {
        WaitHandle[] handles = [_room.WaitHandle, ct.WaitHandle];
        while (!output.TryWrite(lease))
        {
            // Lockstep only (the pipeline's wait-mode ring is full): nothing is dropped, the drive waits for inference.
            _room.Reset();
            ValueTask<bool> room = output.WaitToWriteAsync(CancellationToken.None);
            if (!room.IsCompleted)
            {
                room.GetAwaiter().UnsafeOnCompleted(_signalRoom);
                if (WaitHandle.WaitAny(handles) != 0)
                {
                    lease.Dispose();
                    return false;
                }
            }
            if (!room.GetAwaiter().GetResult())
            {
                // The ring was completed under us: the stream is gone.
                lease.Dispose();
                return false;
            }
        }
        return true;
    }

    /// <summary>Blocks until <paramref name="camera"/> has a pending frame (true) or has ended or the run stopped (false).</summary>
    private static bool WaitForFrame(DriveCamera camera, WaitHandle[] handles, CancellationToken ct)
    {
        while (!camera.TryFillPending())
        {
            if (camera.Ended || ct.IsCancellationRequested)
            {
                return false;
            }
            WaitHandle.WaitAny(handles);
        }
        return true;
    }

    private void SignalArrival() => _arrived.Set();

    private void SignalRoom() => _room.Set();

    public void Dispose()
    {
        foreach (DriveCamera c in _cameras)
        {
            c.Close();
        }
        _arrived.Dispose();
    }
}
