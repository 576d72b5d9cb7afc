using RealtimeSeg.Recording.Info;
using RealtimeSeg.Recording.Mcap;
using RealtimeSeg.Recording.Tests.Support;

namespace RealtimeSeg.Recording.Tests;

public sealed class RecordingInfoTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_CleanFile_ReportsChannelsCountsSpanAndCleanClose()
    {
        string path = _dir.File("clean.mcap");
        var clock = new ManualClock();
        SampleRecording.Write(path, 300, new McapWriterOptions { TimeProvider = clock }, clock);

        RecordingInfo info = RecordingInfo.Read(path);

        Assert.True(info.ClosedCleanly);
        Assert.False(info.NeedsRecovery);
        Assert.Null(info.NotCleanReason);
        Assert.Equal(SampleRecording.ExpectedCounts(300).Sum(), info.MessageCount);
        Assert.Equal(SampleRecording.StartNs, info.StartTimeNs);
        Assert.Equal(SampleRecording.StartNs + (299 * SampleRecording.FrameNs), info.EndTimeNs);
        Assert.Equal(TimeSpan.FromTicks(299 * SampleRecording.FrameNs / 100), info.Duration);
        RecordingChannelInfo panoptic = info.Channels.Single(c => c.Topic == SampleRecording.Topics[0]);
        Assert.Equal(300, panoptic.MessageCount);
        Assert.Equal("realtimeseg.PanopticFrame", panoptic.SchemaName);
        Assert.Equal("msgpack", panoptic.MessageEncoding);
        Assert.Equal(SampleRecording.FrameNs, panoptic.MedianSpacingNs);
        Assert.Empty(panoptic.Gaps);
        Assert.Equal(string.Empty, info.Channels.Single(c => c.Topic == SampleRecording.Topics[2]).SchemaName);
    }

    [Fact]
    public void Read_ChannelSilentForASecond_ReportsOneGapWithItsBounds()
    {
        string path = _dir.File("gap.mcap");
        using (var writer = McapWriter.Create(path))
        {
            ushort a = writer.AddChannel(0, "/a", "json");
            long t = 1_000_000_000;
            for (int i = 0; i < 100; i++)
            {
                writer.Write(a, (uint)i, t, t, [1]);
                t += i == 49 ? 1_000_000_000 : 33_000_000;
            }
        }

        RecordingInfo info = RecordingInfo.Read(path);

        RecordingGap gap = Assert.Single(info.Channels[0].Gaps);
        Assert.Equal(1_000_000_000 + (49 * 33_000_000L), gap.StartNs);
        Assert.Equal(gap.StartNs + 1_000_000_000, gap.EndNs);
        Assert.Equal(TimeSpan.FromSeconds(1), gap.Duration);
        Assert.Equal(33_000_000, info.Channels[0].MedianSpacingNs);
    }

    [Fact]
    public void Read_CutFile_NeedsRecoveryAndSaysWhy()
    {
        string full = _dir.File("full.mcap");
        var clock = new ManualClock();
        SampleRecording.Write(full, 300, new McapWriterOptions { TimeProvider = clock }, clock);
        byte[] bytes = File.ReadAllBytes(full);
        string cut = _dir.File("cut.mcap");
        File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        RecordingInfo info = RecordingInfo.Read(cut);

        Assert.False(info.ClosedCleanly);
        Assert.True(info.NeedsRecovery);
        Assert.Contains("not closed", info.NotCleanReason, StringComparison.Ordinal);
        Assert.Contains("ends inside", info.NotCleanReason, StringComparison.Ordinal);
        Assert.InRange(info.ReadableUpTo, 1, bytes.Length / 2);
        Assert.True(info.MessageCount > 0);
        Assert.Equal(3, info.Channels.Count);
    }
}
