using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;

namespace RealtimeSeg.Publishing.Tests;

/// <summary>
/// The third-party check: tools/python-subscriber/subscribe.py, written from docs/protocol.md with pyzmq and msgpack,
/// receives what the C# publisher sends — v2 frames, v1 frames, end-of-stream and image messages — and decodes them to
/// the values that were sent.
/// </summary>
public sealed class PythonSubscriberTests
{
    private const int Count = 15;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [PythonSubscriberFact]
    public Task PythonSubscriber_Rle16Frames_DecodesMapsSegmentsCategoriesRunAndMediaTime() => RunAsync(MapEncoding.Rle16);

    [PythonSubscriberFact]
    public Task PythonSubscriber_Raw16Frames_DecodesMapsSegmentsCategoriesRunAndMediaTime() => RunAsync(MapEncoding.Raw16);

    [PythonSubscriberFact]
    public async Task PythonSubscriber_Version1Frames_ReadWithEmptyRunAndUnknownMediaTime()
    {
        await using var harness = new PublisherHarness(Queueing());
        await using var python = PythonSubscriberProcess.Start(await harness.EndpointAsync(), "--stream", "s0", "--count", "5");

        await SubscribedAsync(harness, FrameMetaEnd);
        for (long seq = 0; seq < 5; seq++)
        {
            await harness.WriteMessageAsync(Expected(seq), Version1Message(Expected(seq)));
        }

        Assert.True(await python.WaitForExitAsync(Patience) == 0, python.Stderr);
        Assert.Equal(5, python.Records.Count);
        foreach (JsonElement r in python.Records)
        {
            PanopticFrame expected = Expected(r.GetProperty("seq").GetInt64());
            Assert.Equal(1, r.GetProperty("v").GetInt32());
            Assert.Equal("", r.GetProperty("run").GetString());
            Assert.Equal(-1, r.GetProperty("media_ns").GetInt64());
            Assert.Equal(MapSha256(expected.Map), r.GetProperty("map_sha256").GetString());
            Assert.Equal(expected.SegmentCount, r.GetProperty("segments").GetArrayLength());
        }
    }

    [PythonSubscriberFact]
    public async Task PythonSubscriber_UnknownSchemaVersion_SkipsThoseMessagesAndSaysSo()
    {
        await using var harness = new PublisherHarness(Queueing());
        await using var python = PythonSubscriberProcess.Start(await harness.EndpointAsync(), "--stream", "s0", "--count", "4");

        // Odd frames come as a version this subscriber cannot know.
        await SubscribedAsync(harness, FrameMetaEnd);
        for (long seq = 0; seq < 8; seq++)
        {
            await (seq % 2 == 1
                ? harness.WriteMessageAsync(Expected(seq), MessageEditor.Edit(Serialize(Expected(seq)), m => m["v"] = 3))
                : harness.WriteAsync(Expected(seq)));
        }

        Assert.True(await python.WaitForExitAsync(Patience) == 0, python.Stderr);
        Assert.All(python.Records, r => Assert.Equal(0, r.GetProperty("seq").GetInt64() % 2));
        Assert.Contains("schema version 3", python.Stderr);
    }

