using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary><c>run --dump-mot/--dump-panoptic</c> write standard formats that <c>eval</c> reads back.</summary>
public sealed class DumpTests
{
    [AssetFact]
    public void Run_WithDumps_WritesMotRowsAndCocoPanopticThatEvalReads()
    {
        string dir = Directory.CreateTempSubdirectory("rseg-dump-").FullName;
        try
        {
            string mot = Path.Combine(dir, "tracks.txt"), pan = Path.Combine(dir, "pan");
            var (code, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(3), "run", "--source", TestAssets.UdacityCars, "--model", TestAssets.YoloSeg,
                "--pace", "lockstep", "--max-frames", "6", "--dump-mot", mot, "--dump-panoptic", pan, "--publish", CliProcess.AnyPort, "-q");
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
}
