using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// Crash-safe outputs (issue 19, item 1): after <c>kill -9</c> of a run with <c>--dump-mot</c>, <c>--dump-panoptic</c>
/// and <c>--stats</c>, the MOT file holds whole rows that <c>eval mot</c> reads, the panoptic dump's journal lists
/// complete frames that <c>eval --allow-partial</c> scores (and without it <c>eval</c> says the dump was cut short),
/// and the stats file holds figures written at most 2 s before the kill.
/// </summary>
public sealed partial class KillNineTests(KilledRun run) : IClassFixture<KilledRun>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void KillNine_StatsFile_IsARunningSnapshotAtMostTwoSecondsOld()
    {
        Assert.True(File.Exists(run.Stats), "no stats file after kill -9: it is only written at exit");
        using JsonDocument stats = JsonDocument.Parse(File.ReadAllText(run.Stats));
        JsonElement root = stats.RootElement;
        Assert.Equal("running", root.GetProperty("state").GetString());
        long age = run.KilledAtUnixMs - root.GetProperty("written_unix_ms").GetInt64();
        Assert.True(age is >= -50 and <= 2000, $"stats written {age} ms before the kill");
        Assert.True(root.GetProperty("frames_published").GetInt64() > 0, root.ToString());
        Assert.True(root.GetProperty("latency_ms").GetProperty("capture_to_publish").GetProperty("count").GetInt64() > 0,
            "a running snapshot carries the latency figures of the frames published so far");
    }

    [Fact]
    public void KillNine_MotDump_HoldsWholeRowsThatEvalReads()
    {
        string text = File.ReadAllText(run.Mot);
        Assert.NotEmpty(text);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        string[] rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(rows, r => Assert.Equal(10, r.Split(',').Length));

        string gt = Path.Combine(run.TruthDirectory, "gt", "gt.txt");
        var (code, stdout, stderr) = CliProcess.Run(Timeout, "eval", "mot", "--gt", gt, "--pred", run.Mot, "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("\"HOTA\"", stdout, StringComparison.Ordinal);

        int last = rows.Max(r => int.Parse(r.AsSpan(0, r.IndexOf(',')), CultureInfo.InvariantCulture));
        var (partialCode, _, partialErr) = CliProcess.Run(Timeout, "eval", "mot", "--gt", gt, "--pred", run.Mot, "--allow-partial", "--json");
        Assert.True(partialCode == 0, partialErr);
        Assert.Contains($"scoring frames 1–{last} of {KilledRun.TruthFrames}", partialErr, StringComparison.Ordinal);
    }

    [Fact]
    public void KillNine_PanopticDump_EvalSaysCutShortAndScoresTheCompleteFramesWhenAllowed()
    {
        string json = Path.Combine(run.Panoptic, "panoptic.json"), journal = Path.Combine(run.Panoptic, "panoptic.jsonl");
        Assert.False(File.Exists(json), "panoptic.json is only written when the run ends");
        // Complete lines only: the kill may land while the writer appends a line (the reader drops such a cut line too).
        string text = File.ReadAllText(journal);
        string[] lines = text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int frames = lines.Length - 1; // the first line holds the categories
        // The kill follows frame KillAfterFrame's PNG appearing (renamed into place); that frame's journal line is appended
        // after the rename, so the kill may come before it: every earlier frame's line is there.
        Assert.True(frames >= KilledRun.KillAfterFrame - 1, $"{frames} frames in the journal; frame {KilledRun.KillAfterFrame}'s PNG was complete before the kill");
        foreach (string line in lines.Skip(1))
        {
            using JsonDocument frame = JsonDocument.Parse(line);
            string png = frame.RootElement.GetProperty("annotations")[0].GetProperty("file_name").GetString()!;
            Assert.True(new FileInfo(Path.Combine(run.Panoptic, "panoptic", png)).Length > 0, png);
        }

        string gt = Path.Combine(run.TruthDirectory, "panoptic.json");
        var (strictCode, _, strictErr) = CliProcess.Run(Timeout, "eval", "panoptic", "--gt-json", gt, "--pred-json", json);
        Assert.Equal(3, strictCode);
        Assert.Contains("cut short", strictErr, StringComparison.Ordinal);
        Assert.Contains("panoptic.jsonl", strictErr, StringComparison.Ordinal);
        Assert.Contains("--allow-partial", strictErr, StringComparison.Ordinal);

        var (code, stdout, stderr) = CliProcess.Run(Timeout, "eval", "panoptic", "--gt-json", gt, "--pred-json", json, "--allow-partial", "--json");
        Assert.True(code == 0, stderr);
        Assert.Matches(ScoredFrames(), stderr);
        Assert.Equal(frames, int.Parse(ScoredFrames().Match(stderr).Groups[1].Value, CultureInfo.InvariantCulture));
        using JsonDocument pq = JsonDocument.Parse(stdout);
        Assert.True(pq.RootElement.GetProperty("stuff").GetProperty("pq").GetDouble() > 50, stdout);
    }

    [GeneratedRegex(@"scoring the (\d+) of \d+ ground-truth frames")]
    private static partial Regex ScoredFrames();
}
