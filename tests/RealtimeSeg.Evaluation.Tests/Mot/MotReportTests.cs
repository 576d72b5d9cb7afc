using System.Text.Json;
using RealtimeSeg.Evaluation.Mot;

namespace RealtimeSeg.Evaluation.Tests.Mot;

public sealed class MotReportTests
{
    private static MotMetrics OneSwitch() => MotEvaluator.Evaluate(
        new MotBuilder("walk").Walker(1, 10).Build(),
        new MotBuilder().Walker(1, 5).Walker(2, 5, firstFrame: 6).Build());

    [Fact]
    public void ToJson_OneSequence_TrackEvalFieldNamesAndValues()
    {
        MotMetrics m = OneSwitch();

        using var json = JsonDocument.Parse(m.ToJson());
        JsonElement root = json.RootElement;

        Assert.Equal("walk", root.GetProperty("sequence").GetString());
        Assert.Equal(m.Hota, root.GetProperty("HOTA").GetDouble());
        Assert.Equal(90, root.GetProperty("MOTA").GetDouble(), 9);
        Assert.Equal(1, root.GetProperty("IDSW").GetInt64());
        Assert.Equal(50, root.GetProperty("IDF1").GetDouble(), 9);
        Assert.Equal(19, root.GetProperty("HOTA_alpha").GetArrayLength());
        Assert.Equal(0.95, root.GetProperty("alpha")[18].GetDouble(), 12);
        foreach (string field in new[] { "DetA", "AssA", "LocA", "DetRe", "DetPr", "AssRe", "AssPr", "MOTP", "MODA", "CLR_Re", "CLR_Pr", "IDP", "IDR", "CLR_FP", "CLR_FN", "MT", "PT", "ML", "Frag", "IDTP", "IDFN", "IDFP" })
        {
            Assert.True(root.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public void FormatTable_Rows_HeaderThenOneLinePerResultWithThreeDecimals()
    {
        MotMetrics m = OneSwitch();

        string table = MotReport.FormatTable([m, MotEvaluator.Combine([m])]);

        string[] lines = table.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal(["Sequence", "HOTA", "DetA", "AssA", "LocA", "MOTA", "MOTP", "IDF1", "IDP", "IDR", "IDSW", "FP", "FN", "MT", "PT", "ML", "Frag"],
            lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["walk", "70.711", "100.000", "50.000", "100.000", "90.000", "100.000", "50.000", "50.000", "50.000", "1", "0", "0", "1", "0", "0", "0"],
            lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("COMBINED", lines[2], StringComparison.Ordinal);
        Assert.Equal(lines[0].Length, lines[1].Length);
    }
}
