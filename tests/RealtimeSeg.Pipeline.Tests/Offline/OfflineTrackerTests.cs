using RealtimeSeg.Evaluation.Mot;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.Pipeline.Offline;
using RealtimeSeg.Synthetic;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Pipeline.Tests.Offline;

/// <summary>
/// The tracker alone on a synthetic drive's exact ground-truth boxes degraded like a detector would (20 % of the boxes
/// dropped, every coordinate jittered by up to 5 % of the box size), scored with the TrackEval-equivalent evaluator.
/// </summary>
public sealed class OfflineTrackerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rseg-offline-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Ground truth → detections: a seeded 20 % drop and ±5 % uniform jitter, score 0.9, class kept.</summary>
    internal static MotSequence Degrade(MotSequence gt, double dropRate, double jitter, int seed)
    {
        var random = new Random(seed);
        var rows = new List<MotRecord>();
        foreach (MotRecord r in gt.Records)
        {
            if (random.NextDouble() < dropRate)
            {
                continue;
            }
            double J(double size) => (random.NextDouble() * 2 - 1) * jitter * size;
            rows.Add(new MotRecord(r.Frame, -1, r.X + J(r.Width), r.Y + J(r.Height), r.Width + J(r.Width), r.Height + J(r.Height), 0.9, r.ClassId, -1));
        }
        return new MotSequence("dets", rows, gt.FrameCount);
    }

    [Fact]
    public void Run_SyntheticGroundTruthWith20PercentDroppedAnd5PercentJitter_ScoresHotaAbove78()
    {
        SyntheticDataset data = SyntheticDatasetExporter.Export(new SyntheticDriveOptions { Seed = 11, Width = 640, Height = 360 }, 150, _dir);
        MotSequence gt = MotTextReader.ReadFile(data.MotGroundTruthPath, frameCount: data.FrameCount);
        MotSequence dets = Degrade(gt, dropRate: 0.2, jitter: 0.05, seed: 3);
        Assert.InRange(dets.Records.Count, (int)(0.75 * gt.Records.Count), (int)(0.85 * gt.Records.Count));

        // The shipped driving settings (configs/tracker/driving.yaml), as `realtimeseg track --config` reads them.
        string configPath = Path.Combine(TestSupport.TestAssets.RepositoryRoot, "configs", "tracker", "driving.yaml");
        TrackerOptions options = new RealtimeSeg.Pipeline.Configuration.PipelineConfigLoader().Load(configPath).Tracker;
        Assert.Equal(new TrackerOptions(), options);   // the defaults, written out (docs/tracking.md)
        string tracksPath = Path.Combine(_dir, "tracks.txt");
        using (MotTrackWriter writer = MotTrackWriter.Create(tracksPath))
        {
            Assert.True(OfflineTracker.Run(dets, options, writer) > 0);
        }
        MotSequence tracks = MotTextReader.ReadFile(tracksPath, gt.Name, gt.FrameCount);
        MotMetrics m = MotEvaluator.Evaluate(gt, tracks, new MotEvaluationOptions { IgnoreClasses = true });
        // Measured (2026-12-04, docs/tracking.md): the defaults 82.6 (IDSW 12; their first-association gate is 0.12, which
        // this degraded synthetic drive prefers, as the bundled model's drive does); the first round's defaults (gate 0.2)
        // 78.6, ByteTrack at 0.05 (the driving.yaml before issue 21) 80.8. The bar stays that of the weakest of them.
        Assert.True(m.Hota >= 78, $"HOTA {m.Hota:F3} (DetA {m.DetA:F3}, AssA {m.AssA:F3}, MOTA {m.Mota:F3}, IDF1 {m.Idf1:F3}, IDSW {m.IdSwitches})");
    }

    [Fact]
    public void Run_WithoutTrackBuffer_FragmentsTracksMoreThanWithIt()
    {
        // A control that proves the measurement can fail: no lost-track buffer means every drop starts a new id.
        SyntheticDataset data = SyntheticDatasetExporter.Export(new SyntheticDriveOptions { Seed = 12, Width = 640, Height = 360 }, 80, _dir);
        MotSequence gt = MotTextReader.ReadFile(data.MotGroundTruthPath, frameCount: data.FrameCount);
        MotSequence dets = Degrade(gt, 0.2, 0.05, seed: 4);
        double Score(TrackerOptions o)
        {
            string path = Path.Combine(_dir, $"tracks-{o.TrackBufferFrames}.txt");
            using (MotTrackWriter w = MotTrackWriter.Create(path))
            {
                OfflineTracker.Run(dets, o, w);
            }
            return MotEvaluator.Evaluate(gt, MotTextReader.ReadFile(path, gt.Name, gt.FrameCount), new MotEvaluationOptions { IgnoreClasses = true }).AssA;
        }
        Assert.True(Score(new TrackerOptions()) > Score(new TrackerOptions { TrackBufferFrames = 0 }) + 5);
    }

    [Fact]
    public void Interpolate_GapWithinLimit_IsFilledLinearlyAndLongerGapsAreNot()
    {
        var rows = new List<MotRecord> { MotRecord.Track(1, 7, 0, 0, 10, 10), MotRecord.Track(4, 7, 30, 0, 10, 40), MotRecord.Track(20, 7, 0, 0, 10, 10) };
        OfflineTracker.Interpolate(rows, maxGap: 5);
        Assert.Equal(5, rows.Count); // frames 2 and 3 added; the 15-frame gap is left alone
        MotRecord f2 = rows.Single(r => r.Frame == 2);
        Assert.Equal(10, f2.X, 6);
        Assert.Equal(20, f2.Height, 6);
    }
}
