using RealtimeSeg.Recording.Mcap;
using RealtimeSeg.Recording.Tests.Support;

namespace RealtimeSeg.Recording.Tests;

public sealed class McapRecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Recover_FileCutInsideAChunk_KeepsEveryCompleteChunkAndReportsTheDrop()
    {
        string full = _dir.File("full.mcap");
        var clock = new ManualClock();
        SampleRecording.Write(full, 450, new McapWriterOptions { TimeProvider = clock }, clock);
        McapChunkIndex torn;
        long keptExpected;
        using (McapReader reader = McapReader.Open(full))
        {
            torn = reader.ChunkIndexes[10];
            keptExpected = reader.ChunkIndexes.Take(10).Sum(c => (long)reader.ReadChunk(c).Count);
        }
        string cut = _dir.File("cut.mcap");
        File.WriteAllBytes(cut, File.ReadAllBytes(full).AsSpan(0, (int)(torn.ChunkStartOffset + 100)).ToArray());
        string output = _dir.File("recovered.mcap");

        McapRecoveryReport report = McapRecovery.Recover(cut, output);

        Assert.False(report.InputWasComplete);
        Assert.Equal(keptExpected, report.MessagesKept);
        Assert.Equal(10, report.ChunksKept);
        Assert.Equal(torn.ChunkStartOffset, report.CompleteUpTo);
        Assert.Equal(100, report.BytesDropped);
        Assert.Contains("Chunk record", report.StopReason, StringComparison.Ordinal);
        using McapReader recovered = McapReader.Open(output);
        Assert.True(recovered.IsIndexed);
        Assert.Equal(keptExpected, recovered.ReadMessages().LongCount());
        Assert.Equal(keptExpected, recovered.Statistics!.MessageCount);
        Assert.Equal(report.MessagesByTopic.Values.Sum(), keptExpected);
        Assert.Equal(3, recovered.Channels.Count);
        McapChannel panoptic = recovered.Channels.Values.Single(c => c.Topic == SampleRecording.Topics[0]);
        Assert.Equal("realtimeseg.PanopticFrame", recovered.Schemas[panoptic.SchemaId].Name);
        Assert.Equal("cam0", panoptic.Metadata["stream"]);
        Assert.Empty(recovered.VerifyCrcs());
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public void Recover_CorruptChunkInTheMiddle_DropsOnlyThatChunk()
    {
        string good = _dir.File("good.mcap");
        var clock = new ManualClock();
        SampleRecording.Write(good, 300, new McapWriterOptions { Compression = McapCompression.None, TimeProvider = clock }, clock);
        McapChunkIndex chunk;
        long total, inChunk;
        using (McapReader reader = McapReader.Open(good))
        {
            chunk = reader.ChunkIndexes[3];
            total = reader.Statistics!.MessageCount;
            inChunk = reader.ReadChunk(chunk).Count;
        }
        byte[] bytes = File.ReadAllBytes(good);
        bytes[chunk.ChunkStartOffset + chunk.ChunkLength - 10] ^= 0xFF;
        string bad = _dir.File("bad.mcap");
        File.WriteAllBytes(bad, bytes);

        McapRecoveryReport report = McapRecovery.Recover(bad, _dir.File("out.mcap"));

        Assert.True(report.InputWasComplete);
        Assert.Equal(total - inChunk, report.MessagesKept);
        Assert.Contains(report.Problems, p => p.Offset == chunk.ChunkStartOffset);
        Assert.Equal(0, report.BytesDropped);
    }

    [Fact]
    public void Recover_NotAnMcapFile_ThrowsAndLeavesNoOutput()
    {
        string input = _dir.File("notes.txt");
        File.WriteAllText(input, "not a recording");
        string output = _dir.File("out.mcap");

        var e = Assert.Throws<McapFormatException>(() => McapRecovery.Recover(input, output));

        Assert.Equal(input, e.FilePath);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public void Recover_OutputIsTheInput_Throws()
    {
        string path = _dir.File("same.mcap");
        SampleRecording.Write(path, 10, new McapWriterOptions());

        Assert.Throws<ArgumentException>(() => McapRecovery.Recover(path, path));
    }
}