    [PythonSubscriberFact]
    public async Task PythonSubscriber_ExitOnEnd_ExitsOnlyOnceEveryStreamSeenHasEnded()
    {
        await using var harness = new PublisherHarness(new PublisherOptions { Endpoint = "tcp://127.0.0.1:*" }, 4, (0, "s0"), (1, "s1"));
        await using var python = PythonSubscriberProcess.Start(await harness.EndpointAsync(), "--exit-on-end");
        var published = new long[2];
        var last = new long[2];
        async ValueTask Publish(int stream, long seq)
        {
            PanopticFrame frame = Expected(seq);
            frame.StreamIndex = stream;
            await harness.WriteAsync(frame);
            published[stream]++;
            last[stream] = seq;
        }

        // Both streams flowing and seen by the subscriber; then s0 ends.
        await SubscribedAsync(harness, FrameMetaEnd);
        await Publish(0, 0);
        await Publish(1, 1);
        await python.WaitForRecordAsync(r => r.GetProperty("stream").GetString() == "s0", Patience, "a frame of s0");
        await python.WaitForRecordAsync(r => r.GetProperty("stream").GetString() == "s1", Patience, "a frame of s1");
        await harness.WriteEndAsync(0, SyntheticScene.Run, StreamEndReason.Completed, last[0], published[0]);
        // A frame of s1 printed after the end of s0 proves the subscriber went on: messages arrive in the order sent.
        await Publish(1, 1000);
        await python.WaitForRecordAsync(r => r.GetProperty("seq").GetInt64() == 1000, Patience, "s1's frame sent after the end of s0");
        Assert.False(python.HasExited);
        await harness.WriteEndAsync(1, SyntheticScene.Run, StreamEndReason.SourceLost, last[1], published[1]);

        Assert.True(await python.WaitForExitAsync(Patience) == 0, python.Stderr);
        Assert.Contains($"end of stream s0: completed (run {SyntheticScene.Run}, last seq {last[0]}, {published[0]} frames)", python.Stderr);
        Assert.Contains($"end of stream s1: source_lost (run {SyntheticScene.Run}, last seq {last[1]}, {published[1]} frames)", python.Stderr);
    }

