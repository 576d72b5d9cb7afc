using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture.Network;

/// <summary>
/// One <see cref="NetworkFrameSource.RunAsync"/>: the capture loop on the capture thread, the ffmpeg it reads, and the
/// stall watchdog (a timer) that kills that ffmpeg when a read waits too long. The capture thread owns everything
/// but <see cref="_child"/> and <see cref="_readDeadlineNs"/>, which the watchdog and cancellation also touch.
/// </summary>
internal sealed class NetworkCapture
{
    private const int DiscardBufferBytes = 64 * 1024;

    private readonly NetworkFrameSource _source;
    private readonly FramePool _pool;
    private readonly ChannelWriter<FrameLease> _output;
    private readonly Lock _childGate = new();
    private readonly long _stallNs;
    private readonly long _openNs;

    private Process? _child;
    private long _firstFrameNs;
    private long _readDeadlineNs;
    private volatile bool _killedByWatchdog;
    private volatile string? _lastError;

    public NetworkCapture(NetworkFrameSource source, FramePool pool, ChannelWriter<FrameLease> output)
    {
        _source = source;
        _pool = pool;
        _output = output;
        _stallNs = (long)source.Network.StallTimeout.TotalNanoseconds;
        _openNs = (long)source.Network.OpenTimeout.TotalNanoseconds;
    }

    private enum PumpResult
    {
        StreamEnded,
        MaxFrames,
        ChannelClosed,
        Cancelled,
    }

