using RealtimeSeg.Recording.Mcap;
using RealtimeSeg.Recording.Tests.Support;

namespace RealtimeSeg.Recording.Tests;

public sealed class McapRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(McapCompression.Zstd)]
    [InlineData(McapCompression.Lz4)]
    [InlineData(McapCompression.None)]
    public void ReadMessages_WrittenFile_ReturnsEveryMessageWithItsFieldsAndPayload(McapCompression compression)
    {
        string path = _dir.File("rt.mcap");
        var clock = new ManualClock();
        SampleRecording.Write(path, 600, new McapWriterOptions { Compression = compression, TimeProvider = clock }, clock);

        using McapReader reader = McapReader.Open(path);

        Assert.True(reader.IsIndexed);
        Assert.Equal(3, reader.Channels.Count);
        McapChannel panoptic = reader.Channels.Values.Single(c => c.Topic == SampleRecording.Topics[0]);
        Assert.Equal("msgpack", panoptic.MessageEncoding);
        Assert.Equal("cam0", panoptic.Metadata["stream"]);
        Assert.Equal("realtimeseg.PanopticFrame", reader.Schemas[panoptic.SchemaId].Name);
        Assert.Equal("protocol v2"u8.ToArray(), reader.Schemas[panoptic.SchemaId].Data.ToArray());
        long[] expected = SampleRecording.ExpectedCounts(600);
        Assert.Equal(expected.Sum(), reader.Statistics!.MessageCount);
        Assert.Equal(expected[0], reader.Statistics.ChannelMessageCounts[panoptic.Id]);
        Assert.Equal(reader.ChunkIndexes.Count, reader.Statistics.ChunkCount);
        Assert.True(reader.ChunkIndexes.Count >= 15, $"1 s chunks over 20 s, got {reader.ChunkIndexes.Count}");
        Assert.All(reader.ChunkIndexes, c => Assert.Equal(compression switch { McapCompression.Zstd => "zstd", McapCompression.Lz4 => "lz4", _ => "" }, c.Compression));

        var payload = new byte[3300];
        int frame = 0;
        long previous = 0;
        foreach (McapMessage m in reader.ReadMessages(topics: [SampleRecording.Topics[0]]))
        {
            Assert.Equal(panoptic.Id, m.ChannelId);
            Assert.Equal((uint)frame, m.Sequence);
            Assert.Equal(SampleRecording.StartNs + (frame * SampleRecording.FrameNs), m.LogTimeNs);
            Assert.Equal(m.LogTimeNs + 1000, m.PublishTimeNs);
            SampleRecording.Fill(payload, frame);
            Assert.True(payload.AsSpan(0, 3000 + (frame % 255)).SequenceEqual(m.Data.Span), $"payload of frame {frame}");
            Assert.True(m.LogTimeNs >= previous);
            previous = m.LogTimeNs;
            frame++;
        }
        Assert.Equal(600, frame);
        Assert.Empty(reader.VerifyCrcs());
    }

    [Fact]
    public void ReadMessages_TimeRange_ReturnsOnlyMessagesInside()
    {
        string path = _dir.File("range.mcap");
        var clock = new ManualClock();
        SampleRecording.Write(path, 300, new McapWriterOptions { TimeProvider = clock }, clock);
        long from = SampleRecording.StartNs + (100 * SampleRecording.FrameNs), to = SampleRecording.StartNs + (199 * SampleRecording.FrameNs);

        using McapReader reader = McapReader.Open(path);
        List<McapMessage> messages = [.. reader.ReadMessages(topics: [SampleRecording.Topics[1]], startNs: from, endNs: to)];

        Assert.Equal(100, messages.Count);
        Assert.Equal(100u, messages[0].Sequence);
        Assert.Equal(199u, messages[^1].Sequence);
    }

    [Fact]
    public void ReadMessages_ChunksOverlappingInTime_MergesInLogTimeOrder()
    {
        // Two publishers whose clocks disagree: each chunk spans the other's times.
        string path = _dir.File("overlap.mcap");
        using (var writer = McapWriter.Create(path, new McapWriterOptions { ChunkSizeBytes = 1024, ChunkDuration = Timeout.InfiniteTimeSpan }))
        {
            ushort a = writer.AddChannel(0, "/a", "json");
            ushort b = writer.AddChannel(0, "/b", "json");
            var payload = new byte[300];
            for (int i = 0; i < 100; i++)
            {
                writer.Write(a, (uint)i, 1_000 + (i * 10L), 0, payload);
                writer.Write(b, (uint)i, 1_500 - (i * 5L) + (i % 2 == 0 ? 0 : 900), 0, payload);
            }
        }

        using McapReader reader = McapReader.Open(path);
        List<long> times = [.. reader.ReadMessages().Select(m => m.LogTimeNs)];

        Assert.Equal(200, times.Count);
        Assert.True(reader.ChunkIndexes.Count > 10);
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public void TryReadMessage_CompleteFile_StreamsEveryMessageAndEndsComplete()
    {
        string path = _dir.File("stream.mcap");
        SampleRecording.Write(path, 200, new McapWriterOptions { Compression = McapCompression.Lz4, ChunkSizeBytes = 16 * 1024 });

        using var reader = McapStreamReader.Open(path);
        long count = reader.ReadMessages().LongCount();

        Assert.Equal(SampleRecording.ExpectedCounts(200).Sum(), count);
        Assert.Equal(McapStreamStatus.Complete, reader.Status);
        Assert.True(reader.SawDataEnd);
        Assert.Null(reader.StopReason);
        Assert.Equal(new FileInfo(path).Length, reader.CompleteUpTo);
        Assert.Equal("realtimeseg-mcap/1", reader.Header!.Library);
        Assert.Equal(3, reader.Channels.Count);
    }

    [Fact]
    public void Open_EmptyRecording_IsIndexedWithNoMessages()
    {
        string path = _dir.File("empty.mcap");
        using (McapWriter.Create(path))
        {
        }

        using McapReader reader = McapReader.Open(path);

        Assert.True(reader.IsIndexed);
        Assert.Empty(reader.ReadMessages());
        Assert.Equal(0, reader.Statistics!.MessageCount);
    }

    [Fact]
    public void AddSchema_SameSchemaTwice_ReturnsTheSameId()
    {
        using var writer = new McapWriter(Stream.Null);

        ushort first = writer.AddSchema("s", "protobuf", [1, 2, 3]);
        ushort again = writer.AddSchema("s", "protobuf", [1, 2, 3]);
        ushort other = writer.AddSchema("s", "protobuf", [1, 2, 4]);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Write_UnknownChannel_ThrowsNamingTheChannel()
    {
        using var writer = new McapWriter(Stream.Null);
        writer.AddChannel(0, "/a", "json");

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(7, 0, 0, 0, [1]));

        Assert.Contains("no channel 7", e.Message, StringComparison.Ordinal);
    }
}
