using RealtimeSeg.Fleet;

namespace RealtimeSeg.Fleet.Tests;

public sealed class SegmentPlannerTests
{
    private static SourcePlan Plan(long frames = 60, double fps = 10, double segment = 0.5, double overlap = 0.3, string hash = "h")
        => SegmentPlanner.Plan("images:/data/drive", frames, fps, segment, overlap, null, "/m.onnx", hash, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Plan_SixtyFramesInHalfSecondSegments_TwelveJobsOwningEveryFrameOnce()
    {
        SourcePlan plan = Plan();
        Assert.Equal(12, plan.Jobs.Count);
        long next = 0;
        foreach (FleetJob job in plan.Jobs)
        {
            Assert.Equal(next, job.StartFrame);
            Assert.Equal(Math.Max(0, job.StartFrame - 3), job.FirstFrame);
            Assert.Equal(job.StartFrame + 5, job.EndFrame);
            next = job.EndFrame;
        }
        Assert.Equal(60, next);
        Assert.Equal(12, plan.Jobs.Select(j => j.JobId).Distinct().Count());
    }

    [Fact]
    public void Plan_LastSegmentShorter_EndsAtTheLastFrame()
    {
        SourcePlan plan = Plan(frames: 62);
        Assert.Equal(13, plan.Jobs.Count);
        Assert.Equal(60, plan.Jobs[^1].StartFrame);
        Assert.Equal(62, plan.Jobs[^1].EndFrame);
    }

    [Fact]
    public void Plan_SameInputs_SameJobIds_OtherConfigOtherIds()
    {
        Assert.Equal(Plan().Jobs.Select(j => j.JobId), Plan().Jobs.Select(j => j.JobId));
        Assert.NotEqual(Plan().Jobs[0].JobId, Plan(hash: "other").Jobs[0].JobId);
        Assert.NotEqual(Plan().Jobs[0].JobId, Plan(overlap: 0.2).Jobs[0].JobId);
    }

    [Theory]
    [InlineData(0.5, 0.5, "--overlap-seconds")]
    [InlineData(0.5, -1, "--overlap-seconds")]
    [InlineData(0, 0, "--segment-seconds")]
    public void Plan_BadSegmentation_ThrowsNamingTheFlag(double segment, double overlap, string flag)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Plan(segment: segment, overlap: overlap));
        Assert.Contains(flag, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigHash_ConfigFileChanges_HashChanges()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "model: { path: a.onnx }\n");
            string before = SegmentPlanner.ConfigHash(file, null);
            Assert.Equal(before, SegmentPlanner.ConfigHash(file, null));
            File.WriteAllText(file, "model: { path: b.onnx }\n");
            Assert.NotEqual(before, SegmentPlanner.ConfigHash(file, null));
            Assert.NotEqual(SegmentPlanner.ConfigHash(null, "/a.onnx"), SegmentPlanner.ConfigHash(null, "/b.onnx"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
