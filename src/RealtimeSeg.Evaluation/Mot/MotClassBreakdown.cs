using System.Globalization;
using System.Text;
using System.Text.Json;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// What <c>realtimeseg eval mot</c> scores when no class is named: every class of the ground truth. Ground truth whose
/// flagged rows (column 7 ≠ 0) all have one class — a MOTChallenge benchmark (pedestrians; the other classes are
/// zero-flagged distractors), MOT15 files, KITTI-dev — is scored exactly as TrackEval scores it. Ground truth with
/// several flagged classes (the synthetic drive: car, pedestrian, …) is scored once per class
/// (<see cref="MotEvaluationOptions.ClassId"/>) and once with all classes pooled
/// (<see cref="MotEvaluationOptions.IgnoreClasses"/>), each combined over the sequences; the per-class rows need
/// predictions that carry their class in column 8, and are left out, with a <see cref="Note"/>, when they carry none.
/// </summary>
public sealed class MotClassBreakdown
{
    private MotClassBreakdown(IReadOnlyList<MotMetrics> classes, MotMetrics combined, IReadOnlyList<MotMetrics> sequences, string? note)
    {
        Classes = classes;
        Combined = combined;
        Sequences = sequences;
        Note = note;
    }

    /// <summary>One row per ground-truth class ("class N"), combined over the sequences; empty for single-class ground truth.</summary>
    public IReadOnlyList<MotMetrics> Classes { get; }

    /// <summary>All classes pooled (multi-class), or the TrackEval evaluation (single class), combined over the sequences.</summary>
    public MotMetrics Combined { get; }

    /// <summary>Per-sequence rows: of the TrackEval evaluation (single class), or with all classes pooled (multi-class).</summary>
    public IReadOnlyList<MotMetrics> Sequences { get; }

    /// <summary>Why per-class rows are missing, or null.</summary>
    public string? Note { get; }

    /// <summary>The flagged ground-truth classes (ascending) when there are two or more MOTChallenge-style ones (1…13), else empty.</summary>
    public static IReadOnlyList<int> EvaluatedClasses(IEnumerable<MotSequence> groundTruth)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        var classes = new SortedSet<int>();
        foreach (MotSequence gt in groundTruth)
        {
            foreach (MotRecord r in gt.Span)
            {
                if (r.ClassId is < 1 or > 13)
                {
                    return [];   // MOT15 layout: column 8 is a world coordinate, not a class
                }
                if (Math.Truncate(r.Confidence) != 0)
                {
                    classes.Add(r.ClassId);
                }
            }
        }
        return classes.Count >= 2 ? [.. classes] : [];
    }

    /// <summary>Scores every pair (ground truth, prediction) of one benchmark; see the type's summary.</summary>
    /// <param name="pairs">Sequences with their predictions, in report order (at least one).</param>
    /// <param name="rules">The rules of single-class ground truth.</param>
    public static MotClassBreakdown Evaluate(IReadOnlyList<(MotSequence GroundTruth, MotSequence Prediction)> pairs, MotBenchmarkRules rules)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            throw new ArgumentException("nothing to evaluate: no sequences", nameof(pairs));
        }
        var gts = new List<MotSequence>(pairs.Count);
        foreach ((MotSequence gt, _) in pairs)
        {
            gts.Add(gt);
        }
        IReadOnlyList<int> classes = EvaluatedClasses(gts);
        if (classes.Count == 0)
        {
            var options = new MotEvaluationOptions { Rules = rules };
            var rows = new List<MotMetrics>(pairs.Count);
            foreach ((MotSequence gt, MotSequence pred) in pairs)
            {
                rows.Add(MotEvaluator.Evaluate(gt, pred, options));
            }
            return new MotClassBreakdown([], MotEvaluator.Combine(rows), rows, null);
        }
        var pooledRows = new List<MotMetrics>(pairs.Count);
        var pooledOptions = new MotEvaluationOptions { Rules = MotBenchmarkRules.Mot15, IgnoreClasses = true };
        foreach ((MotSequence gt, MotSequence pred) in pairs)
        {
            pooledRows.Add(MotEvaluator.Evaluate(gt, pred, pooledOptions));
        }
        MotMetrics pooled = MotEvaluator.Combine(pooledRows, "all classes");
        if (!CarriesClasses(pairs))
        {
            string list = string.Join(", ", classes);
            return new MotClassBreakdown([], pooled, pooledRows, $"the ground truth has classes {list} but the predictions carry none (column 8 is -1): all classes pooled only");
        }
        var perClass = new List<MotMetrics>(classes.Count);
        foreach (int c in classes)
        {
            perClass.Add(Across(pairs, new MotEvaluationOptions { Rules = rules, ClassId = c }, string.Create(CultureInfo.InvariantCulture, $"class {c}")));
        }
        return new MotClassBreakdown(perClass, pooled, pooledRows, null);
    }

    /// <summary>A table: the sequences then COMBINED (single class; one sequence alone), or one row per class then "all classes".</summary>
    public string FormatTable() => MotReport.FormatTable(Classes.Count > 0 ? [.. Classes, Combined] : Sequences.Count == 1 ? [Sequences[0]] : [.. Sequences, Combined]);


    /// <summary><c>{ "sequences": [ … ], "classes": [ … ], "combined": { … } }</c>, each element as <see cref="MotReport.WriteJson"/>.</summary>
    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("sequences");
            foreach (MotMetrics m in Sequences)
            {
                MotReport.WriteJson(writer, m);
            }
            writer.WriteEndArray();
            writer.WriteStartArray("classes");
            foreach (MotMetrics m in Classes)
            {
                MotReport.WriteJson(writer, m);
            }
            writer.WriteEndArray();
            writer.WritePropertyName("combined");
            MotReport.WriteJson(writer, Combined);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static MotMetrics Across(IReadOnlyList<(MotSequence GroundTruth, MotSequence Prediction)> pairs, MotEvaluationOptions options, string name)
    {
        var rows = new List<MotMetrics>(pairs.Count);
        foreach ((MotSequence gt, MotSequence pred) in pairs)
        {
            rows.Add(MotEvaluator.Evaluate(gt, pred, options));
        }
        return MotEvaluator.Combine(rows, name);
    }

    private static bool CarriesClasses(IReadOnlyList<(MotSequence GroundTruth, MotSequence Prediction)> pairs)
    {
        foreach ((_, MotSequence pred) in pairs)
        {
            foreach (MotRecord r in pred.Span)
            {
                if (r.ClassId > 0)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
