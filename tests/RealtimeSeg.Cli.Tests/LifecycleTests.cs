using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using RealtimeSeg.Client;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// The run's lifecycle as an operator meets it, through the real executable: an unreachable live source beside a good
/// one, SIGTERM at start-up and while running, a second signal, a start-up that never gets a frame, a fused run stopped.
/// Stop times are bounded generously here (a loaded machine); docs/benchmarks.md gives the measured ones.
/// </summary>
public sealed partial class LifecycleTests
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(15);
    private static readonly string BundledModel = Path.Combine(TestAssets.RepositoryRoot, "models", "realtimeseg-demo.onnx");

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    private static void Signal(CliProcess process, int signal)
        => Assert.True(kill(process.Id, signal) == 0, $"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");

    /// <summary>A loopback port with nothing listening: connections are refused.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Endpoint(CliProcess run)
        => run.WaitForStderr(@"publishing .* on (tcp://127\.0\.0\.1:\d+)", TimeSpan.FromMinutes(2)).Groups[1].Value;

    [Fact]
    public async Task Run_UnreachableRtspBesideSynthetic_SyntheticFramesFlowFailuresAreCountedAndSigtermStopsWithExit0()
    {
        string stats = Path.Combine(Path.GetTempPath(), $"rseg-lifecycle-{Guid.NewGuid():N}.json");
        string rtsp = $"rtsp://127.0.0.1:{ClosedPort()}/x";
        using CliProcess run = CliProcess.Start("run", "--source", rtsp, "--source", "synthetic:drive?seed=1&size=640x360&fps=30",
            "--model", BundledModel, "--stats", stats, "--publish", "tcp://127.0.0.1:*");
        try
        {
            await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = Endpoint(run), Stream = "s1" });
            // The synthetic stream publishes although the other stream has never connected.
            ReceivedFrame? frame = await subscriber.TryReadAsync(TimeSpan.FromSeconds(60));
            Assert.True(frame is not null, $"no frame of the synthetic stream; stderr:\n{run.Stderr}");
            Assert.Equal("s1", frame.Stream);
            run.WaitForStderr(@"s0: .*cannot read the stream", TimeSpan.FromSeconds(60));

            Signal(run, SigTerm);
            int exit = run.WaitForExit(StopBound);

            Assert.True(exit == 0, $"exit {exit}; stderr:\n{run.Stderr}");
            Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats));
            JsonElement[] streams = [.. doc.RootElement.GetProperty("streams").EnumerateArray()];
            Assert.Equal(rtsp, streams[0].GetProperty("uri").GetString());
            Assert.Equal(0, streams[0].GetProperty("frames_published").GetInt64());
            Assert.True(streams[0].GetProperty("connect_failures").GetInt64() >= 1, doc.RootElement.ToString());
            Assert.True(streams[1].GetProperty("frames_published").GetInt64() >= 1, doc.RootElement.ToString());
            // Stopped mid-run: each frame the synthetic stream captured was processed, dropped, or caught in flight.
            JsonElement s1 = streams[1];
            Assert.Equal(s1.GetProperty("frames_captured").GetInt64(),
                s1.GetProperty("frames_processed").GetInt64() + s1.GetProperty("frames_dropped").GetInt64()
                - s1.GetProperty("frames_dropped_after_processing").GetInt64() + s1.GetProperty("frames_in_flight").GetInt64());
            Assert.Equal(0, streams[0].GetProperty("frames_in_flight").GetInt64());
        }
        finally
        {
            File.Delete(stats);
        }
    }

    [Fact]
    public void Run_SigtermDuringStartUp_ExitsZeroAndStillWritesStats() => StopDuringStartUp(drainTimeout: null);

    [Fact]
    public void Run_SigtermWhileTheModelLoads_WithNoDrainBound_ExitsZeroWithoutWaitingAndStillWritesStats()
        // drain_timeout 0: the stop does not wait for the model load, so the process exits while ONNX Runtime may still
        // be creating the session on another thread (it must exit without native teardown, or the heap is corrupted).
        => StopDuringStartUp(drainTimeout: "0");

    private static void StopDuringStartUp(string? drainTimeout)
    {
        string stats = Path.Combine(Path.GetTempPath(), $"rseg-startup-stop-{Guid.NewGuid():N}.json");
        string config = Path.Combine(Path.GetTempPath(), $"rseg-startup-stop-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, drainTimeout is null ? "pipeline: {}\n" : $"pipeline:\n  drain_timeout: {drainTimeout}\n");
        using CliProcess run = CliProcess.Start("run", "--config", config, "--source", "synthetic:drive?seed=1&size=640x360&fps=30",
            "--model", BundledModel, "--stats", stats, "--publish", "tcp://127.0.0.1:*");
        try
        {
            // The first log line comes from opening the source, before the model loads: the signal lands in start-up.
            run.WaitForStderr(@"info: ", TimeSpan.FromMinutes(1));
            Signal(run, SigTerm);
            int exit = run.WaitForExit(StopBound);

            Assert.True(exit == 0, $"exit {exit}; stderr:\n{run.Stderr}");
            Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats));
            Assert.True(doc.RootElement.TryGetProperty("frames_published", out _));
        }
        finally
        {
            File.Delete(stats);
            File.Delete(config);
        }
    }

    [Fact]
    public void Run_SigtermWhileDraining_ExitsZeroAndAccountsForEveryCapturedFrame()
    {
        // As many frames as the ring holds (the largest queue_capacity): the model needs ~64 runs after the capture has
        // ended, seconds on this machine, against the milliseconds between the log line and the signal.
        const int Frames = 64;
        string stats = Path.Combine(Path.GetTempPath(), $"rseg-drain-stop-{Guid.NewGuid():N}.json");
        string config = Path.Combine(Path.GetTempPath(), $"rseg-drain-stop-{Guid.NewGuid():N}.yaml");
        // Lockstep with a deep ring: the synthetic source renders all its frames long before the model has read them, so
        // the run is draining (capture over, frames queued) when the signal comes; drain_timeout 0 aborts at once.
        File.WriteAllText(config, $"pipeline:\n  queue_capacity: {Frames}\n  drain_timeout: 0\n");
        using CliProcess run = CliProcess.Start("run", "--config", config, "--source", "synthetic:drive?seed=1&size=320x180&fps=30",
            "--model", BundledModel, "--pace", "lockstep", "--max-frames", Frames.ToString(CultureInfo.InvariantCulture),
            "--stats", stats, "--publish", "tcp://127.0.0.1:*");
        try
        {
            // Capture over, the ring full: the model has nearly all the frames still to run when the signal comes.
            run.WaitForStderr("capture ended: s0 = ", TimeSpan.FromMinutes(2));
            Signal(run, SigTerm);
            int exit = run.WaitForExit(StopBound);

            Assert.True(exit == 0, $"exit {exit}; stderr:\n{run.Stderr}");
            Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("done (stopped)", run.Stderr, StringComparison.Ordinal);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats));
            JsonElement stream = doc.RootElement.GetProperty("streams")[0];
            long captured = stream.GetProperty("frames_captured").GetInt64();
            long processed = stream.GetProperty("frames_processed").GetInt64();
            long dropped = stream.GetProperty("frames_dropped").GetInt64() - stream.GetProperty("frames_dropped_after_processing").GetInt64();
            long inFlight = stream.GetProperty("frames_in_flight").GetInt64();
            Assert.Equal(Frames, captured);
            // Every captured frame is accounted for: processed, dropped, or caught in flight by the stop.
            Assert.Equal(captured, processed + dropped + stream.GetProperty("frames_corrupt").GetInt64() + inFlight);
            // The abort is immediate: only the frames the model finished between the log line and the signal escaped it.
            Assert.True(inFlight >= 1, doc.RootElement.ToString());
            Assert.Equal(inFlight, doc.RootElement.GetProperty("frames_in_flight").GetInt64());
        }
        finally
        {
            File.Delete(stats);
            File.Delete(config);
        }
    }

    [Fact]
    public void Run_SigintThenSigterm_SecondSignalExitsAtOnceWith130()
    {
        // The first signal must leave a stop in progress when the second is handled: the runtime dispatches each signal's
        // handler on its own, and on a loaded machine a short drain (a few frames in flight) can finish, and the process
        // exit 0, before the second handler runs. So the first stop has a full ring to drain (64 frames, seconds of model
        // runs, within a drain bound far longer than that) — as in Run_SigtermWhileDraining_….
        const int Frames = 64;
        string config = Path.Combine(Path.GetTempPath(), $"rseg-second-signal-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, $"pipeline:\n  queue_capacity: {Frames}\n  drain_timeout: 60s\n");
        try
        {
            using CliProcess run = CliProcess.Start("run", "--config", config, "--source", "synthetic:drive?seed=1&size=320x180&fps=30",
                "--model", BundledModel, "--pace", "lockstep", "--max-frames", Frames.ToString(CultureInfo.InvariantCulture),
                "--publish", "tcp://127.0.0.1:*");
            run.WaitForStderr("capture ended: s0 = ", TimeSpan.FromMinutes(2));

            // Two different signals: two of the same kind could merge into one while pending.
            Signal(run, SigInt);
            Signal(run, SigTerm);
            int exit = run.WaitForExit(StopBound);

            Assert.True(exit == 130, $"exit {exit}; stderr:\n{run.Stderr}");
            Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("again: exiting now", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Run_NoStreamDeliversWithinStartupTimeout_Exits3NamingEverySourceAndWhy()
    {
        string a = $"rtsp://127.0.0.1:{ClosedPort()}/a", b = $"rtsp://127.0.0.1:{ClosedPort()}/b";
        string config = Path.Combine(Path.GetTempPath(), $"rseg-startup-timeout-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture,
            $"pipeline:\n  startup_timeout: 3s\nsources:\n  - uri: {a}\n  - uri: {b}\nmodel:\n  path: {BundledModel}\npublish:\n  endpoint: tcp://127.0.0.1:*\n"));
        try
        {
            (int exit, _, string stderr) = CliProcess.Run(TimeSpan.FromMinutes(2), "run", "--config", config);

            Assert.True(exit == 3, $"exit {exit}; stderr:\n{stderr}");
            string error = stderr.Split('\n').Last(l => l.StartsWith("error: ", StringComparison.Ordinal));
            Assert.Contains("startup_timeout", error, StringComparison.Ordinal);
            Assert.Contains(a, error, StringComparison.Ordinal);
            Assert.Contains(b, error, StringComparison.Ordinal);
            Assert.Contains("refused", error, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [AssetFact]
    public async Task Run_FusedTwoModelConfigStoppedWithSigterm_ExitsZeroWithBothModelsReported()
    {
        string stats = Path.Combine(Path.GetTempPath(), $"rseg-fusion-stop-{Guid.NewGuid():N}.json");
        string config = Path.Combine(TestAssets.RepositoryRoot, "configs", "drive-panoptic.yaml");
        using CliProcess run = CliProcess.Start("run", "--config", config, "--source", TestAssets.UdacityHighway, "--pace", "realtime",
            "--stats", stats, "--publish", "tcp://127.0.0.1:*");
        try
        {
            await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = Endpoint(run) });
            Assert.True(await subscriber.TryReadAsync(TimeSpan.FromMinutes(2)) is not null, $"no frame; stderr:\n{run.Stderr}");

            Signal(run, SigTerm);
            int exit = run.WaitForExit(StopBound);

            Assert.True(exit == 0, $"exit {exit}; stderr:\n{run.Stderr}");
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats));
            Assert.Equal(2, doc.RootElement.GetProperty("models").GetArrayLength());
            Assert.True(doc.RootElement.GetProperty("frames_published").GetInt64() >= 1);
        }
        finally
        {
            File.Delete(stats);
        }
    }
}