    /// <summary>
    /// The capture loop: probe (once, when the size is not configured), connect, pump frames, reconnect. Every failed
    /// attempt — probe or ffmpeg — counts in <see cref="SourceCounters.ConnectFailures"/>, is remembered as
    /// <see cref="SourceCounters.LastError"/> and is followed by a jittered back-off. True when MaxFrames was reached or
    /// the channel closed; false when cancelled.
    /// </summary>
    public bool Capture(CancellationToken ct)
    {
        NetworkFrameSource source = _source;
        string label = string.Create(CultureInfo.InvariantCulture, $"s{source.StreamIndex}: {source.SafeUrl}");
        ReconnectOptions policy = source.Network.Reconnect;
        var backoff = new ReconnectBackoff(policy, new Random());
        var writer = new BlockingFrameWriter(_output, ct);
        byte[] discard = new byte[DiscardBufferBytes];
        long period = Math.Clamp(_stallNs / 4 / 1_000_000, 50, 1000);
        using var watchdog = new Timer(static s => ((NetworkCapture)s!).CheckStall(), this, period, period);
        using CancellationTokenRegistration onCancel = ct.UnsafeRegister(static s => ((NetworkCapture)s!).KillChild(), this);

        long sequence = 0;
        int failedAttempts = 0;
        bool everDelivered = false;
        long lostAtNs = 0;
        while (!ct.IsCancellationRequested)
        {
            if (!source.HasSize)
            {
                string? probeFailure = Probe(ct);
                if (ct.IsCancellationRequested)
                {
                    return false;
                }
                if (probeFailure is not null)
                {
                    if (!BackOff(++failedAttempts, probeFailure, everDelivered, backoff, label, ct))
                    {
                        return false;
                    }
                    continue;
                }
            }
            Process child = StartChild();
            long framesThisConnection = 0;
            PumpResult result;
            string reason = "";
            try
            {
                result = Pump(child, writer, discard, ref sequence, ref framesThisConnection, everDelivered, lostAtNs, label, ct);
                StopChild(child);
                if (result == PumpResult.StreamEnded)
                {
                    reason = LossReason(child);
                }
            }
            finally
            {
                StopChild(child);
                child.Dispose();
            }
            if (framesThisConnection > 0)
            {
                everDelivered = true;
            }
            switch (result)
            {
                case PumpResult.MaxFrames:
                case PumpResult.ChannelClosed:
                    return true;
                case PumpResult.Cancelled:
                    return false;
            }
            if (ct.IsCancellationRequested)
            {
                return false;
            }

            if (framesThisConnection > 0)
            {
                // Lost after delivering: the outage starts now and the attempt count starts over.
                failedAttempts = 0;
                lostAtNs = MonotonicClock.NowNs();
                source.Counters.SetLastError(reason);
                source.Counters.SetReconnecting();
                source.Log.Warn($"{label}: stream lost after {source.Counters.FramesRead} frames ({reason}); reconnecting");
                continue;
            }
            if (!BackOff(++failedAttempts, reason, everDelivered, backoff, label, ct))
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>
    /// After failed attempt number <paramref name="attempt"/>: counts it, gives up (throws) when the policy says so,
    /// logs the first failure of an outage, and waits the back-off. False when cancelled during the wait.
    /// </summary>
    private bool BackOff(int attempt, string reason, bool everDelivered, ReconnectBackoff backoff, string label, CancellationToken ct)
    {
        NetworkFrameSource source = _source;
        ReconnectOptions policy = source.Network.Reconnect;
        source.Counters.AddConnectFailure(reason);
        if (policy.MaxAttempts > 0 && attempt >= policy.MaxAttempts)
        {
            throw new SourceUnavailableException(source.SafeUrl,
                $"no frames after {attempt} connection attempt{(attempt == 1 ? "" : "s")} in a row: {reason}");
        }
        if (attempt == 1 && !everDelivered)
        {
            source.Log.Warn($"{label}: cannot read the stream ({reason}); retrying {(policy.MaxAttempts == 0 ? "until it answers" : $"up to {policy.MaxAttempts} attempts")}");
        }
        return !ct.WaitHandle.WaitOne(backoff.Delay(attempt));
    }

    /// <summary>Learns the frame size with ffprobe. Null on success (the source has its size), else why it failed.</summary>
    private string? Probe(CancellationToken ct)
    {
        NetworkFrameSource source = _source;
        Debug.Assert(source.Ffprobe is not null, "a source without a configured size has ffprobe");
        StreamProbe probe = StreamProbe.Run(source.Launcher, source.Ffprobe, source.Url, source.Network.Transport, source.Network.OpenTimeout, ct);
        if (!probe.Succeeded)
        {
            return NetworkUrl.RedactIn(probe.Failure!, source.Url);
        }
        int stride = FramePool.AlignedStride(probe.Width);
        if ((long)stride * probe.Height > _pool.SlotBytes)
        {
            throw new SourceUnavailableException(source.SafeUrl,
                $"the stream's {probe.Width}x{probe.Height} frames need {(long)stride * probe.Height} bytes but frame slots hold {_pool.SlotBytes}; set network.width and network.height to have ffmpeg scale it");
        }
        source.SetSize(probe.Width, probe.Height, probe.FramesPerSecond);
        source.Log.Info(string.Create(CultureInfo.InvariantCulture, $"s{source.StreamIndex}: {source.SafeUrl}: {probe.Width}x{probe.Height}{(probe.FramesPerSecond > 0 ? $" @ {probe.FramesPerSecond:0.##} fps" : "")}"));
        return null;
    }

    private PumpResult Pump(Process child, BlockingFrameWriter writer, byte[] discard, ref long sequence, ref long framesThisConnection,
        bool everDelivered, long lostAtNs, string label, CancellationToken ct)
    {
        NetworkFrameSource source = _source;
        SourceCounters counters = source.Counters;
        Stream stdout = child.StandardOutput.BaseStream;
        bool lockstep = source.Options.Pacing == Pacing.Lockstep;
        long maxFrames = source.Options.MaxFrames;
        int frameBytes = source.PackedFrameBytes;

        while (true)
        {
            if (ct.IsCancellationRequested)
            {
                return PumpResult.Cancelled;
            }
            if (maxFrames > 0 && sequence >= maxFrames)
            {
                return PumpResult.MaxFrames;
            }
            bool haveSlot = _pool.TryRent(out FrameLease lease);
            if (!haveSlot && lockstep)
            {
                if (!_pool.Rent(ct, out lease))
                {
                    return PumpResult.Cancelled;
                }
                haveSlot = true;
            }

            bool handedOver = false;
            try
            {
                // Only the wait for ffmpeg's bytes is watched: waiting for a slot or for the consumer is not a stall.
                Volatile.Write(ref _readDeadlineNs, MonotonicClock.NowNs() + (framesThisConnection == 0 ? _openNs : _stallNs));
                int got = haveSlot ? ReadIntoSlot(stdout, lease, frameBytes) : Discard(stdout, discard, frameBytes);
                Volatile.Write(ref _readDeadlineNs, 0);
                if (got < frameBytes)
                {
                    if (got > 0)
                    {
                        // ffmpeg died in the middle of a frame: that frame is incomplete, skipped and counted.
                        counters.AddRead();
                        counters.AddCorrupt();
                        sequence++;
                    }
                    return ct.IsCancellationRequested ? PumpResult.Cancelled : PumpResult.StreamEnded;
                }
                long frameSequence = sequence++;
                counters.AddRead();
                if (++framesThisConnection == 1)
                {
                    OnFirstFrame(everDelivered, lostAtNs, label);
                }
                if (!haveSlot)
                {
                    counters.AddDroppedNoSlot();
                    continue;
                }
                long now = MonotonicClock.NowNs();
                if (_firstFrameNs == 0)
                {
                    _firstFrameNs = now;
                }
                // A raw-video pipe carries no presentation times: a live stream's media time is its arrival time since
                // its first frame (outages included, so velocities stay per second of real time).
                lease.Metadata = new FrameMetadata(source.StreamIndex, frameSequence, MonotonicClock.UtcNowNs(), now, source.Width, source.Height)
                {
                    MediaNs = now - _firstFrameNs,
                };
                if (!writer.Write(lease))
                {
                    if (writer.ChannelClosed)
                    {
                        source.Log.Warn($"{label}: the output channel was completed by someone else; capture stops");
                        return PumpResult.ChannelClosed;
                    }
                    return PumpResult.Cancelled;
                }
                handedOver = true;
                counters.AddCaptured();
            }
            finally
            {
                Volatile.Write(ref _readDeadlineNs, 0);
                if (haveSlot && !handedOver)
                {
                    lease.Dispose();
                }
            }
        }
    }

    private void OnFirstFrame(bool everDelivered, long lostAtNs, string label)
    {
        NetworkFrameSource source = _source;
        if (!everDelivered)
        {
            source.Log.Info($"{label}: stream started");
            return;
        }
        source.Counters.AddReconnect();
        double outage = (MonotonicClock.NowNs() - lostAtNs) / 1e9;
        source.Log.Info(string.Create(CultureInfo.InvariantCulture, $"{label}: stream recovered after {outage:0.0} s (reconnects: {source.Counters.Reconnects})"));
    }

    /// <summary>
    /// Reads one packed frame into the start of the slot, then spreads its rows out to the slot's aligned stride in
    /// place, bottom row first so no row is overwritten before it has moved. Returns the bytes read (less than a frame at end of stream).
    /// </summary>
    private unsafe int ReadIntoSlot(Stream stdout, FrameLease lease, int frameBytes)
    {
        NetworkFrameSource source = _source;
        lease.SetFormat(source.Width, source.Height, source.Stride);
        Debug.Assert(source.Stride * source.Height <= lease.CapacityBytes, "RunAsync checked that a frame fits a slot");
        byte* slot = (byte*)lease.Pointer;
        int got = ReadFully(stdout, new Span<byte>(slot, frameBytes));
        int rowBytes = source.Width * 3;
        int stride = source.Stride;
        if (got == frameBytes && stride != rowBytes)
        {
            for (int y = source.Height - 1; y > 0; y--)
            {
                Buffer.MemoryCopy(slot + ((long)y * rowBytes), slot + ((long)y * stride), rowBytes, rowBytes);
            }
        }
        return got;
    }

    /// <summary>Consumes a frame nobody has room for, so the pipe keeps flowing and the next frame is the newest.</summary>
    private static int Discard(Stream stdout, byte[] buffer, int frameBytes)
    {
        int total = 0;
        while (total < frameBytes)
        {
            int n = ReadFully(stdout, buffer.AsSpan(0, Math.Min(buffer.Length, frameBytes - total)));
            total += n;
            if (n == 0)
            {
                break;
            }
        }
        return total;
    }

    private static int ReadFully(Stream stdout, Span<byte> destination)
    {
        try
        {
            return stdout.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        }
        catch (IOException)
        {
            // The pipe broke under a killed ffmpeg: the same as its end.
            return 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    private Process StartChild()
    {
        NetworkFrameSource source = _source;
        _killedByWatchdog = false;
        _lastError = null;
        Process child;
        try
        {
            child = source.Launcher.Start(source.Ffmpeg, FfmpegCommand.Capture(source.Url, source.Network.Transport, source.Width, source.Height),
                standardInput: FfmpegCommand.StandardInput(source.Url, source.Network.Transport));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new SourceUnavailableException(source.SafeUrl, $"cannot start {source.Ffmpeg}: {ex.Message}", ex);
        }
        child.ErrorDataReceived += OnChildError;
        child.BeginErrorReadLine();
        lock (_childGate)
        {
            _child = child;
        }
        return child;
    }

    private void OnChildError(object sender, DataReceivedEventArgs e)
    {
        string? line = e.Data;
        if (string.IsNullOrWhiteSpace(line) || line.StartsWith("    Last message repeated", StringComparison.Ordinal))
        {
            return;
        }
        _lastError = NetworkUrl.RedactIn(line.Trim(), _source.Url);
    }

    private void StopChild(Process child)
    {
        lock (_childGate)
        {
            _child = null;
        }
        ChildProcessLauncher.KillQuietly(child);
        // Reap it, and let the stderr reader deliver its last line before the reason is read.
        if (!child.WaitForExit(2000))
        {
            _source.Log.Warn($"s{_source.StreamIndex}: ffmpeg (pid {child.Id}) did not exit within 2 s of SIGKILL");
        }
    }

    private string LossReason(Process child)
    {
        string? error = _lastError;
        string exit = child.HasExited ? $"ffmpeg exited with code {child.ExitCode}" : "ffmpeg stopped";
        if (_killedByWatchdog)
        {
            return string.Create(CultureInfo.InvariantCulture, $"no frame for {_source.Network.StallTimeout.TotalSeconds:0.###} s; ffmpeg killed by the stall watchdog{(error is null ? "" : "; ffmpeg said: " + error)}");
        }
        return error is null ? exit : $"{exit}: {error}";
    }

    /// <summary>Watchdog tick (timer thread): kills ffmpeg when the pending read is past its deadline.</summary>
    private void CheckStall()
    {
        long deadline = Volatile.Read(ref _readDeadlineNs);
        if (deadline == 0 || MonotonicClock.NowNs() < deadline)
        {
            return;
        }
        lock (_childGate)
        {
            if (_child is { } child && Volatile.Read(ref _readDeadlineNs) == deadline)
            {
                _killedByWatchdog = true;
                ChildProcessLauncher.KillQuietly(child);
            }
        }
    }

    private void KillChild()
    {
        lock (_childGate)
        {
            if (_child is { } child)
            {
                ChildProcessLauncher.KillQuietly(child);
            }
        }
    }
}
