using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>
/// PQ, SQ and RQ overall, for things and for stuff (fractions 0…1), and per category. <see cref="ToTable"/> and
/// <see cref="ToJson"/> render them as percentages.
/// </summary>
public sealed class PqResult
{
    internal PqResult(PqSummary all, PqSummary things, PqSummary stuff, IReadOnlyList<PqCategoryResult> categories, int imageCount)
    {
        All = all;
        Things = things;
        Stuff = stuff;
        Categories = categories;
        ImageCount = imageCount;
    }

    public PqSummary All { get; }
    public PqSummary Things { get; }
    public PqSummary Stuff { get; }

    /// <summary>Every ground-truth category in file order, counted or not (see <see cref="PqCategoryResult.Counted"/>).</summary>
    public IReadOnlyList<PqCategoryResult> Categories { get; }

    public int ImageCount { get; }

    /// <summary>
    /// panopticapi's summary table (All / Things / Stuff, percentages with <paramref name="decimals"/> decimals; it
    /// prints 1), then one row per counted category.
    /// </summary>
    public string ToTable(int decimals = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 6);
        int width = Math.Max(5, decimals + 4);
        string number = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        CultureInfo ic = CultureInfo.InvariantCulture;
        sb.Append(ic, $"{"",-10}| {"PQ".PadLeft(width)}  {"SQ".PadLeft(width)}  {"RQ".PadLeft(width)} {"N",5}").Append('\n');
        sb.Append('-', 10 + 3 * (width + 2) + 6).Append('\n');
        AppendSummary(sb, "All", All, width, number);
        AppendSummary(sb, "Things", Things, width, number);
        AppendSummary(sb, "Stuff", Stuff, width, number);
        sb.Append('\n');
        sb.Append(ic, $"{"category",-24} {"kind",-5} {"PQ".PadLeft(width)}  {"SQ".PadLeft(width)}  {"RQ".PadLeft(width)} {"TP",6} {"FP",6} {"FN",6}").Append('\n');
        foreach (PqCategoryResult c in Categories)
        {
            if (!c.Counted)
            {
                continue;
            }
            string name = c.Name.Length > 24 ? c.Name[..24] : c.Name;
            sb.Append(ic, $"{name,-24} {(c.IsThing ? "thing" : "stuff"),-5} {Percent(c.Pq, number).PadLeft(width)}  {Percent(c.Sq, number).PadLeft(width)}  ")
              .Append(ic, $"{Percent(c.Rq, number).PadLeft(width)} {c.Tp,6} {c.Fp,6} {c.Fn,6}").Append('\n');
        }
        sb.Append(ic, $"{ImageCount} images").Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// <c>{ "images", "all" | "things" | "stuff": { "pq", "sq", "rq", "n" }, "per_category": [ { "id", "name", "isthing",
    /// "pq", "sq", "rq", "tp", "fp", "fn" } ] }</c>, percentages (×100) unrounded; per_category lists counted categories.
    /// </summary>
    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteNumber("images", ImageCount);
            WriteSummary(w, "all", All);
            WriteSummary(w, "things", Things);
            WriteSummary(w, "stuff", Stuff);
            w.WriteStartArray("per_category");
            foreach (PqCategoryResult c in Categories)
            {
                if (!c.Counted)
                {
                    continue;
                }
                w.WriteStartObject();
                w.WriteNumber("id", c.CategoryId);
                w.WriteString("name", c.Name);
                w.WriteBoolean("isthing", c.IsThing);
                w.WriteNumber("pq", 100 * c.Pq);
                w.WriteNumber("sq", 100 * c.Sq);
                w.WriteNumber("rq", 100 * c.Rq);
                w.WriteNumber("tp", c.Tp);
                w.WriteNumber("fp", c.Fp);
                w.WriteNumber("fn", c.Fn);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public override string ToString() => ToTable();

    private static void AppendSummary(StringBuilder sb, string name, PqSummary s, int width, string number)
        => sb.Append(CultureInfo.InvariantCulture,
            $"{name,-10}| {Percent(s.Pq, number).PadLeft(width)}  {Percent(s.Sq, number).PadLeft(width)}  {Percent(s.Rq, number).PadLeft(width)} {s.N,5}").Append('\n');

    private static string Percent(double fraction, string format) => (100 * fraction).ToString(format, CultureInfo.InvariantCulture);

    private static void WriteSummary(Utf8JsonWriter w, string name, PqSummary s)
    {
        w.WriteStartObject(name);
        w.WriteNumber("pq", 100 * s.Pq);
        w.WriteNumber("sq", 100 * s.Sq);
        w.WriteNumber("rq", 100 * s.Rq);
        w.WriteNumber("n", s.N);
        w.WriteEndObject();
    }
}