    [PythonSubscriberFact]
    public async Task PythonSubscriber_Images_SavesEachJpegAndNamesItInItsFrame()
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("rseg-images-");
        try
        {
            await using var harness = new PublisherHarness(Queueing());
            await using var python = PythonSubscriberProcess.Start(await harness.EndpointAsync(),
                "--stream", "s0", "--count", Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--images", folder.FullName);

            await SubscribedAsync(harness, FrameMetaEnd + 1);
            for (long seq = 0; seq < Count; seq++)
            {
                await harness.WriteAsync(Expected(seq), FakeJpeg(seq), 48, 27);
            }

            Assert.True(await python.WaitForExitAsync(Patience) == 0, python.Stderr);
            int withImage = 0;
            foreach (JsonElement r in python.Records)
            {
                long seq = r.GetProperty("seq").GetInt64();
                if (r.GetProperty("image_file").GetString() is not { } file)
                {
                    continue;
                }
                withImage++;
                Assert.Equal(Path.Combine(folder.FullName, $"s0-{seq:D8}.jpg"), file);
                Assert.Equal(FakeJpeg(seq), File.ReadAllBytes(file));
            }
            // Every subscription was in before the first frame went out, so every frame came with its image.
            Assert.True(withImage == Count, $"only {withImage} of {Count} frames came with their image; stderr:\n{python.Stderr}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [PythonSubscriberFact]
    public async Task PythonSubscriber_Latest_DecodesOnlyTheNewestFrameOfABurst()
    {
        const int burst = 20;
        // A send high-water mark above the burst: the frames queue for the sleeping subscriber instead of being dropped
        // at the publisher (ZeroMQ drops the newest there), so the newest frame is always there to skip to.
        await using var harness = new PublisherHarness(new PublisherOptions { Endpoint = "tcp://127.0.0.1:*", SendHighWaterMark = 4 * burst });
        // Each printed frame "takes" a second: the burst arrives while the subscriber is busy with the frame before it.
        await using var python = PythonSubscriberProcess.Start(await harness.EndpointAsync(), "--stream", "s0", "--latest", "--slow", "1", "--exit-on-end");

        await SubscribedAsync(harness, FrameMetaEnd);
        await harness.WriteAsync(Expected(0));
        await python.WaitForRecordAsync(_ => true, Patience, "the first frame");
        for (long seq = 100; seq < 100 + burst; seq++)
        {
            await harness.WriteAsync(Expected(seq));
        }
        await harness.WriteEndAsync(0, SyntheticScene.Run, StreamEndReason.Completed, 100 + burst - 1, burst);

        Assert.True(await python.WaitForExitAsync(Patience) == 0, python.Stderr);
        IReadOnlyList<JsonElement> records = python.Records;
        JsonElement lastRecord = records[^1];
        int burstPrinted = records.Count(r => r.GetProperty("seq").GetInt64() >= 100);
        Assert.Equal(100 + burst - 1, lastRecord.GetProperty("seq").GetInt64());
        Assert.True(burstPrinted <= 3, $"{burstPrinted} of the {burst} burst frames were decoded; --latest should skip to the newest");
        // Every burst frame is accounted for: decoded, skipped for a newer one, or counted missed (a seq gap: on a loaded
        // machine the publisher's high-water mark may drop one while the subscriber sleeps; `missed` also holds the jump
        // to seq 100, so this bounds from below).
        long accounted = lastRecord.GetProperty("superseded").GetInt64() + lastRecord.GetProperty("missed").GetInt64();
        Assert.True(accounted >= burst - burstPrinted, lastRecord.ToString());
    }

    private static PanopticFrame Expected(long seq) => SyntheticScene.Create(96, 54, things: (int)(seq % 12), sequence: seq);

    private static async Task RunAsync(MapEncoding encoding)
    {
        await using var harness = new PublisherHarness(Queueing() with { MapEncoding = encoding });
        await using var python = PythonSubscriberProcess.Start(await harness.EndpointAsync(),
            "--stream", "s0", "--count", Count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Images too: a subscriber that did not ask for them must not receive them.
        await SubscribedAsync(harness, FrameMetaEnd);
        for (long seq = 0; seq < Count; seq++)
        {
            await harness.WriteAsync(Expected(seq), FakeJpeg(seq), 48, 27);
        }

        Assert.True(await python.WaitForExitAsync(Patience) == 0, python.Stderr);
        Assert.DoesNotContain("malformed", python.Stderr);
        IReadOnlyList<JsonElement> records = python.Records;
        Assert.Equal(Count, records.Count);
        int withCategories = 0;
        foreach (JsonElement r in records)
        {
            long seq = r.GetProperty("seq").GetInt64();
            PanopticFrame expected = Expected(seq);
            Assert.Equal(WireFormat.SchemaVersion, r.GetProperty("v").GetInt32());
            Assert.Equal("s0", r.GetProperty("stream").GetString());
            Assert.Equal(expected.Run, r.GetProperty("run").GetString());
            Assert.Equal(expected.MediaNs, r.GetProperty("media_ns").GetInt64());
            Assert.Equal(JsonValueKind.Null, r.GetProperty("image_file").ValueKind);
            Assert.Equal(expected.ImageWidth, r.GetProperty("width").GetInt32());
            Assert.Equal(expected.ImageHeight, r.GetProperty("height").GetInt32());
            Assert.Equal(expected.MapWidth, r.GetProperty("map_width").GetInt32());
            Assert.Equal(expected.MapHeight, r.GetProperty("map_height").GetInt32());
            Assert.Equal(encoding == MapEncoding.Rle16 ? "rle16" : "raw16", r.GetProperty("encoding").GetString());
            Assert.Equal(expected.CaptureUtcNs, r.GetProperty("capture_time_unix_ns").GetInt64());
            Assert.Equal(MapSha256(expected.Map), r.GetProperty("map_sha256").GetString());
            JsonElement stages = r.GetProperty("stage_ns");
            for (int s = 0; s < (int)PipelineStage.Published; s++)
            {
                Assert.Equal(expected.StageNs[s], stages[s].GetInt64());
            }
            Assert.True(stages[(int)PipelineStage.Published].GetInt64() > 0);

            JsonElement segments = r.GetProperty("segments");
            Assert.Equal(expected.SegmentCount, segments.GetArrayLength());
            bool hasCategories = r.GetProperty("has_categories").GetBoolean();
            withCategories += hasCategories ? 1 : 0;
            for (int i = 0; i < expected.SegmentCount; i++)
            {
                PanopticSegment e = expected.Segments[i];
                JsonElement a = segments[i];
                Assert.Equal(e.Id, a.GetProperty("id").GetInt32());
                Assert.Equal(e.CategoryId, a.GetProperty("category").GetInt32());
                Assert.Equal(e.IsThing, a.GetProperty("is_thing").GetBoolean());
                Assert.Equal(e.TrackId, a.GetProperty("track_id").GetInt32());
                Assert.Equal(e.Score, a.GetProperty("score").GetSingle());
                Assert.Equal([e.BboxX, e.BboxY, e.BboxWidth, e.BboxHeight], a.GetProperty("bbox").EnumerateArray().Select(v => v.GetSingle()));
                Assert.Equal(e.Area, a.GetProperty("area").GetInt32());
                Assert.Equal([e.CentroidX, e.CentroidY], a.GetProperty("centroid").EnumerateArray().Select(v => v.GetSingle()));
                Assert.Equal([e.VelocityX, e.VelocityY], a.GetProperty("velocity").EnumerateArray().Select(v => v.GetSingle()));
                Assert.Equal(e.AgeFrames, a.GetProperty("age").GetInt32());
                Assert.Equal(e.Flags.HasFlag(SegmentFlags.BoxMask), a.GetProperty("box_mask").GetBoolean());
                if (hasCategories)
                {
                    SyntheticScene.Categories.TryGet(e.CategoryId, out Category c);
                    Assert.Equal(c.Name, a.GetProperty("category_name").GetString());
                }
            }
        }
        // The table answers the meta subscription at once, on the thread that sends the frames after it.
        Assert.True(withCategories == Count, $"only {withCategories} of {Count} frames had their category table");
    }

    /// <summary>What subscribe.py subscribes to without --images: one prefix each for frames, tables and ends.</summary>
    private const int FrameMetaEnd = 3;

    /// <summary>
    /// A publisher whose queue per subscriber holds a whole test's messages: the tests send them at once, and with the
    /// live default (8) ZeroMQ would drop some silently before its I/O thread has moved them to the socket.
    /// </summary>
    private static PublisherOptions Queueing() => new() { Endpoint = "tcp://127.0.0.1:*", SendHighWaterMark = PublisherOptions.MaxSendHighWaterMark };

    /// <summary>
    /// Waits until the publisher has seen <paramref name="subscriptions"/> subscription messages: every message sent
    /// after that reaches the subscriber (one sent before its subscription arrives is not seen by it).
    /// </summary>
    private static Task SubscribedAsync(PublisherHarness harness, int subscriptions)
        => harness.Publisher.WaitForSubscriptionsAsync(subscriptions, CancellationToken.None).WaitAsync(Patience);

    private static byte[] Serialize(PanopticFrame frame)
    {
        var buffer = new ArrayBufferWriter<byte>();
        new PanopticFrameSerializer().Write(buffer, frame);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>What a version-1 publisher sent for <paramref name="frame"/>: no run, no media time, v = 1.</summary>
    private static byte[] Version1Message(PanopticFrame frame) => MessageEditor.Edit(Serialize(frame), m =>
    {
        m["v"] = 1;
        m.Remove("run");
        m.Remove("media_ns");
    });

    /// <summary>JPEG-framed bytes unique to <paramref name="seq"/> (the protocol carries them without decoding).</summary>
    private static byte[] FakeJpeg(long seq)
    {
        byte[] jpeg = [0xFF, 0xD8, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xD9];
        BinaryPrimitives.WriteInt64LittleEndian(jpeg.AsSpan(2), seq);
        return jpeg;
    }

    private static string MapSha256(ReadOnlySpan<ushort> map)
    {
        byte[] bytes = new byte[map.Length * 2];
        for (int i = 0; i < map.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), map[i]);
        }
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
