using RealtimeSeg.Recording.Mcap;
using RealtimeSeg.Recording.Tests.Support;

namespace RealtimeSeg.Recording.Tests;

public sealed class McapChunkingTests
{
    [Fact]
    public void Write_ChunkOpenForChunkDuration_ClosesAndFlushesTheChunk()
    {
        var clock = new ManualClock();
        using var stream = new MemoryStream();
        using var writer = new McapWriter(stream, new McapWriterOptions { TimeProvider = clock, ChunkDuration = TimeSpan.FromSeconds(1) }, leaveOpen: true);
        ushort channel = writer.AddChannel(0, "/a", "json");
        long afterHeader = stream.Length;

        for (int i = 0; i < 10; i++)
        {
            writer.Write(channel, (uint)i, i, i, new byte[100]);
            clock.Advance(TimeSpan.FromMilliseconds(99));
        }
        Assert.Equal(0, writer.ChunkCount);
        Assert.Equal(afterHeader, stream.Length);

        clock.Advance(TimeSpan.FromMilliseconds(20)); // the first message is now 1.01 s old
        writer.Write(channel, 10, 10, 10, new byte[100]);

        Assert.Equal(1, writer.ChunkCount);
        Assert.True(stream.Length > afterHeader, "the closed chunk reached the stream");
        Assert.Equal(writer.BytesWritten, stream.Length);
    }

    [Fact]
    public void FlushIfDue_IdleWriterPastChunkDuration_WritesTheOpenChunk()
    {
        var clock = new ManualClock();
        using var stream = new MemoryStream();
        using var writer = new McapWriter(stream, new McapWriterOptions { TimeProvider = clock }, leaveOpen: true);
        ushort channel = writer.AddChannel(0, "/a", "json");
        writer.Write(channel, 0, 0, 0, new byte[100]);

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(writer.FlushIfDue());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(writer.FlushIfDue());

        Assert.Equal(1, writer.ChunkCount);
        Assert.False(writer.FlushIfDue());
    }

    [Fact]
    public void Write_ChunkReachesChunkSize_ClosesItWhateverTheTime()
    {
        var clock = new ManualClock();
        using var writer = new McapWriter(Stream.Null, new McapWriterOptions { TimeProvider = clock, ChunkSizeBytes = 64 * 1024 });
        ushort channel = writer.AddChannel(0, "/a", "json");

        for (int i = 0; i < 6; i++)
        {
            writer.Write(channel, (uint)i, i, i, new byte[10_000]);
        }
        Assert.Equal(0, writer.ChunkCount);
        writer.Write(channel, 6, 6, 6, new byte[10_000]);

        Assert.Equal(1, writer.ChunkCount);
    }

    [Fact]
    public void Write_InfiniteChunkDuration_ClosesBySizeOnly()
    {
        var clock = new ManualClock();
        using var writer = new McapWriter(Stream.Null, new McapWriterOptions { TimeProvider = clock, ChunkDuration = Timeout.InfiniteTimeSpan });
        ushort channel = writer.AddChannel(0, "/a", "json");

        for (int i = 0; i < 100; i++)
        {
            writer.Write(channel, (uint)i, i, i, new byte[100]);
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(0, writer.ChunkCount);
    }

    [Fact]
    public void Close_Twice_WritesTheSummaryOnce()
    {
        using var stream = new MemoryStream();
        var writer = new McapWriter(stream, leaveOpen: true);
        writer.Close();
        long length = stream.Length;

        writer.Close();
        writer.Dispose();

        Assert.Equal(length, stream.Length);
        Assert.Throws<ObjectDisposedException>(() => writer.AddChannel(0, "/a", "json"));
    }
}
