using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary><c>eval</c> and <c>track</c> through the real executable on the shared reference data.</summary>
public sealed class EvalCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [AssetFact]
    public void EvalMot_TudFolder_ReproducesTrackEvalCombinedRow()
    {
        string root = Directory.CreateTempSubdirectory("rseg-tud-").FullName;
        try
        {
            foreach (string seq in new[] { "TUD-Campus", "TUD-Stadtmitte" })
            {
                Directory.CreateDirectory(Path.Combine(root, "gt", seq, "gt"));
                Directory.CreateDirectory(Path.Combine(root, "pred"));
                File.Copy(TestAssets.Path($"tracking/{seq}/gt.txt"), Path.Combine(root, "gt", seq, "gt", "gt.txt"));
                File.Copy(TestAssets.Path($"tracking/{seq}/tracker-output.txt"), Path.Combine(root, "pred", seq + ".txt"));
            }
            var (code, stdout, stderr) = CliProcess.Run(Timeout, "eval", "mot", "--gt", Path.Combine(root, "gt"), "--pred", Path.Combine(root, "pred"), "--json");
            Assert.True(code == 0, stderr);
            using JsonDocument doc = JsonDocument.Parse(stdout);
            JsonElement combined = doc.RootElement.GetProperty("combined");
            Assert.Equal(39.996, Math.Round(combined.GetProperty("HOTA").GetDouble(), 3));
            Assert.Equal(55.512, Math.Round(combined.GetProperty("MOTA").GetDouble(), 3));
            Assert.Equal(62.430, Math.Round(combined.GetProperty("IDF1").GetDouble(), 3));
            Assert.Equal(2, doc.RootElement.GetProperty("sequences").GetArrayLength());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [AssetFact]
    public void EvalPanoptic_CocoGroundTruthAgainstItself_Is100()
    {
        string p = TestAssets.Path("panoptic/coco-sample");
        var (code, stdout, stderr) = CliProcess.Run(Timeout, "eval", "panoptic",
            "--gt-json", Path.Combine(p, "panoptic_examples.json"), "--gt-dir", Path.Combine(p, "panoptic_examples"),
            "--pred-json", Path.Combine(p, "panoptic_examples.json"), "--pred-dir", Path.Combine(p, "panoptic_examples"), "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        foreach (string part in new[] { "all", "things", "stuff" })
        {
            Assert.Equal(100.0, doc.RootElement.GetProperty(part).GetProperty("pq").GetDouble());
        }
        Assert.Equal(8, doc.RootElement.GetProperty("all").GetProperty("n").GetInt32());
    }

    [AssetFact]
    public void Track_TudGroundTruthBoxes_ScoresHighHota()
    {
        string output = Path.Combine(Path.GetTempPath(), $"rseg-track-{Guid.NewGuid():N}.txt");
        try
        {
            string gt = TestAssets.Path("tracking/TUD-Campus/gt.txt");
            var (code, _, stderr) = CliProcess.Run(Timeout, "track", "--dets", gt, "--out", output);
            Assert.True(code == 0, stderr);
            var (evalCode, stdout, evalErr) = CliProcess.Run(Timeout, "eval", "mot", "--gt", gt, "--pred", output, "--json");
            Assert.True(evalCode == 0, evalErr);
            using JsonDocument doc = JsonDocument.Parse(stdout);
            double hota = doc.RootElement.GetProperty("sequences")[0].GetProperty("HOTA").GetDouble();
            Assert.InRange(hota, 85, 100);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void EvalMot_MissingFile_Exits3NamingIt()
    {
        var (code, _, stderr) = CliProcess.Run(Timeout, "eval", "mot", "--gt", "/nonexistent/gt.txt", "--pred", "/nonexistent/p.txt");
        Assert.Equal(3, code);
        Assert.Contains("/nonexistent/gt.txt", stderr);
    }

    [Fact]
    public void EvalMot_MalformedLine_Exits2NamingFileAndLine()
    {
        string gt = Path.Combine(Path.GetTempPath(), $"rseg-gt-{Guid.NewGuid():N}.txt");
        File.WriteAllText(gt, "1,1,10,10,5,5,1,-1,-1,-1\n2,1,ten,10,5,5,1,-1,-1,-1\n");
        try
        {
            var (code, _, stderr) = CliProcess.Run(Timeout, "eval", "mot", "--gt", gt, "--pred", gt);
            Assert.Equal(2, code);
            Assert.Contains(gt, stderr);
            Assert.Contains("2", stderr);
        }
        finally
        {
            File.Delete(gt);
        }
    }
}
