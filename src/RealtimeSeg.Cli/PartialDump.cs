using RealtimeSeg.Core;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>eval</c> on what a killed run left. A <c>--dump-panoptic</c> folder whose <c>panoptic.json</c> was never written
/// but whose journal (<c>panoptic.jsonl</c>, <see cref="CocoPanopticJournal"/>) lists every complete frame is an error
/// saying so, unless <c>--allow-partial</c>: then the journal's frames are the prediction. With <c>--allow-partial</c>
/// only the frames the prediction has are scored (a MOT prediction's frames up to its last one; a panoptic
/// prediction's images), each with a note on stderr saying what was left out.
/// </summary>
internal static class PartialDump
{
    /// <summary>
    /// Without <paramref name="allowPartial"/>: fails when the dump was cut short, else returns null (the evaluator
    /// reads the files itself). With it: both datasets, the ground truth restricted to the predicted images.
    /// </summary>
    /// <exception cref="SourceUnavailableException">Cut short and <paramref name="allowPartial"/> is false.</exception>
    public static (CocoPanopticDataset Gt, CocoPanopticDataset Pred, string PredSource)? Panoptic(string gtJsonPath, string predJsonPath, bool allowPartial)
    {
        string journal = CocoPanopticJournal.PathFor(predJsonPath);
        bool cutShort = !File.Exists(predJsonPath) && File.Exists(journal);
        if (!allowPartial)
        {
            return cutShort
                ? throw new SourceUnavailableException(predJsonPath,
                    $"missing: the run writing this dump was cut short (e.g. killed) before it wrote its index; {journal} lists its complete frames: pass --allow-partial to score them")
                : null;
        }
        CocoPanopticDataset pred;
        string source = predJsonPath;
        if (cutShort)
        {
            (pred, bool lastLineCut) = CocoPanopticJournal.Read(journal);
            source = journal;
            Console.Error.WriteLine($"note: {predJsonPath} was cut short; using the {pred.Annotations.Count} complete frames listed in {journal}"
                + (lastLineCut ? " (its last, unfinished line left out)" : ""));
        }
        else
        {
            pred = CocoPanopticDataset.Load(predJsonPath);
        }
        CocoPanopticDataset gt = CocoPanopticDataset.Load(gtJsonPath);
        var predicted = new HashSet<CocoImageId>(pred.Annotations.Count);
        foreach (CocoPanopticAnnotation a in pred.Annotations)
        {
            predicted.Add(a.ImageId);
        }
        int total = gt.Annotations.Count;
        gt.Annotations.RemoveAll(a => !predicted.Contains(a.ImageId));
        gt.Images.RemoveAll(i => !predicted.Contains(i.Id));
        if (gt.Annotations.Count < total)
        {
            Console.Error.WriteLine($"note: --allow-partial: scoring the {gt.Annotations.Count} of {total} ground-truth frames that {source} has");
        }
        return (gt, pred, source);
    }

    /// <summary>With <c>--allow-partial</c>: both sequences stopped at the prediction's last frame (unchanged when it reaches the end).</summary>
    public static (MotSequence Gt, MotSequence Pred) Mot(MotSequence gt, MotSequence pred, string predPath)
    {
        int last = 0;
        foreach (MotRecord r in pred.Span)
        {
            last = Math.Max(last, r.Frame);
        }
        if (last == 0 || last >= gt.FrameCount)
        {
            return (gt, pred);
        }
        Console.Error.WriteLine($"note: --allow-partial: scoring frames 1–{last} of {gt.FrameCount}, where {predPath} ends");
        var kept = new List<MotRecord>(gt.Records.Count);
        foreach (MotRecord r in gt.Span)
        {
            if (r.Frame <= last)
            {
                kept.Add(r);
            }
        }
        return (new MotSequence(gt.Name, kept, last), pred.WithFrameCount(last));
    }
}
