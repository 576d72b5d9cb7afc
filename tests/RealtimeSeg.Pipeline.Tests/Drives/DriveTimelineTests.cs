using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Drives;

namespace RealtimeSeg.Pipeline.Tests.Drives;

public sealed class DriveTimelineTests
{
    [Fact]
    public void TryGetTime_FromRateWithOffset_IsOffsetPlusSequenceOverFps()
    {
        DriveTimeline t = DriveTimeline.FromRate(25, -0.5);
        Assert.True(t.TryGetTime(0, out double t0));
        Assert.True(t.TryGetTime(50, out double t50));
        Assert.Equal(-0.5, t0, 9);
        Assert.Equal(1.5, t50, 9);
        Assert.Null(t.Length);
    }

    [Fact]
    public void TryGetTime_FromTimestamps_PastTheLastLineIsFalse()
    {
        DriveTimeline t = DriveTimeline.FromTimestamps([10.0, 10.04, 10.1], 0.25);
        Assert.True(t.TryGetTime(2, out double last));
        Assert.Equal(10.35, last, 9);
        Assert.False(t.TryGetTime(3, out _));
        Assert.Equal(3, t.Length);
    }

    [Fact]
    public void ReadTimestamps_NotANumber_FailsNamingFileAndLine()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "0.0\n\n0.1 # ok\nabc\n");
            var e = Assert.Throws<ConfigurationException>(() => DriveTimeline.ReadTimestamps(path));
            Assert.Contains($"{path}:4", e.Message);
            Assert.Contains("'abc'", e.Message);
            File.WriteAllText(path, "0.0\n\n0.1 # ok\n0.2\n");
            Assert.Equal([0.0, 0.1, 0.2], DriveTimeline.ReadTimestamps(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
