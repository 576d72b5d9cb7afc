using System.Buffers;
using System.Text.Json;
using RealtimeSeg.Recording.Foxglove;
using RealtimeSeg.Recording.Mcap;
using RealtimeSeg.Recording.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Recording.Tests;

/// <summary>Our files as @mcap/core, the official TypeScript reader (what Foxglove uses), sees them.</summary>
public sealed class OfficialReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [NodeTheory]
    [InlineData(McapCompression.Zstd)]
    [InlineData(McapCompression.Lz4)]
    [InlineData(McapCompression.None)]
    public void Indexed_MultiChannelFile_OfficialReaderCountsEveryMessageAndChecksEveryChunk(McapCompression compression)
    {
        const int frames = 3000;
        string path = _dir.File($"multi-{compression}.mcap");
        var clock = new ManualClock();
        SampleRecording.Write(path, frames, new McapWriterOptions { Compression = compression, TimeProvider = clock, ChunkSizeBytes = 256 * 1024 }, clock);

        JsonElement report = OfficialMcapReader.Indexed(path);

        long[] expected = SampleRecording.ExpectedCounts(frames);
        long total = expected.Sum();
        Assert.Equal(total, report.GetProperty("messagesRead").GetInt64());
        Assert.True(report.GetProperty("logTimeOrdered").GetBoolean());
        JsonElement stats = report.GetProperty("statistics");
        Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), stats.GetProperty("messageCount").GetString());
        Assert.Equal(3, stats.GetProperty("channelCount").GetInt32());
        Assert.Equal(SampleRecording.StartNs.ToString(System.Globalization.CultureInfo.InvariantCulture), stats.GetProperty("messageStartTime").GetString());
        JsonElement chunks = report.GetProperty("chunks");
        Assert.True(chunks.GetProperty("count").GetInt32() > 10, $"expected many chunks, got {chunks}");
        Assert.Equal(stats.GetProperty("chunkCount").GetInt32(), chunks.GetProperty("count").GetInt32());
        Assert.Equal(0, chunks.GetProperty("crcMismatches").GetArrayLength());
        Assert.NotEqual(0u, report.GetProperty("dataSectionCrc").GetUInt32());
        for (int i = 0; i < SampleRecording.Topics.Length; i++)
        {
            JsonElement channel = Channel(report, SampleRecording.Topics[i]);
            Assert.Equal(expected[i], channel.GetProperty("readCount").GetInt64());
            Assert.Equal(expected[i].ToString(System.Globalization.CultureInfo.InvariantCulture), channel.GetProperty("statisticsCount").GetString());
        }
        JsonElement panoptic = Channel(report, SampleRecording.Topics[0]);
        Assert.Equal("realtimeseg.PanopticFrame", panoptic.GetProperty("schemaName").GetString());
        Assert.Equal("msgpack", panoptic.GetProperty("messageEncoding").GetString());
        Assert.Equal("realtimeseg-mcap/1", report.GetProperty("header").GetProperty("library").GetString());
    }

    [NodeFact]
    public void Indexed_FoxgloveChannels_DecodeWithTheirSchemaAsFoxgloveReadsThem()
    {
        string path = _dir.File("foxglove.mcap");
        const long t = 1_700_000_001_250_000_000;
        byte[] jpeg = new byte[40_000];
        new Random(7).NextBytes(jpeg);
        using (var writer = McapWriter.Create(path))
        {
            ushort image = FoxgloveSchemas.AddCompressedImageChannel(writer, "/realtimeseg/cam0/image");
            ushort annotations = FoxgloveSchemas.AddImageAnnotationsChannel(writer, "/realtimeseg/cam0/annotations");
            var buffer = new ArrayBufferWriter<byte>();
            FoxgloveEncoder.WriteCompressedImage(buffer, t, "cam0", jpeg);
            writer.Write(image, 0, t, t, buffer.WrittenSpan);
            buffer.Clear();
            ImageAnnotationBox[] boxes =
            [
                new(10, 20, 100, 50, 12, "car", new AnnotationColor(255, 0, 0)),
                new(300.5f, 40, 20, 60, 0, "person", AnnotationColor.FromRgb(0x00FF80, 200)),
            ];
            FoxgloveEncoder.WriteImageAnnotations(buffer, t, boxes);
            writer.Write(annotations, 0, t, t, buffer.WrittenSpan);
        }

        JsonElement report = OfficialMcapReader.Indexed(path);

        JsonElement imageChannel = Channel(report, "/realtimeseg/cam0/image");
        Assert.Equal("foxglove.CompressedImage", imageChannel.GetProperty("schemaName").GetString());
        Assert.Equal("protobuf", imageChannel.GetProperty("schemaEncoding").GetString());
        Assert.Equal("protobuf", imageChannel.GetProperty("messageEncoding").GetString());
        Assert.Equal("foxglove.ImageAnnotations", Channel(report, "/realtimeseg/cam0/annotations").GetProperty("schemaName").GetString());

        JsonElement img = report.GetProperty("samples").GetProperty("/realtimeseg/cam0/image");
        Assert.Equal("1700000001", img.GetProperty("timestamp").GetProperty("seconds").GetString());
        Assert.Equal(250_000_000, img.GetProperty("timestamp").GetProperty("nanos").GetInt32());
        Assert.Equal("cam0", img.GetProperty("frame_id").GetString());
        Assert.Equal("jpeg", img.GetProperty("format").GetString());
        Assert.Equal(jpeg.Length, img.GetProperty("data").GetProperty("byteLength").GetInt32());

        JsonElement ann = report.GetProperty("samples").GetProperty("/realtimeseg/cam0/annotations");
        Assert.Equal("1700000001", ann.GetProperty("timestamp").GetProperty("seconds").GetString());
        JsonElement points = ann.GetProperty("points");
        Assert.Equal(2, points.GetArrayLength());
        JsonElement first = points[0];
        Assert.Equal("LINE_LOOP", first.GetProperty("type").GetString());
        double[][] corners = [.. first.GetProperty("points").EnumerateArray().Select(p => new[] { p.GetProperty("x").GetDouble(), p.GetProperty("y").GetDouble() })];
        Assert.Equal([[10, 20], [110, 20], [110, 70], [10, 70]], corners);
        Assert.Equal(1.0, first.GetProperty("outline_color").GetProperty("r").GetDouble());
        Assert.Equal(0.0, first.GetProperty("outline_color").GetProperty("g").GetDouble());
        Assert.Equal(2.0, first.GetProperty("thickness").GetDouble());
        JsonElement texts = ann.GetProperty("texts");
        Assert.Equal("car #12", texts[0].GetProperty("text").GetString());
        Assert.Equal("person", texts[1].GetProperty("text").GetString());
        Assert.Equal(300.5, texts[1].GetProperty("position").GetProperty("x").GetDouble());
        Assert.Equal(200 / 255.0, texts[1].GetProperty("background_color").GetProperty("a").GetDouble(), 6);
        Assert.Equal(14.0, texts[0].GetProperty("font_size").GetDouble());
    }

    [NodeFact]
    public void Stream_CompleteFile_EndsClean()
    {
        string path = _dir.File("complete.mcap");
        SampleRecording.Write(path, 500, new McapWriterOptions());

        JsonElement report = OfficialMcapReader.Stream(path);

        Assert.Equal("clean", report.GetProperty("ended").GetString());
        Assert.Equal(SampleRecording.ExpectedCounts(500).Sum(), report.GetProperty("messages").GetInt64());
    }

    [NodeFact]
    public void Stream_FileCutAtSeveralOffsets_ReadsCompletedChunksAndLastMessageIsRecent()
    {
        // A recorder killed mid-write: the file is the prefix its writer had flushed. Chunks close every 1 s of the
        // injected clock, so each cut must still hold everything older than about one chunk duration.
        const int frames = 900; // 30 s at 30 fps
        string full = _dir.File("full.mcap");
        var clock = new ManualClock();
        var options = new McapWriterOptions { TimeProvider = clock, ChunkSizeBytes = 8 * 1024 * 1024 };
        var prefixes = new List<(long Length, long LastWrittenNs)>();
        using (var stream = new FileStream(full, FileMode.Create, FileAccess.Write))
        using (var writer = new McapWriter(stream, options))
        {
            ushort channel = writer.AddChannel(0, SampleRecording.Topics[0], "msgpack");
            var payload = new byte[20_000];
            for (int f = 0; f < frames; f++)
            {
                long t = SampleRecording.StartNs + (f * SampleRecording.FrameNs);
                SampleRecording.Fill(payload, f);
                writer.Write(channel, (uint)f, t, t, payload);
                clock.Advance(TimeSpan.FromTicks(SampleRecording.FrameNs / 100));
                if (f % 97 == 50)
                {
                    prefixes.Add((writer.BytesWritten, t)); // what a kill -9 right now would leave on disk
                }
            }
        }
        byte[] bytes = File.ReadAllBytes(full);
        Assert.True(prefixes.Count >= 8);

        foreach ((long length, long lastWrittenNs) in prefixes)
        {
            // The flushed prefix, and the same with a torn half-written chunk after it.
            foreach (long cut in new[] { length, Math.Min(bytes.Length - 1, length + 7_000) })
            {
                string path = _dir.File($"cut-{cut}.mcap");
                File.WriteAllBytes(path, bytes.AsSpan(0, (int)cut).ToArray());

                JsonElement report = OfficialMcapReader.Stream(path);

                Assert.True(report.GetProperty("ended").GetString() == "truncated", $"cut at {cut}: {report}");
                Assert.True(report.GetProperty("error").ValueKind == JsonValueKind.Null, $"cut at {cut}: {report}");
                long lastNs = long.Parse(report.GetProperty("lastLogTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                double behindSeconds = (lastWrittenNs - lastNs) / 1e9;
                Assert.True(behindSeconds <= 2.0, $"cut at {cut}: last readable message is {behindSeconds:F2} s older than the last one written");
                Assert.Equal(length, report.GetProperty("stoppedAt").GetInt64());
            }
        }
    }

    [NodeFact]
    public void Indexed_RecoveredFile_OpensWithTheCountsOfTheCompleteChunks()
    {
        string full = _dir.File("full.mcap");
        var clock = new ManualClock();
        SampleRecording.Write(full, 1200, new McapWriterOptions { TimeProvider = clock, Compression = McapCompression.Lz4 }, clock);
        byte[] bytes = File.ReadAllBytes(full);
        string cut = _dir.File("cut.mcap");
        File.WriteAllBytes(cut, bytes.AsSpan(0, (int)(bytes.Length * 0.6)).ToArray());
        OfficialMcapReader.IndexedRejecting(cut);
        JsonElement streamed = OfficialMcapReader.Stream(cut);

        string recovered = _dir.File("recovered.mcap");
        McapRecoveryReport result = McapRecovery.Recover(cut, recovered);
        JsonElement report = OfficialMcapReader.Indexed(recovered);

        Assert.Equal(streamed.GetProperty("messages").GetInt64(), result.MessagesKept);
        Assert.Equal(result.MessagesKept, report.GetProperty("messagesRead").GetInt64());
        Assert.Equal(result.MessagesKept.ToString(System.Globalization.CultureInfo.InvariantCulture), report.GetProperty("statistics").GetProperty("messageCount").GetString());
        foreach (JsonElement channel in report.GetProperty("channels").EnumerateArray())
        {
            string topic = channel.GetProperty("topic").GetString()!;
            Assert.Equal(streamed.GetProperty("messagesByTopic").GetProperty(topic).GetInt64(), channel.GetProperty("readCount").GetInt64());
            Assert.Equal(result.MessagesByTopic[topic], channel.GetProperty("readCount").GetInt64());
        }
        Assert.Equal(0, report.GetProperty("chunks").GetProperty("crcMismatches").GetArrayLength());
    }

    [NodeFact]
    public void Indexed_ByteFlippedInChunk_OfficialReaderRejectsTheCrc()
    {
        // The checker itself must be able to fail: a corrupt chunk is reported, not read.
        string path = _dir.File("corrupt.mcap");
        SampleRecording.Write(path, 200, new McapWriterOptions { Compression = McapCompression.None, ChunkSizeBytes = 64 * 1024 });
        McapChunkIndex chunk;
        using (McapReader reader = McapReader.Open(path))
        {
            chunk = reader.ChunkIndexes[1];
        }
        byte[] bytes = File.ReadAllBytes(path);
        bytes[chunk.ChunkStartOffset + chunk.ChunkLength - 50] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        JsonElement report = OfficialMcapReader.IndexedRejecting(path);

        Assert.Contains("CRC", report.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static JsonElement Channel(JsonElement report, string topic) =>
        report.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("topic").GetString() == topic);
}
