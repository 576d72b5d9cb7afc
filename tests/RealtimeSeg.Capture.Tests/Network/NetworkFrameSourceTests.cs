using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RealtimeSeg.Capture.Network;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Capture.Tests.Network;

/// <summary>
/// Network sources against a real GStreamer RTSP server on 127.0.0.1 (TCP transport: over UDP a corrupt frame was
/// seen on loopback): outages, a server that never comes up, a port that answers garbage, a frozen server.
/// </summary>
public sealed class NetworkFrameSourceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static SourceOptions Fast(int maxAttempts = 0, int width = 0, int height = 0, double stallSeconds = 1.5) => new()
    {
        Pacing = Pacing.Max,
        Network = new NetworkSourceOptions
        {
            Width = width,
            Height = height,
            StallTimeout = TimeSpan.FromSeconds(stallSeconds),
            OpenTimeout = TimeSpan.FromSeconds(4),
            Reconnect = new ReconnectOptions { MaxAttempts = maxAttempts, InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(500) },
        },
    };

    [RtspFact]
    public async Task RunAsync_LiveServerWithoutConfiguredSize_ProbesSizeAndRateOnConnectAndFramesArriveWithThatSize()
    {
        using RtspTestServer server = RtspTestServer.Start(size: "352x288", fps: 25);
        var log = new CollectingLog();
        using IFrameSource source = FrameSourceFactory.Open(server.Url, 0, Fast() with { MaxFrames = 5 }, log);
        // Open never touches the network: the size is learned by the capture thread.
        Assert.Equal((0, 0), (source.Width, source.Height));
        Assert.Null(source.FrameCount);

        using var pool = new FramePool(4, FramePool.BytesForBgr(352, 288), diagnostics: true);
        var handOff = new HandOff<FrameLease>(4, HandOffMode.Wait, static l => l.Dispose());
        var nonBlack = new List<int>();
        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ReceivedFrames received = await ReceivedFrames.ReadAllAsync(handOff.Reader, lease => nonBlack.Add(CountNonZero(lease))).WaitAsync(Timeout);
        await run.WaitAsync(Timeout);

        Assert.Equal(5, received.Count);
        Assert.Equal((352, 288), (source.Width, source.Height));
        Assert.Equal(25, source.FramesPerSecond, 3);
        Assert.All(received.Geometry, g => Assert.Equal((352, 288, FramePool.AlignedStride(352)), g));
        // The ball pattern is a white ball on black: real decoded pixels, not an empty slot.
        Assert.All(nonBlack, n => Assert.InRange(n, 100, (352 * 3 * 288) - 1));
        Assert.Single(log.Lines, l => l.Contains("stream started", StringComparison.Ordinal));
        pool.AssertNoLeaks();
    }

    [RtspFact]
    public async Task RunAsync_ServerKilledAndRestarted_FramesFlowAgainAndReconnectIsCounted()
    {
        using RtspTestServer server = RtspTestServer.Start();
        var log = new CollectingLog();
        using IFrameSource source = FrameSourceFactory.Open(server.Url, 0, Fast(width: 320, height: 240), log);
        using var pool = new FramePool(4, FramePool.BytesForBgr(320, 240), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.DropOldest, static l => l.Dispose());
        using var cts = new CancellationTokenSource();
        Task run = source.RunAsync(pool, handOff.Writer, cts.Token);
        Task<ReceivedFrames> reader = ReceivedFrames.ReadAllAsync(handOff.Reader);

        await WaitUntil(() => source.Counters.FramesCaptured >= 10, Timeout, log);
        server.Kill();
        await WaitUntil(() => log.Lines.Any(l => l.Contains("stream lost", StringComparison.Ordinal)), Timeout, log);
        long beforeRestart = source.Counters.FramesCaptured;
        server.Restart();
        // How soon frames come back is the back-off's bound (ReconnectBackoff's tests check it exactly); on a loaded
        // machine a wall-clock limit here would only measure ffmpeg's and GStreamer's start-up.
        await WaitUntil(() => source.Counters.FramesCaptured > beforeRestart + 2, Timeout, log);

        Assert.Equal(1, source.Counters.Reconnects);
        Assert.False(run.IsCompleted, "the source must keep running through an outage");
        Assert.Single(log.Lines, l => l.Contains("stream lost", StringComparison.Ordinal));
        Assert.Single(log.Lines, l => l.Contains("stream recovered", StringComparison.Ordinal) && l.Contains("reconnects: 1", StringComparison.Ordinal));

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Timeout));
        ReceivedFrames received = await reader.WaitAsync(Timeout);
        received.AssertSequenceStrictlyIncreasing();
        handOff.DrainAndRelease();
        pool.AssertNoLeaks();
    }

    [RtspFact]
    public async Task RunAsync_ServerFrozen_StallWatchdogKillsFfmpegAndStreamRecoversAfterThaw()
    {
        using RtspTestServer server = RtspTestServer.Start();
        var log = new CollectingLog();
        using IFrameSource source = FrameSourceFactory.Open(server.Url, 0, Fast(width: 320, height: 240, stallSeconds: 0.8), log);
        using var pool = new FramePool(3, FramePool.BytesForBgr(320, 240), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.DropOldest, static l => l.Dispose());
        using var cts = new CancellationTokenSource();
        Task run = source.RunAsync(pool, handOff.Writer, cts.Token);
        Task<ReceivedFrames> reader = ReceivedFrames.ReadAllAsync(handOff.Reader);
        await WaitUntil(() => source.Counters.FramesCaptured >= 5, Timeout, log);

        // A hung sender (a pulled cable) keeps its TCP connection open and sends nothing: only the watchdog can notice.
        server.Freeze();
        await WaitUntil(() => log.Lines.Any(l => l.Contains("stall watchdog", StringComparison.Ordinal)), Timeout, log);
        long atStall = source.Counters.FramesCaptured;
        server.Thaw();
        await WaitUntil(() => source.Counters.Reconnects >= 1, Timeout, log);
        await WaitUntil(() => source.Counters.FramesCaptured >= atStall + 3, Timeout, log);

        // The watchdog noticed the loss (the first one logged), the stream reconnected, and frames flow again after it.
        // Not exactly one: a loaded machine may starve ffmpeg past the 0.8 s stall bound once more.
        Assert.Contains("stall watchdog", log.Lines.First(l => l.Contains("stream lost", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.True(source.Counters.Reconnects >= 1);
        Assert.Contains(log.Lines, l => l.Contains("stream recovered", StringComparison.Ordinal));
        Assert.False(run.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Timeout));
        await reader.WaitAsync(Timeout);
        handOff.DrainAndRelease();
        pool.AssertNoLeaks();
    }

    [RtspFact]
    public async Task Open_ServerNeverUpWithMaxAttempts_OpensAtOnceThenRunFaultsNamingUrlAttemptsAndReason()
    {
        // A port held (bound, never listening) for the test: connecting is refused, and nobody else can listen on it.
        using var closed = new PortReservation();
        string url = $"rtsp://127.0.0.1:{closed.Port}/nobody";
        var log = new CollectingLog();
        // An unreachable stream must not hold up start-up (the other streams of a run): Open does not connect.
        using IFrameSource source = FrameSourceFactory.Open(url, 0, Fast(maxAttempts: 3), log);
        using var pool = new FramePool(2, FramePool.BytesForBgr(320, 240), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.DropOldest, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<SourceUnavailableException>(() => run.WaitAsync(Timeout));
        Assert.Equal(url, ex.Source);
        Assert.Contains("3 connection attempts", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("refused", ex.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, source.Counters.ConnectFailures);
        Assert.Contains("refused", source.Counters.LastError!, StringComparison.OrdinalIgnoreCase);
        // One line for the outage, not one per attempt.
        Assert.Single(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal) && l.Contains(url, StringComparison.Ordinal));
        pool.AssertNoLeaks();
    }

    [RtspFact]
    public async Task RunAsync_ServerNeverUpWithKnownSize_FaultsWithSourceUnavailableAfterMaxAttempts()
    {
        using var closed = new PortReservation();
        string url = $"rtsp://127.0.0.1:{closed.Port}/nobody";
        using IFrameSource source = FrameSourceFactory.Open(url, 0, Fast(maxAttempts: 2, width: 320, height: 240), NullPipelineLog.Instance);
        using var pool = new FramePool(2, FramePool.BytesForBgr(320, 240), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.DropOldest, static l => l.Dispose());

        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<SourceUnavailableException>(() => run.WaitAsync(Timeout));
        Assert.Contains("2 connection attempts", ex.Reason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SourceUnavailableException>(() => handOff.Reader.Completion.WaitAsync(Timeout));
        Assert.Equal(0, source.Counters.FramesRead);
        pool.AssertNoLeaks();
    }

    [RtspFact]
    public async Task RunAsync_RetryForeverAndServerComesUpLate_WaitsLogsOnceThenStreams()
    {
        // Held for the whole test: refused while the server is down, and the server listens on it once up.
        using var reserved = new PortReservation();
        var log = new CollectingLog();
        using IFrameSource source = FrameSourceFactory.Open($"rtsp://127.0.0.1:{reserved.Port}/late", 0, Fast(maxAttempts: 0, width: 320, height: 240), log);
        using var pool = new FramePool(3, FramePool.BytesForBgr(320, 240), diagnostics: true);
        var handOff = new HandOff<FrameLease>(1, HandOffMode.DropOldest, static l => l.Dispose());
        using var cts = new CancellationTokenSource();
        Task run = source.RunAsync(pool, handOff.Writer, cts.Token);
        Task<ReceivedFrames> reader = ReceivedFrames.ReadAllAsync(handOff.Reader);

        await WaitUntil(() => source.Counters.ConnectFailures >= 4, Timeout, log);
        Assert.False(run.IsCompleted, "max_attempts 0 retries forever");
        Assert.Single(log.Lines, l => l.Contains("cannot read the stream", StringComparison.Ordinal));

        using RtspTestServer server = RtspTestServer.StartOn(reserved.Port, "/late");
        await WaitUntil(() => source.Counters.FramesCaptured >= 3, Timeout, log);
        Assert.Equal(0, source.Counters.Reconnects); // the first connection is not a reconnect
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Timeout));
        await reader.WaitAsync(Timeout);
        handOff.DrainAndRelease();
        pool.AssertNoLeaks();
    }

    [Fact]
    public async Task RunAsync_PortAnswersGarbageWhileProbing_FaultsWithFfprobesReasonAndLogsOneClearLine()
    {
        using var garbage = new TcpListener(IPAddress.Loopback, 0);
        garbage.Start();
        using var stop = new CancellationTokenSource();
        Task server = ServeGarbageAsync(garbage, stop.Token);
        string url = $"rtsp://127.0.0.1:{((IPEndPoint)garbage.LocalEndpoint).Port}/x";
        var log = new CollectingLog();
        try
        {
            using IFrameSource source = FrameSourceFactory.Open(url, 0, Fast(maxAttempts: 2), log);
            using var pool = new FramePool(2, FramePool.BytesForBgr(64, 48), diagnostics: true);
            var handOff = new HandOff<FrameLease>(1, HandOffMode.DropOldest, static l => l.Dispose());

            var ex = await Assert.ThrowsAsync<SourceUnavailableException>(() => source.RunAsync(pool, handOff.Writer, CancellationToken.None).WaitAsync(Timeout));

            Assert.Contains("2 connection attempts", ex.Reason, StringComparison.Ordinal);
            Assert.True(ex.Reason.Length > "no frames after 2 connection attempts in a row: ".Length + 5, ex.Reason);
            string warn = Assert.Single(log.Lines, l => l.StartsWith("warn:", StringComparison.Ordinal));
            Assert.Contains(url, warn, StringComparison.Ordinal);
            pool.AssertNoLeaks();
        }
        finally
        {
            await stop.CancelAsync();
            garbage.Stop();
            await server.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task RunAsync_PortAnswersGarbage_NoCrashFaultsAfterAttemptsWithOneLogLine()
    {
        using var garbage = new TcpListener(IPAddress.Loopback, 0);
        garbage.Start();
        using var stop = new CancellationTokenSource();
        Task server = ServeGarbageAsync(garbage, stop.Token);
        string url = $"rtsp://127.0.0.1:{((IPEndPoint)garbage.LocalEndpoint).Port}/x";
        var log = new CollectingLog();
        try
        {
            using IFrameSource source = FrameSourceFactory.Open(url, 0, Fast(maxAttempts: 3, width: 64, height: 48), log);
            using var pool = new FramePool(2, FramePool.BytesForBgr(64, 48), diagnostics: true);
            var handOff = new HandOff<FrameLease>(1, HandOffMode.DropOldest, static l => l.Dispose());

            Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);

            var ex = await Assert.ThrowsAsync<SourceUnavailableException>(() => run.WaitAsync(Timeout));
            Assert.Contains("3 connection attempts", ex.Reason, StringComparison.Ordinal);
            Assert.Contains("ffmpeg", ex.Reason, StringComparison.Ordinal);
            Assert.Single(log.Lines, l => l.Contains("cannot read the stream", StringComparison.Ordinal) && l.Contains(url, StringComparison.Ordinal));
            pool.AssertNoLeaks();
        }
        finally
        {
            await stop.CancelAsync();
            garbage.Stop();
            await server.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public void Open_MissingFfmpeg_ThrowsSourceUnavailableSayingHowToInstallIt()
    {
        var options = Fast() with { Network = new NetworkSourceOptions { Width = 320, Height = 240, Ffmpeg = "/nonexistent/ffmpeg" } };

        var ex = Assert.Throws<SourceUnavailableException>(() => FrameSourceFactory.Open("rtsp://127.0.0.1:1/x", 0, options, NullPipelineLog.Instance));

        Assert.Contains("/nonexistent/ffmpeg", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("install", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rtsp://")]
    [InlineData("rtsp:///path-without-host")]
    [InlineData("http://exa mple.com/x")]
    public void Open_MalformedUrl_ThrowsConfigurationException(string url)
    {
        var ex = Assert.Throws<ConfigurationException>(() => FrameSourceFactory.Open(url, 0, Fast(), NullPipelineLog.Instance));
        Assert.Contains("source URI", ex.Message, StringComparison.Ordinal);
    }

    private static async Task ServeGarbageAsync(TcpListener listener, CancellationToken ct)
    {
        byte[] junk = new byte[4096];
        new Random(7).NextBytes(junk);
        while (!ct.IsCancellationRequested)
        {
            using TcpClient client = await listener.AcceptTcpClientAsync(ct);
            try
            {
                NetworkStream stream = client.GetStream();
                await stream.WriteAsync(junk, ct);
                await stream.FlushAsync(ct);
                await Task.Delay(50, ct);
            }
            catch (IOException)
            {
                // The client gave up first.
            }
        }
    }

    private static unsafe int CountNonZero(FrameLease lease)
    {
        int n = 0;
        byte* p = (byte*)lease.Pointer;
        for (int y = 0; y < lease.Height; y++)
        {
            byte* row = p + ((long)y * lease.Stride);
            for (int x = 0; x < lease.Width * 3; x++)
            {
                if (row[x] > 16)
                {
                    n++;
                }
            }
        }
        return n;
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, CollectingLog? log = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < timeout, $"condition not met within {timeout.TotalSeconds:0.#} s; log:\n{(log is null ? "" : string.Join("\n", log.Lines))}");
            await Task.Delay(20);
        }
    }
}
