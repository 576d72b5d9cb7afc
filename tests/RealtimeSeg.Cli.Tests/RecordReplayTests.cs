using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Recording.Mcap;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// Recording and replay as a user runs them (docs/recording.md): <c>--record</c>, a <c>kill -9</c> mid-recording and
/// <c>recording recover</c>, <c>replay</c> into <c>subscribe</c> and into <c>record</c>, <c>recording info</c>, and
/// <c>eval mot</c> scoring a recording. Files are checked by @mcap/core, the official reader, not only by ours.
/// </summary>
public sealed class RecordReplayTests : IClassFixture<RecordedDrive>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly RecordedDrive _drive;

    public RecordReplayTests(RecordedDrive drive)
    {
        _drive = drive;
    }

    [NodeFact]
    public void Demo_Record_OfficialReaderFindsEveryPublishedFrameAndTheFoxgloveChannels()
    {
        using var dir = new TempFolder();
        string recording = Path.Combine(dir.Path, "r.mcap"), stats = Path.Combine(dir.Path, "s.json");
        var (code, _, stderr) = CliProcess.Run(Timeout, "demo", "--max-frames", "200", "--record", recording, "--stats", stats, "--publish", CliProcess.AnyPort);
        Assert.True(code == 0, $"demo exited {code}: {stderr}");
        long published;
        using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats)))
        {
            published = doc.RootElement.GetProperty("frames_published").GetInt64();
        }
        Assert.True(published > 0, stderr);

        JsonElement report = OfficialMcapReader.Indexed(recording);
        Assert.Empty(report.GetProperty("chunks").GetProperty("crcMismatches").EnumerateArray());
        Assert.True(report.GetProperty("logTimeOrdered").GetBoolean());
        JsonElement[] channels = [.. report.GetProperty("channels").EnumerateArray()];
        JsonElement panoptic = Assert.Single(channels, c => c.GetProperty("topic").GetString()!.EndsWith("/panoptic", StringComparison.Ordinal));
        Assert.Equal(published, panoptic.GetProperty("readCount").GetInt64());
        Assert.Equal(published.ToString(CultureInfo.InvariantCulture), panoptic.GetProperty("statisticsCount").GetString());
        Assert.Equal("msgpack", panoptic.GetProperty("messageEncoding").GetString());
        Assert.Contains(channels, c => c.GetProperty("schemaName").GetString() == "foxglove.ImageAnnotations" && c.GetProperty("readCount").GetInt64() == published);
        Assert.Contains(channels, c => c.GetProperty("schemaName").GetString() == "foxglove.CompressedImage" && c.GetProperty("topic").GetString()!.EndsWith("/image", StringComparison.Ordinal)
            && c.GetProperty("readCount").GetInt64() > 0);
        // Foxglove's protobuf decoding of the first camera image: a JPEG (FF D8 …) with its format named.
        JsonElement image = report.GetProperty("samples").EnumerateObject().Single(p => p.Name.EndsWith("/image", StringComparison.Ordinal)).Value;
        Assert.Equal("jpeg", image.GetProperty("format").GetString());
        Assert.True(image.GetProperty("data").GetProperty("byteLength").GetInt32() > 1000);
    }

    [NodeFact]
    public void KillNine_DuringRecording_CompletedChunksReadAndRecoverRestoresTheIndex()
    {
        using var dir = new TempFolder();
        string recording = Path.Combine(dir.Path, "killed.mcap"), recovered = Path.Combine(dir.Path, "recovered.mcap");
        long killedAtNs;
        using (CliProcess demo = CliProcess.Start("demo", "--source", RecordedDrive.Source, "--record", recording, "--publish", CliProcess.AnyPort, "--status-interval", "0.1"))
        {
            // Status lines (every 10th update when redirected) count published frames: wait until about three chunk
            // durations have been recorded, then kill without warning.
            demo.WaitForStderr(@"^\s*([4-9]\d|\d{3,}) frames ", TimeSpan.FromMinutes(4));
            killedAtNs = MonotonicClock.UtcNowNs();
            demo.Kill();
        }

        JsonElement streamed = OfficialMcapReader.Stream(recording);
        Assert.True(streamed.GetProperty("error").ValueKind == JsonValueKind.Null, streamed.ToString());
        Assert.Equal("truncated", streamed.GetProperty("ended").GetString());
        long messages = streamed.GetProperty("messages").GetInt64();
        Assert.True(messages > 0, streamed.ToString());
        // Publish time is when the recorder took the message: the last one on disk is at most two chunk durations
        // (1 s each) older than the kill.
        long lastNs = long.Parse(streamed.GetProperty("lastPublishTime").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(killedAtNs - lastNs <= 2_000_000_000, $"last message {(killedAtNs - lastNs) / 1e6:0} ms before the kill");

        var (code, stdout, stderr) = CliProcess.Run(Timeout, "recording", "recover", recording, recovered);
        Assert.True(code == 0, $"recover exited {code}: {stdout} {stderr}");
        JsonElement indexed = OfficialMcapReader.Indexed(recovered);
        Assert.Equal(messages, indexed.GetProperty("messagesRead").GetInt64());
        Assert.Empty(indexed.GetProperty("chunks").GetProperty("crcMismatches").EnumerateArray());
        Assert.Contains(indexed.GetProperty("channels").EnumerateArray(), c => c.GetProperty("topic").GetString()!.EndsWith("/panoptic", StringComparison.Ordinal)
            && c.GetProperty("readCount").GetInt64() > 0);
    }

    [Fact]
    public void Replay_200FrameRecording_SubscriberReceivesEveryFrameWithItsMediaTime()
    {
        Assert.Equal(RecordedDrive.Frames, _drive.FramesPublished);
        var (publisher, sub, _) = CliProcess.StartWithSubscriber(["replay", _drive.Recording], "--count", "200", "--json", "--timeout", "120");
        using CliProcess replay = publisher;
        using CliProcess subscriber = sub;
        Assert.True(subscriber.WaitForExit(Timeout) == 0, subscriber.Stderr);
        Assert.True(replay.WaitForExit(Timeout) == 0, replay.Stderr);
        Assert.Contains("replay done: 200 frames, 1 stream ends, 1 pass", replay.Stderr);

        string[] lines = subscriber.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, lines.Length);
        long[] recordedMedia = RecordedFrames(_drive.Recording).Select(f => f.MediaNs).ToArray();
        for (int i = 0; i < lines.Length; i++)
        {
            using JsonDocument doc = JsonDocument.Parse(lines[i]);
            Assert.Equal(i, doc.RootElement.GetProperty("seq").GetInt64());
            Assert.Equal(recordedMedia[i], doc.RootElement.GetProperty("media_ns").GetInt64());
        }
    }

    [NodeFact]
    public void Record_AReplay_KeepsEveryWireMessageByteForByte()
    {
        using var dir = new TempFolder();
        string copy = Path.Combine(dir.Path, "copy.mcap");
        // The replay holds its first frame until the recorder has subscribed; the recorder stops by itself when the
        // replayed stream's end-of-stream message comes.
        var (publisher, client, _) = CliProcess.StartWithClient(["replay", _drive.Recording, "--speed", "4"], endpoint => ["record", "--connect", endpoint, "--out", copy]);
        using CliProcess replay = publisher;
        using CliProcess record = client;
        Assert.True(record.WaitForExit(Timeout) == 0, record.Stderr);
        Assert.True(replay.WaitForExit(Timeout) == 0, replay.Stderr);
        Assert.True(record.Stderr.Contains("recorded 200 frames of 1 stream(s)", StringComparison.Ordinal), $"record:\n{record.Stderr}\nreplay:\n{replay.Stderr}");

        var original = RecordedFrames(_drive.Recording);
        var copied = RecordedFrames(copy);
        Assert.Equal(original.Count, copied.Count);
        for (int i = 0; i < original.Count; i++)
        {
            Assert.Equal(original[i].Sequence, copied[i].Sequence);
            Assert.True(original[i].Message.AsSpan().SequenceEqual(copied[i].Message), $"frame {i}: the recorded copy differs from the original message");
        }
        JsonElement report = OfficialMcapReader.Indexed(copy);
        Assert.Contains(report.GetProperty("channels").EnumerateArray(), c => c.GetProperty("topic").GetString()!.EndsWith("/end", StringComparison.Ordinal)
            && c.GetProperty("readCount").GetInt64() == 1);
    }

    [Fact]
    public void Replay_CutByEnd_StillEndsTheStreamWithItsLastPlayedFrame()
    {
        using var dir = new TempFolder();
        string copy = Path.Combine(dir.Path, "cut.mcap");
        // --end 2: the recorded end-of-stream message lies beyond the cut; the recorder stops only when an end comes.
        var (publisher, client, _) = CliProcess.StartWithClient(["replay", _drive.Recording, "--speed", "4", "--end", "2"],
            endpoint => ["record", "--connect", endpoint, "--out", copy]);
        using CliProcess replay = publisher;
        using CliProcess record = client;
        Assert.True(replay.WaitForExit(Timeout) == 0, replay.Stderr);
        Assert.True(record.WaitForExit(Timeout) == 0, record.Stderr);

        Match done = Regex.Match(replay.Stderr, @"replay done: (\d+) frames, 1 stream ends");
        Assert.True(done.Success, replay.Stderr);
        int played = int.Parse(done.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(played, 1, RecordedDrive.Frames - 1);
        Assert.True(record.Stderr.Contains($"recorded {played} frames of 1 stream(s)", StringComparison.Ordinal), $"record:\n{record.Stderr}\nreplay:\n{replay.Stderr}");
        using McapReader reader = McapReader.Open(copy);
        string endTopic = reader.Channels.Values.Select(c => c.Topic).Single(t => t.EndsWith("/end", StringComparison.Ordinal));
        StreamEndMessage end = StreamEndSerializer.Read(reader.ReadMessages([endTopic]).Select(m => m.Data.ToArray()).Single());
        Assert.Equal(StreamEndReason.Completed, end.Reason);
        Assert.Equal(played, end.Frames);
        Assert.Equal(played - 1, end.LastSequence); // the drive's frames are seq 0, 1, …
    }

    [Fact]
    public void RecordingInfo_Json_ReportsACleanFileWithEveryFrame()
    {
        var (code, stdout, stderr) = CliProcess.Run(Timeout, "recording", "info", _drive.Recording, "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        Assert.True(doc.RootElement.GetProperty("closed_cleanly").GetBoolean());
        Assert.False(doc.RootElement.GetProperty("needs_recovery").GetBoolean());
        JsonElement panoptic = Assert.Single(doc.RootElement.GetProperty("channels").EnumerateArray(), c => c.GetProperty("topic").GetString()!.EndsWith("/panoptic", StringComparison.Ordinal));
        Assert.Equal(RecordedDrive.Frames, panoptic.GetProperty("messages").GetInt64());
        Assert.Equal("realtimeseg.frame.v2", panoptic.GetProperty("schema").GetString());
        Assert.Single(doc.RootElement.GetProperty("channels").EnumerateArray(), c => c.GetProperty("schema").GetString() == "foxglove.ImageAnnotations");
    }

    [Fact]
    public void EvalMot_OnTheRecording_GivesTheDumpsHota()
    {
        double fromDump = Hota("--pred", _drive.DumpMot);
        double fromRecording = Hota("--pred", _drive.Recording);
        Assert.Equal(fromDump, fromRecording);
        Assert.InRange(fromDump, 1, 100); // the model tracks something: equal zeros would prove nothing
    }

    private double Hota(params string[] pred)
    {
        var (code, stdout, stderr) = CliProcess.Run(Timeout, ["eval", "mot", "--gt", _drive.GroundTruth, .. pred, "--json"]);
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        return doc.RootElement.GetProperty("sequences")[0].GetProperty("HOTA").GetDouble();
    }

    private static List<(uint Sequence, long MediaNs, byte[] Message)> RecordedFrames(string path)
    {
        var frames = new List<(uint, long, byte[])>();
        var deserializer = new Protocol.PanopticFrameDeserializer();
        var frame = new PanopticFrame();
        using McapReader reader = McapReader.Open(path);
        string[] topics = [.. reader.Channels.Values.Select(c => c.Topic).Where(t => t.EndsWith("/panoptic", StringComparison.Ordinal))];
        foreach (McapMessage m in reader.ReadMessages(topics))
        {
            byte[] bytes = m.Data.ToArray();
            deserializer.Read(bytes, frame);
            frames.Add((m.Sequence, frame.MediaNs, bytes));
        }
        return frames;
    }
}
