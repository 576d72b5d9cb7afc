using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// Renders <see cref="MotMetrics"/> as a fixed-width text table or as JSON. Returns text or writes to a given
/// writer; never to the console.
/// </summary>
public static class MotReport
{
    private static readonly (string Header, int Decimals, Func<MotMetrics, double> Value)[] TableColumns =
    [
        ("HOTA", 3, m => m.Hota),
        ("DetA", 3, m => m.DetA),
        ("AssA", 3, m => m.AssA),
        ("LocA", 3, m => m.LocA),
        ("MOTA", 3, m => m.Mota),
        ("MOTP", 3, m => m.Motp),
        ("IDF1", 3, m => m.Idf1),
        ("IDP", 3, m => m.Idp),
        ("IDR", 3, m => m.Idr),
        ("IDSW", 0, m => m.IdSwitches),
        ("FP", 0, m => m.FalsePositives),
        ("FN", 0, m => m.FalseNegatives),
        ("MT", 0, m => m.MostlyTracked),
        ("PT", 0, m => m.PartiallyTracked),
        ("ML", 0, m => m.MostlyLost),
        ("Frag", 0, m => m.Fragmentations),
    ];

    /// <summary>
    /// A table with one row per result — typically the sequences, then the combined row — with the headline
    /// metrics: HOTA DetA AssA LocA MOTA MOTP IDF1 IDP IDR (%, 3 decimals) IDSW FP FN MT PT ML Frag.
    /// Lines end with <c>\n</c>.
    /// </summary>
    public static string FormatTable(IEnumerable<MotMetrics> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = new List<MotMetrics>(rows);
        int nameWidth = "Sequence".Length;
        foreach (MotMetrics m in list)
        {
            nameWidth = Math.Max(nameWidth, m.Name.Length);
        }
        var cells = new string[list.Count, TableColumns.Length];
        var widths = new int[TableColumns.Length];
        for (int c = 0; c < TableColumns.Length; c++)
        {
            widths[c] = TableColumns[c].Header.Length;
            for (int r = 0; r < list.Count; r++)
            {
                double v = TableColumns[c].Value(list[r]);
                string text = v.ToString(TableColumns[c].Decimals == 0 ? "F0" : "F3", CultureInfo.InvariantCulture);
                cells[r, c] = text;
                widths[c] = Math.Max(widths[c], text.Length);
            }
        }
        var sb = new StringBuilder();
        sb.Append("Sequence".PadRight(nameWidth));
        for (int c = 0; c < TableColumns.Length; c++)
        {
            sb.Append("  ").Append(TableColumns[c].Header.PadLeft(widths[c]));
        }
        sb.Append('\n');
        for (int r = 0; r < list.Count; r++)
        {
            sb.Append(list[r].Name.PadRight(nameWidth));
            for (int c = 0; c < TableColumns.Length; c++)
            {
                sb.Append("  ").Append(cells[r, c].PadLeft(widths[c]));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// <c>{ "sequences": [ … ], "combined": { … } }</c>: each element as <see cref="WriteJson(Utf8JsonWriter, MotMetrics)"/>;
    /// <c>combined</c> is left out when null.
    /// </summary>
    public static string ToJson(IEnumerable<MotMetrics> sequences, MotMetrics? combined, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("sequences");
            foreach (MotMetrics m in sequences)
            {
                WriteJson(writer, m);
            }
            writer.WriteEndArray();
            if (combined is not null)
            {
                writer.WritePropertyName("combined");
                WriteJson(writer, combined);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// One result as a JSON object with TrackEval's field names: scores in % (<c>HOTA</c>, <c>DetA</c>, <c>AssA</c>,
    /// <c>LocA</c>, <c>DetRe</c>, <c>DetPr</c>, <c>AssRe</c>, <c>AssPr</c>, <c>RHOTA</c>, <c>HOTA(0)</c>, <c>LocA(0)</c>,
    /// <c>HOTALocA(0)</c>, <c>MOTA</c>, <c>MOTP</c>, <c>MODA</c>, <c>CLR_Re</c>, <c>CLR_Pr</c>, <c>MTR</c>, <c>PTR</c>,
    /// <c>MLR</c>, <c>sMOTA</c>, <c>CLR_F1</c>, <c>MOTAL</c>, <c>IDF1</c>, <c>IDR</c>, <c>IDP</c>), counts
    /// (<c>CLR_TP</c>, <c>CLR_FN</c>, <c>CLR_FP</c>, <c>IDSW</c>, <c>MT</c>, <c>PT</c>, <c>ML</c>, <c>Frag</c>,
    /// <c>IDTP</c>, <c>IDFN</c>, <c>IDFP</c>), <c>FP_per_frame</c>, the sizes (<c>frames</c>, <c>gt_dets</c>,
    /// <c>pred_dets</c>, <c>gt_ids</c>, <c>pred_ids</c>) and the per-α curves (<c>alpha</c>, <c>HOTA_alpha</c>,
    /// <c>DetA_alpha</c>, <c>AssA_alpha</c>, <c>LocA_alpha</c>).
    /// </summary>
    public static void WriteJson(Utf8JsonWriter writer, MotMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(metrics);
        MotMetrics m = metrics;
        writer.WriteStartObject();
        writer.WriteString("sequence", m.Name);
        writer.WriteNumber("sequences", m.SequenceCount);
        writer.WriteNumber("HOTA", m.Hota);
        writer.WriteNumber("DetA", m.DetA);
        writer.WriteNumber("AssA", m.AssA);
        writer.WriteNumber("LocA", m.LocA);
        writer.WriteNumber("DetRe", m.DetRe);
        writer.WriteNumber("DetPr", m.DetPr);
        writer.WriteNumber("AssRe", m.AssRe);
        writer.WriteNumber("AssPr", m.AssPr);
        writer.WriteNumber("RHOTA", m.RHota);
        writer.WriteNumber("HOTA(0)", m.Hota0);
        writer.WriteNumber("LocA(0)", m.LocA0);
        writer.WriteNumber("HOTALocA(0)", m.HotaLocA0);
        writer.WriteNumber("MOTA", m.Mota);
        writer.WriteNumber("MOTP", m.Motp);
        writer.WriteNumber("MODA", m.Moda);
        writer.WriteNumber("CLR_Re", m.ClearRecall);
        writer.WriteNumber("CLR_Pr", m.ClearPrecision);
        writer.WriteNumber("MTR", m.MostlyTrackedRatio);
        writer.WriteNumber("PTR", m.PartiallyTrackedRatio);
        writer.WriteNumber("MLR", m.MostlyLostRatio);
        writer.WriteNumber("sMOTA", m.SMota);
        writer.WriteNumber("CLR_F1", m.ClearF1);
        writer.WriteNumber("MOTAL", m.Motal);
        writer.WriteNumber("FP_per_frame", m.FalsePositivesPerFrame);
        writer.WriteNumber("CLR_TP", m.TruePositives);
        writer.WriteNumber("CLR_FN", m.FalseNegatives);
        writer.WriteNumber("CLR_FP", m.FalsePositives);
        writer.WriteNumber("IDSW", m.IdSwitches);
        writer.WriteNumber("MT", m.MostlyTracked);
        writer.WriteNumber("PT", m.PartiallyTracked);
        writer.WriteNumber("ML", m.MostlyLost);
        writer.WriteNumber("Frag", m.Fragmentations);
        writer.WriteNumber("IDF1", m.Idf1);
        writer.WriteNumber("IDR", m.Idr);
        writer.WriteNumber("IDP", m.Idp);
        writer.WriteNumber("IDTP", m.IdTruePositives);
        writer.WriteNumber("IDFN", m.IdFalseNegatives);
        writer.WriteNumber("IDFP", m.IdFalsePositives);
        writer.WriteNumber("frames", m.Frames);
        writer.WriteNumber("gt_dets", m.GtDetections);
        writer.WriteNumber("pred_dets", m.PredDetections);
        writer.WriteNumber("gt_ids", m.GtIds);
        writer.WriteNumber("pred_ids", m.PredIds);
        WriteArray(writer, "alpha", MotMetrics.Alphas);
        WriteArray(writer, "HOTA_alpha", m.HotaByAlpha);
        WriteArray(writer, "DetA_alpha", m.DetAByAlpha);
        WriteArray(writer, "AssA_alpha", m.AssAByAlpha);
        WriteArray(writer, "LocA_alpha", m.LocAByAlpha);
        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<double> values)
    {
        writer.WriteStartArray(name);
        foreach (double v in values)
        {
            writer.WriteNumberValue(v);
        }
        writer.WriteEndArray();
    }
}
