using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary><c>run --dump-mot/--dump-detections/--dump-panoptic</c> write standard formats that <c>eval</c> and <c>track</c> read back.</summary>
public sealed class DumpTests
{
    [AssetFact]
    public void Run_WithDumps_WritesMotRowsDetectionsAndCocoPanopticThatEvalAndTrackRead()
    {
        string dir = Directory.CreateTempSubdirectory("rseg-dump-").FullName;
        try
        {
            string mot = Path.Combine(dir, "tracks.txt"), pan = Path.Combine(dir, "pan"), dets = Path.Combine(dir, "dets.txt");
            var (code, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(3), "run", "--source", TestAssets.UdacityCars, "--model", TestAssets.YoloSeg,
                "--pace", "lockstep", "--max-frames", "6", "--dump-mot", mot, "--dump-detections", dets, "--dump-panoptic", pan, "--publish", CliProcess.AnyPort, "-q");
            Assert.True(code == 0, stderr);

            string[] rows = File.ReadAllLines(mot);
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal(10, r.Split(',').Length));
            Assert.Contains(rows, r => r.StartsWith("6,", StringComparison.Ordinal));

            Assert.Equal(6, Directory.GetFiles(Path.Combine(pan, "panoptic"), "*.png").Length);
            Assert.True(File.Exists(Path.Combine(pan, "panoptic", "000001.png")));
            using (JsonDocument coco = JsonDocument.Parse(File.ReadAllText(Path.Combine(pan, "panoptic.json"))))
            {
                JsonElement first = coco.RootElement.GetProperty("annotations")[0];
                Assert.Equal(1, first.GetProperty("image_id").GetInt32());
                Assert.Equal("000001.png", first.GetProperty("file_name").GetString());
                Assert.Contains(first.GetProperty("segments_info").EnumerateArray(), s => s.GetProperty("category_id").GetInt32() == 2);
            }

            AssertReplayGivesTheRunsIds(dir, dets, rows);

            string json = Path.Combine(pan, "panoptic.json");
            var (evalCode, stdout, evalErr) = CliProcess.Run(TimeSpan.FromMinutes(1), "eval", "panoptic", "--gt-json", json, "--pred-json", json, "--json");
            Assert.True(evalCode == 0, evalErr);
            using JsonDocument pq = JsonDocument.Parse(stdout);
            Assert.Equal(100.0, pq.RootElement.GetProperty("things").GetProperty("pq").GetDouble());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The dumped detections, replayed through <c>track</c> at the video's rate (25 fps) with the same (default) tracker,
    /// give every tracked thing of the run the same id on the same frame: the file holds exactly the tracker's input, in
    /// its order (a missing, reordered or re-scored detection changes which track a box joins and which id it gets).
    /// </summary>
    private static void AssertReplayGivesTheRunsIds(string dir, string dets, string[] runRows)
    {
        string[] detRows = File.ReadAllLines(dets);
        Assert.All(detRows, r => Assert.Equal(10, r.Split(',').Length));
        Assert.All(detRows, r => Assert.StartsWith("-1,", r.Split(',', 2)[1], StringComparison.Ordinal));
        Assert.Contains(detRows, r => r.StartsWith("6,", StringComparison.Ordinal));
        Assert.True(detRows.Length >= runRows.Length, $"{detRows.Length} detections for {runRows.Length} tracked things");

        string replay = Path.Combine(dir, "replay.txt");
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(1), "track", "--dets", dets, "--out", replay, "--frame-rate", "25", "--interpolate", "0");
        Assert.True(code == 0, stderr);
        var replayed = new HashSet<(string Frame, string Id)>();
        foreach (string r in File.ReadAllLines(replay))
        {
            string[] c = r.Split(',');
            replayed.Add((c[0], c[1]));
        }
        Assert.All(runRows, r =>
        {
            string[] c = r.Split(',');
            Assert.Contains((c[0], c[1]), replayed);
        });
    }
}
