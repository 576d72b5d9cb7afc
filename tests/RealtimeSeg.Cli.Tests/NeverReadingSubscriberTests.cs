using System.Globalization;
using System.Text.Json;
using NetMQ;
using NetMQ.Sockets;
using RealtimeSeg.Client;
using RealtimeSeg.Protocol;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// A subscriber that connects, subscribes to everything and never reads, beside a healthy one, on a real run: the
/// publisher never waits for it (ZeroMQ drops its messages at its queue), so the healthy subscriber, the dump and the
/// stats get every frame and no sink drops one.
/// </summary>
public sealed class NeverReadingSubscriberTests
{
    private const int Frames = 16;

    [Fact]
    public async Task Run_SubscriberThatNeverReads_HealthySubscriberAndEverySinkGetEveryFrame()
    {
        using var dir = new TempFolder();
        string stats = Path.Combine(dir.Path, "stats.json"), mot = Path.Combine(dir.Path, "mot.txt");
        using CliProcess run = CliProcess.Start("run", "--source", "synthetic:drive?seed=2&size=640x360&fps=30", "--pace", "lockstep",
            "--max-frames", Frames.ToString(CultureInfo.InvariantCulture), "--dump-mot", mot, "--stats", stats,
            "--publish", CliProcess.AnyPort, "--wait-for-subscriber", "120");
        string endpoint = run.WaitForStderr(@"realtimeseg subscribe --connect (tcp://[^\s;]+)", TimeSpan.FromMinutes(2)).Groups[1].Value;

        // The healthy one subscribes first: its subscription releases capture, so it sees frame 0.
        await using var healthy = new SegmentationSubscriber(new SubscriberOptions { Endpoint = endpoint, BufferCapacity = Frames + 8, ReceiveHighWaterMark = Frames + 8 });
        ReceivedFrame? first = await healthy.TryReadAsync(TimeSpan.FromMinutes(2));
        Assert.True(first is not null, $"no frame; stderr:\n{run.Stderr}");
        // Then the stalled one: the smallest queue ZeroMQ allows and a tiny kernel buffer, never read until the run is over.
        using var stalled = new SubscriberSocket();
        stalled.Options.ReceiveHighWatermark = 1;
        stalled.Options.ReceiveBuffer = 4096;
        stalled.Options.Linger = TimeSpan.Zero;
        stalled.Connect(endpoint);
        stalled.Subscribe(WireFormat.TopicRoot);

        var sequences = new List<long> { first.Frame.Sequence };
        while (sequences.Count < Frames && await healthy.TryReadAsync(TimeSpan.FromMinutes(2)) is { } frame)
        {
            sequences.Add(frame.Frame.Sequence);
        }
        int exit = run.WaitForExit(TimeSpan.FromMinutes(2));

        Assert.True(exit == 0, $"exit {exit}; stderr:\n{run.Stderr}");
        Assert.Equal(Enumerable.Range(0, Frames).Select(i => (long)i), sequences);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats));
        Assert.Equal(Frames, doc.RootElement.GetProperty("frames_published").GetInt64());
        Assert.Equal(0, doc.RootElement.GetProperty("frames_dropped").GetInt64());
        foreach (JsonElement sink in doc.RootElement.GetProperty("sinks").EnumerateArray())
        {
            string name = sink.GetProperty("name").GetString()!;
            Assert.True(Frames == sink.GetProperty("frames_offered").GetInt64(), $"{name}: {sink}");
            Assert.True(sink.GetProperty("frames_dropped").GetInt64() == 0, $"{name}: {sink}");
            Assert.False(sink.TryGetProperty("error", out _), $"{name}: {sink}");
        }
        // The publisher handed every frame to ZeroMQ and refused none.
        Assert.Matches($@"publisher on tcp://\S+ stopped: {Frames} frames published, 0 dropped", run.Stderr);
        // The dump was written (MOT frames are 1-based).
        int[] motFrames = [.. File.ReadLines(mot).Select(l => int.Parse(l[..l.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture))];
        Assert.NotEmpty(motFrames);
        Assert.InRange(motFrames.Max(), 1, Frames);
    }
}
