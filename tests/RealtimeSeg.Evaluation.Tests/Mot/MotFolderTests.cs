using System.Text.Json;
using RealtimeSeg.Core;
using RealtimeSeg.Evaluation.Mot;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Evaluation.Tests.Mot;

public sealed class MotFolderTests
{
    [AssetFact]
    public void Evaluate_TudInMotChallengeLayout_ReproducesTrackEvalTable()
    {
        using var dir = new TempFolder();
        // The shared files laid out as a benchmark (in a temp folder, never in the repository).
        CopyTud(dir, "TUD-Campus", 71, "tracker/data/TUD-Campus.txt");
        CopyTud(dir, "TUD-Stadtmitte", 179, "tracker/TUD-Stadtmitte.txt");

        MotFolder folder = MotFolder.Discover(Path.Combine(dir.Path, "gt"), Path.Combine(dir.Path, "tracker"));
        MotFolderResult result = folder.Evaluate();

        Assert.Equal(["TUD-Campus", "TUD-Stadtmitte"], folder.Sequences.Select(s => s.Name));
        Assert.All(folder.Sequences, s => Assert.NotNull(s.SeqInfoPath));
        Assert.Equal([39.140, 39.785], result.Sequences.Select(m => Math.Round(m.Hota, 3)));
        Assert.Equal([71, 179], result.Sequences.Select(m => m.Frames));
        Assert.Equal(39.996, Math.Round(result.Combined.Hota, 3));
        Assert.Equal(62.430, Math.Round(result.Combined.Idf1, 3));
        string table = result.FormatTable();
        Assert.Contains("COMBINED", table, StringComparison.Ordinal);
        Assert.Contains(" 39.996 ", table, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.ToJson());
        Assert.Equal(2, json.RootElement.GetProperty("sequences").GetArrayLength());
        Assert.Equal(55.512, Math.Round(json.RootElement.GetProperty("combined").GetProperty("MOTA").GetDouble(), 3));
    }

    [Fact]
    public void Discover_SequenceWithoutPrediction_ThrowsNamingBothCandidates()
    {
        using var dir = new TempFolder();
        dir.Write("gt/SEQ-1/gt/gt.txt", "1,1,0,0,1,1,1,-1,-1,-1\n");
        Directory.CreateDirectory(Path.Combine(dir.Path, "pred"));

        var e = Assert.Throws<ConfigurationException>(() => MotFolder.Discover(Path.Combine(dir.Path, "gt"), Path.Combine(dir.Path, "pred")));

        Assert.Contains("SEQ-1.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("data", "SEQ-1.txt"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_FolderWithoutSequences_Throws()
    {
        using var dir = new TempFolder();
        dir.Write("gt/notes.txt", "nothing");
        Directory.CreateDirectory(Path.Combine(dir.Path, "pred"));

        var e = Assert.Throws<ConfigurationException>(() => MotFolder.Discover(Path.Combine(dir.Path, "gt"), Path.Combine(dir.Path, "pred")));

        Assert.Contains("no sequences", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PredictionBeyondSeqLength_ThrowsNamingPredictionLine()
    {
        using var dir = new TempFolder();
        dir.Write("gt/S/gt/gt.txt", "1,1,0,0,10,10,1,-1,-1,-1\n");
        dir.Write("gt/S/seqinfo.ini", "[Sequence]\nseqLength=2\n");
        string pred = dir.Write("pred/S.txt", "1,1,0,0,10,10,1,-1,-1,-1\n3,1,0,0,10,10,1,-1,-1,-1\n");

        MotFolder folder = MotFolder.Discover(Path.Combine(dir.Path, "gt"), Path.Combine(dir.Path, "pred"));
        var e = Assert.Throws<MotFormatException>(() => folder.Evaluate());

        Assert.Equal(pred, e.FilePath);
        Assert.Equal(2, e.LineNumber);
    }

    [Fact]
    public void Evaluate_SeqInfoLongerThanFiles_CountsAllFrames()
    {
        using var dir = new TempFolder();
        dir.Write("gt/S/gt/gt.txt", "1,1,0,0,10,10,1,-1,-1,-1\n");
        dir.Write("gt/S/seqinfo.ini", "[Sequence]\nseqLength=50\n");
        dir.Write("pred/S.txt", "1,1,0,0,10,10,1,-1,-1,-1\n");

        MotFolderResult result = MotFolder.Discover(Path.Combine(dir.Path, "gt"), Path.Combine(dir.Path, "pred")).Evaluate();

        Assert.Equal(50, result.Combined.Frames);
        Assert.Equal(100, result.Combined.Hota, 9);
    }

    [Fact]
    public void EvaluateFiles_GroundTruthInMotLayout_UsesSeqInfoLength()
    {
        using var dir = new TempFolder();
        string gt = dir.Write("SEQ/gt/gt.txt", "1,1,0,0,10,10,1,-1,-1,-1\n");
        dir.Write("SEQ/seqinfo.ini", "[Sequence]\nseqLength=30\n");
        string pred = dir.Write("out/tracks.txt", "1,4,0,0,10,10,0.9,-1,-1,-1\n");

        MotMetrics m = MotEvaluator.EvaluateFiles(gt, pred);

        Assert.Equal("SEQ", m.Name);
        Assert.Equal(30, m.Frames);
        Assert.Equal(100, m.Hota, 9);
    }

    [Fact]
    public void EvaluateFiles_NoSeqInfo_LastFrameOfEitherFile()
    {
        using var dir = new TempFolder();
        string gt = dir.Write("gt.txt", "1,1,0,0,10,10,1,-1,-1,-1\n");
        string pred = dir.Write("pred.txt", "1,4,0,0,10,10,0.9,-1,-1,-1\n7,4,0,0,10,10,0.9,-1,-1,-1\n");

        MotMetrics m = MotEvaluator.EvaluateFiles(gt, pred);

        Assert.Null(MotSeqInfo.FindFor(gt));
        Assert.Equal(7, m.Frames);
        Assert.Equal(1, m.FalsePositives);
    }

    [Fact]
    public void FindFor_SeqInfoBesideFile_Found()
    {
        using var dir = new TempFolder();
        string gt = dir.Write("a/gt.txt", "");
        string ini = dir.Write("a/seqinfo.ini", "[Sequence]\nseqLength=1\n");

        Assert.Equal(ini, MotSeqInfo.FindFor(gt));
    }

    private static void CopyTud(TempFolder dir, string sequence, int length, string predRelative)
    {
        dir.Write($"gt/{sequence}/gt/gt.txt", File.ReadAllText(TestAssets.Path($"tracking/{sequence}/gt.txt")));
        dir.Write($"gt/{sequence}/seqinfo.ini", $"[Sequence]\nname={sequence}\nseqLength={length}\nimWidth=640\nimHeight=480\nframeRate=25\n");
        dir.Write(predRelative, File.ReadAllText(TestAssets.Path($"tracking/{sequence}/tracker-output.txt")));
    }
}
