using RealtimeSeg.Recording.Info;
using RealtimeSeg.Recording.Mcap;
using RealtimeSeg.Recording.Tests.Support;

namespace RealtimeSeg.Recording.Tests;

public sealed class McapTruncationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Readers_FileCutAtEveryOffset_StopCleanlyAndSayWhere()
    {
        string full = _dir.File("small.mcap");
        SampleRecording.Write(full, 12, new McapWriterOptions { ChunkSizeBytes = 1024, Compression = McapCompression.Lz4 }, payloadBytes: 300);
        byte[] bytes = File.ReadAllBytes(full);
        List<McapMessage> all;
        using (var complete = McapStreamReader.Open(full))
        {
            all = [.. complete.ReadMessages()];
        }
        Assert.True(bytes.Length > 1000 && bytes.Length < 20_000, $"{bytes.Length} bytes");

        string cutPath = _dir.File("cut.mcap");
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            File.WriteAllBytes(cutPath, bytes.AsSpan(0, cut).ToArray());

            using (var stream = McapStreamReader.Open(cutPath))
            {
                List<McapMessage> read = [.. stream.ReadMessages()];
                Assert.True(stream.Status == McapStreamStatus.Truncated, $"cut {cut}: {stream.Status}");
                Assert.NotNull(stream.StopReason);
                Assert.InRange(stream.CompleteUpTo, 0, cut);
                Assert.True(read.Count <= all.Count);
                for (int i = 0; i < read.Count; i++)
                {
                    Assert.True(read[i].Data.Span.SequenceEqual(all[i].Data.Span) && read[i].LogTimeNs == all[i].LogTimeNs, $"cut {cut}: message {i} differs");
                }
            }

            try
            {
                using McapReader indexed = McapReader.Open(cutPath);
                Assert.False(indexed.IsIndexed, $"cut {cut} claims to be indexed");
                Assert.NotNull(indexed.NotIndexedReason);
                RecordingInfo info = RecordingInfo.Read(cutPath);
                Assert.True(info.NeedsRecovery);
                Assert.False(info.ClosedCleanly);
            }
            catch (McapFormatException e)
            {
                // Only a file too short to hold its Header cannot be opened at all.
                Assert.True(cut < 8 + 9 + 8 + 18 + 64, $"cut {cut}: {e.Message}");
                Assert.Equal(cutPath, e.FilePath);
            }
        }
    }

    [Fact]
    public void TryReadMessage_TornLastChunk_ReadsEveryCompleteChunkAndReportsTheOffset()
    {
        string full = _dir.File("torn.mcap");
        var clock = new ManualClock();
        SampleRecording.Write(full, 300, new McapWriterOptions { TimeProvider = clock }, clock);
        using McapReader complete = McapReader.Open(full);
        McapChunkIndex last = complete.ChunkIndexes[^1];
        McapChunkIndex beforeLast = complete.ChunkIndexes[^2];
        long cut = last.ChunkStartOffset + (last.ChunkLength / 2);
        string path = _dir.File("cut.mcap");
        File.WriteAllBytes(path, File.ReadAllBytes(full).AsSpan(0, (int)cut).ToArray());

        using var reader = McapStreamReader.Open(path);
        List<McapMessage> messages = [.. reader.ReadMessages()];

        Assert.Equal(McapStreamStatus.Truncated, reader.Status);
        Assert.Equal(last.ChunkStartOffset, reader.CompleteUpTo);
        Assert.Contains($"Chunk record at offset {last.ChunkStartOffset}", reader.StopReason, StringComparison.Ordinal);
        Assert.Equal(beforeLast.MessageEndTimeNs, messages.Max(m => m.LogTimeNs));
        Assert.Equal(complete.ChunkIndexes.Count - 1, reader.ChunkCount);
    }
}
