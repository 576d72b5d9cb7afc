using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>
/// Segmentation and Tracking Quality of one sequence (fractions 0…1): STQ = √(AQ · SQ), SQ being the mean IoU over the
/// classes present. <see cref="ToTable"/> and <see cref="ToJson"/> render percentages.
/// </summary>
public sealed class StqResult
{
    internal StqResult(double aq, double sq, int frames, int gtTracks, int predTracks, IReadOnlyList<StqClassResult> classes)
    {
        Aq = aq;
        Sq = sq;
        Stq = Math.Sqrt(aq * sq);
        FrameCount = frames;
        GtTrackCount = gtTracks;
        PredTrackCount = predTracks;
        Classes = classes;
    }

    public double Stq { get; }

    /// <summary>Association quality: per ground-truth track, the TPA-weighted IoU of its overlaps with predicted tracks,
    /// weighted by 1/|track| and averaged over ground-truth tracks.</summary>
    public double Aq { get; }

    /// <summary>Segmentation quality: mean IoU over the classes with a non-empty union over the sequence.</summary>
    public double Sq { get; }

    public int FrameCount { get; }

    /// <summary>Ground-truth thing tracks (class, instance) with at least one non-crowd pixel.</summary>
    public int GtTrackCount { get; }

    /// <summary>Predicted thing tracks (class, instance) with at least one pixel off ground-truth crowd regions.</summary>
    public int PredTrackCount { get; }

    /// <summary>The classes averaged into <see cref="Sq"/>, in category order.</summary>
    public IReadOnlyList<StqClassResult> Classes { get; }

    public string ToTable(int decimals = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 6);
        CultureInfo ic = CultureInfo.InvariantCulture;
        string f = "F" + decimals.ToString(ic);
        var sb = new StringBuilder();
        sb.Append(ic, $"{"STQ",8} {"AQ",8} {"SQ",8} {"frames",7} {"gt tracks",10} {"pred tracks",12}").Append('\n');
        sb.Append(ic, $"{P(Stq, f),8} {P(Aq, f),8} {P(Sq, f),8} {FrameCount,7} {GtTrackCount,10} {PredTrackCount,12}").Append('\n');
        sb.Append('\n');
        sb.Append(ic, $"{"class",-24} {"kind",-5} {"IoU",8} {"TP",12} {"FP",12} {"FN",12}").Append('\n');
        foreach (StqClassResult c in Classes)
        {
            string name = c.Name.Length > 24 ? c.Name[..24] : c.Name;
            sb.Append(ic, $"{name,-24} {(c.IsThing ? "thing" : "stuff"),-5} {P(c.Iou, f),8} {c.TruePositives,12} {c.FalsePositives,12} {c.FalseNegatives,12}")
              .Append('\n');
        }
        return sb.ToString();
    }

    /// <summary><c>{ "stq", "aq", "sq", "frames", "gt_tracks", "pred_tracks", "classes": [ { "id", "name", "isthing", "iou", "tp", "fp", "fn" } ] }</c>, percentages.</summary>
    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteNumber("stq", 100 * Stq);
            w.WriteNumber("aq", 100 * Aq);
            w.WriteNumber("sq", 100 * Sq);
            w.WriteNumber("frames", FrameCount);
            w.WriteNumber("gt_tracks", GtTrackCount);
            w.WriteNumber("pred_tracks", PredTrackCount);
            w.WriteStartArray("classes");
            foreach (StqClassResult c in Classes)
            {
                w.WriteStartObject();
                w.WriteNumber("id", c.CategoryId);
                w.WriteString("name", c.Name);
                w.WriteBoolean("isthing", c.IsThing);
                w.WriteNumber("iou", 100 * c.Iou);
                w.WriteNumber("tp", c.TruePositives);
                w.WriteNumber("fp", c.FalsePositives);
                w.WriteNumber("fn", c.FalseNegatives);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public override string ToString() => ToTable();

    private static string P(double fraction, string format) => (100 * fraction).ToString(format, CultureInfo.InvariantCulture);
}
