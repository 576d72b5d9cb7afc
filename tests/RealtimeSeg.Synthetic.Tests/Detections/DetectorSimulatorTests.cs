using RealtimeSeg.Formats.Mot;
using RealtimeSeg.Synthetic.Detections;

namespace RealtimeSeg.Synthetic.Tests.Detections;

public sealed class DetectorSimulatorTests
{
    private static readonly DetectorSimulatorOptions Clean = new()
    {
        FalsePositivesPerObject = 0,
        FalsePositivesPerFrame = 0,
        MinScore = 0,
    };

    [Fact]
    public void Simulate_SameSeed_SameDetections_OtherSeed_Others()
    {
        MotSequence gt = Walkers(objects: 4, frames: 200);

        DetectorSimulation a = DetectorSimulator.Simulate(gt, 30, 1280, 720, new DetectorSimulatorOptions { Seed = 3 });
        DetectorSimulation b = DetectorSimulator.Simulate(gt, 30, 1280, 720, new DetectorSimulatorOptions { Seed = 3 });
        DetectorSimulation c = DetectorSimulator.Simulate(gt, 30, 1280, 720, new DetectorSimulatorOptions { Seed = 4 });

        Assert.Equal(a.Detections, b.Detections);
        Assert.NotEqual(a.Detections, c.Detections);
        Assert.True(a.FalsePositives > 0, "the default detector makes false positives");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Simulate_LargeVisibleObjects_FoundAtTheConfiguredRecall(double missRunSeconds)
    {
        MotSequence gt = Walkers(objects: 5, frames: 2000);

        DetectorSimulation sim = DetectorSimulator.Simulate(gt, 10, null, null, Clean with { Recall = 0.7, MissRunSeconds = missRunSeconds });

        Assert.Equal(0, sim.FalsePositives);
        Assert.InRange(sim.TruePositives / (double)sim.GroundTruthBoxes, 0.65, 0.75);
    }

    [Fact]
    public void Simulate_MissRunSeconds_MissesComeInRunsOfThatLength()
    {
        MotSequence gt = Walkers(objects: 5, frames: 2000);

        double independent = MeanMissRun(gt, DetectorSimulator.Simulate(gt, 10, null, null, Clean with { Recall = 0.7, MissRunSeconds = 0 }));
        double runs = MeanMissRun(gt, DetectorSimulator.Simulate(gt, 10, null, null, Clean with { Recall = 0.7, MissRunSeconds = 0.5 }));

        // Independent misses at p = 0.3 last 1 / 0.7 ≈ 1.4 frames; runs of 0.5 s at 10 fps last 5.
        Assert.InRange(independent, 1.2, 1.7);
        Assert.InRange(runs, 4.0, 6.0);
    }

    [Fact]
    public void Simulate_Mot15GroundTruth_DetectionsCarryNoClass()
    {
        // MOT15 rows carry world coordinates in columns 8-10, not a class and visibility; one outside MOTChallenge's
        // classes 1-13 (here 17.2) marks the file as MOT15, as for eval mot's automatic rules.
        var rows = new List<MotRecord>();
        for (int f = 1; f <= 50; f++)
        {
            rows.Add(new MotRecord(f, 1, 100, 100, 60, 200, 1, 4, 5.5));
            rows.Add(new MotRecord(f, 2, 400, 100, 60, 200, 1, 17, 10.6));
        }

        DetectorSimulation sim = DetectorSimulator.Simulate(new MotSequence("tud", rows, 50), 25, 640, 480, new DetectorSimulatorOptions());

        Assert.NotEmpty(sim.Detections);
        Assert.All(sim.Detections, d => Assert.Equal(-1, d.ClassId));
    }

    [Fact]
    public void Validate_OutOfRange_NamesTheOption()
    {
        var e = Assert.Throws<ArgumentException>(() => new DetectorSimulatorOptions { Recall = 1.5 }.Validate());
        Assert.Equal(nameof(DetectorSimulatorOptions.Recall), e.ParamName);
        e = Assert.Throws<ArgumentException>(() => new DetectorSimulatorOptions { Jitter = 0.9 }.Validate());
        Assert.Equal(nameof(DetectorSimulatorOptions.Jitter), e.ParamName);
    }

    /// <summary>Objects 100 px tall walking side by side, never overlapping, class 1 (MOT17 layout, visibility 1).</summary>
    private static MotSequence Walkers(int objects, int frames)
    {
        var rows = new List<MotRecord>();
        for (int f = 1; f <= frames; f++)
        {
            for (int o = 0; o < objects; o++)
            {
                rows.Add(new MotRecord(f, o + 1, 50 + (200 * o) + (f % 50), 300, 50, 100, 1, 1, 1));
            }
        }
        return new MotSequence("walkers", rows, frames);
    }

    /// <summary>Mean length of the runs of frames in which an object has no detection centred near it.</summary>
    private static double MeanMissRun(MotSequence gt, DetectorSimulation sim)
    {
        var found = new HashSet<(int Frame, int Id)>();
        foreach (MotRecord d in sim.Detections)
        {
            foreach (MotRecord g in gt.RecordsInFrame(d.Frame))
            {
                if (Math.Abs((d.X + (d.Width / 2)) - (g.X + (g.Width / 2))) < 15)
                {
                    found.Add((d.Frame, g.Id));
                }
            }
        }
        int runs = 0, missed = 0;
        foreach (int id in gt.Span.ToArray().Select(r => r.Id).Distinct())
        {
            bool inRun = false;
            for (int f = 1; f <= gt.FrameCount; f++)
            {
                bool miss = !found.Contains((f, id));
                missed += miss ? 1 : 0;
                runs += miss && !inRun ? 1 : 0;
                inRun = miss;
            }
        }
        return missed / (double)runs;
    }
}
