using RealtimeSeg.Recording.Mcap;
using RealtimeSeg.Recording.Tests.Support;

namespace RealtimeSeg.Recording.Tests;

public sealed class McapCorruptionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReadMessages_ByteFlippedInChunk_ThrowsCrcMismatchAtTheChunkOffset()
    {
        (string path, McapChunkIndex chunk) = CorruptOneChunk();

        using McapReader reader = McapReader.Open(path);
        var e = Assert.Throws<McapFormatException>(() => reader.ReadMessages().Count());

        Assert.Equal(chunk.ChunkStartOffset, e.Offset);
        Assert.Equal(path, e.FilePath);
        Assert.Contains("chunk CRC mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyCrcs_ByteFlippedInChunk_ReportsChunkAndDataSection()
    {
        (string path, McapChunkIndex chunk) = CorruptOneChunk();

        using McapReader reader = McapReader.Open(path);
        IReadOnlyList<McapProblem> problems = reader.VerifyCrcs();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Offset == chunk.ChunkStartOffset && p.Message.Contains("chunk CRC", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("data section CRC", StringComparison.Ordinal));
    }

    [Fact]
    public void TryReadMessage_ByteFlippedInChunkStrict_Throws()
    {
        (string path, McapChunkIndex chunk) = CorruptOneChunk();

        using var reader = McapStreamReader.Open(path);
        var e = Assert.Throws<McapFormatException>(() => reader.ReadMessages().Count());

        Assert.Equal(chunk.ChunkStartOffset, e.Offset);
    }

    [Fact]
    public void TryReadMessage_ByteFlippedInChunkTolerant_SkipsTheChunkAndReportsIt()
    {
        (string path, McapChunkIndex chunk) = CorruptOneChunk();
        using McapReader original = McapReader.Open(_dir.File("good.mcap"));
        long total = original.Statistics!.MessageCount;

        using var reader = McapStreamReader.Open(path, skipCorruptChunks: true);
        long read = reader.ReadMessages().LongCount();

        Assert.True(read < total && read > total / 2, $"{read} of {total}");
        Assert.Equal(McapStreamStatus.Complete, reader.Status);
        Assert.Contains(reader.Problems, p => p.Offset == chunk.ChunkStartOffset);
        Assert.Contains(reader.Problems, p => p.Message.Contains("data section CRC", StringComparison.Ordinal));
    }

    [Fact]
    public void Open_ByteFlippedInSummary_ThrowsSummaryCrcMismatch()
    {
        string path = _dir.File("good.mcap");
        SampleRecording.Write(path, 100, new McapWriterOptions());
        long summaryStart;
        using (McapReader reader = McapReader.Open(path))
        {
            summaryStart = reader.SummaryStart;
        }
        byte[] bytes = File.ReadAllBytes(path);
        bytes[summaryStart + 20] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<McapFormatException>(() => McapReader.Open(path));

        Assert.Equal(summaryStart, e.Offset);
        Assert.Contains("summary CRC mismatch", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("png")]
    [InlineData("zip")]
    public void Open_NotAnMcapFile_ThrowsNamingFileAndOffset(string kind)
    {
        string path = _dir.File(kind + ".bin");
        byte[] bytes = kind switch
        {
            "png" => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13],
            "zip" => [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0],
            _ => [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 31))],
        };
        File.WriteAllBytes(path, bytes);

        var indexed = Assert.Throws<McapFormatException>(() => McapReader.Open(path));
        using var stream = McapStreamReader.Open(path);
        var streamed = Assert.Throws<McapFormatException>(() => stream.ReadMessages().Count());

        foreach (McapFormatException e in new[] { indexed, streamed })
        {
            Assert.Equal(0, e.Offset);
            Assert.StartsWith(path + ": offset 0: not an MCAP file", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryReadMessage_ValidMagicThenGarbage_ThrowsAtTheFirstRecord()
    {
        string path = _dir.File("magic-garbage.mcap");
        File.WriteAllBytes(path, [0x89, (byte)'M', (byte)'C', (byte)'A', (byte)'P', (byte)'0', 0x0D, 0x0A, 0x42, 1, 0, 0, 0, 0, 0, 0, 0, 0]);

        using var stream = McapStreamReader.Open(path);
        var e = Assert.Throws<McapFormatException>(() => stream.ReadMessages().Count());

        Assert.Equal(8, e.Offset);
        Assert.Contains("expected the Header record", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EmptyFile_ThrowsAndStreamReportsEmpty()
    {
        string path = _dir.File("empty.mcap");
        File.WriteAllBytes(path, []);

        Assert.Throws<McapFormatException>(() => McapReader.Open(path));
        using var stream = McapStreamReader.Open(path);
        Assert.Empty(stream.ReadMessages());
        Assert.Equal(McapStreamStatus.Truncated, stream.Status);
        Assert.Equal("the file is empty", stream.StopReason);
    }

    /// <summary>Writes good.mcap (uncompressed, so a flipped byte still decompresses) and bad.mcap with one byte of a middle chunk's records flipped.</summary>
    private (string Path, McapChunkIndex Chunk) CorruptOneChunk()
    {
        string good = _dir.File("good.mcap");
        var clock = new ManualClock();
        SampleRecording.Write(good, 300, new McapWriterOptions { Compression = McapCompression.None, TimeProvider = clock }, clock);
        McapChunkIndex chunk;
        using (McapReader reader = McapReader.Open(good))
        {
            chunk = reader.ChunkIndexes[reader.ChunkIndexes.Count / 2];
        }
        byte[] bytes = File.ReadAllBytes(good);
        bytes[chunk.ChunkStartOffset + chunk.ChunkLength - 100] ^= 0x01; // inside the last message's payload
        string bad = _dir.File("bad.mcap");
        File.WriteAllBytes(bad, bytes);
        return (bad, chunk);
    }
}
