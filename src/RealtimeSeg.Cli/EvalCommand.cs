using System.CommandLine;
using RealtimeSeg.Core;
using RealtimeSeg.Evaluation.Mot;
using RealtimeSeg.Evaluation.Panoptic;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>realtimeseg eval mot|panoptic|stq</c>: the standard metrics against ground truth in standard formats
/// (MOTChallenge text, COCO panoptic). Text tables by default, JSON with <c>--json</c>; see docs/evaluation.md.
/// </summary>
internal static class EvalCommand
{
    public static Command Create() => new("eval", "score tracking and panoptic output against ground truth")
    {
        CreateMot(), CreatePanoptic(), CreateStq(),
    };

    private static Command CreateMot()
    {
        var gt = new Option<string>("--gt") { Description = "ground truth: a MOTChallenge gt.txt, or a folder of sequences (SEQ/gt/gt.txt)", Required = true };
        var pred = new Option<string>("--pred") { Description = "tracker output: a MOTChallenge file, a folder of SEQ.txt files, or a recording (.mcap, see --stream)", Required = true };
        var stream = new Option<string?>("--stream") { Description = "with a recording as --pred: the stream to score (default: its only stream)" };
        var seqinfo = new Option<string?>("--seqinfo") { Description = "seqinfo.ini whose seqLength bounds both files (single-sequence mode; default: beside gt/ when present)" };
        var classOption = new Option<string?>("--class") { Description = "evaluate one class id of multi-class data (column 8), or 'all' to pool every flagged ground-truth row whatever its class (default: every class of the ground truth on its own, then all pooled)" };
        var rules = new Option<MotBenchmarkRules>("--rules") { Description = "preprocessing: auto, mot15, mot17, mot20 (TrackEval's)", DefaultValueFactory = _ => MotBenchmarkRules.Auto };
        var json = new Option<bool>("--json") { Description = "JSON instead of a table" };
        var allowPartial = AllowPartialOption();
        var command = new Command("mot", "HOTA, CLEAR (MOTA…) and Identity (IDF1…) as TrackEval computes them") { gt, pred, stream, seqinfo, classOption, rules, json, allowPartial };
        command.SetAction(parse =>
        {
            string? classArgument = parse.GetValue(classOption);
            MotEvaluationOptions options = MotOptions(classArgument, parse.GetValue(rules));
            string gtPath = parse.GetValue(gt)!, predPath = parse.GetValue(pred)!;
            bool asJson = parse.GetValue(json);
            if (Directory.Exists(gtPath))
            {
                MotFolder discovered = MotFolder.Discover(gtPath, predPath);
                if (classArgument is null)
                {
                    var pairs = new List<(MotSequence, MotSequence)>(discovered.Sequences.Count);
                    foreach (MotFolderSequence s in discovered.Sequences)
                    {
                        pairs.Add(s.Read());
                    }
                    return Report(MotClassBreakdown.Evaluate(pairs, options.Rules), asJson);
                }
                MotFolderResult folder = discovered.Evaluate(options);
                Console.Out.Write(asJson ? folder.ToJson() + Environment.NewLine : folder.FormatTable());
                return ExitCodes.Success;
            }
            RequireFile(gtPath, "--gt");
            RequireFile(predPath, "--pred");
            using var recorded = RecordedPrediction.ForMot(predPath, parse.GetValue(stream));
            predPath = recorded?.Path ?? predPath;
            string? seqinfoPath = parse.GetValue(seqinfo) ?? DefaultSeqInfo(gtPath);
            int? length = seqinfoPath is null ? null : MotSeqInfo.ReadFile(seqinfoPath).SeqLength;
            MotSequence gtSeq = MotTextReader.ReadFile(gtPath, frameCount: length);
            MotSequence predSeq = MotTextReader.ReadFile(predPath, gtSeq.Name, length ?? gtSeq.FrameCount, parse.GetValue(allowPartial), out bool cutShort);
            if (cutShort)
            {
                Console.Error.WriteLine($"note: {predPath} was cut short in the middle of its last row; using its {predSeq.Records.Count} complete rows");
            }
            if (parse.GetValue(allowPartial))
            {
                (gtSeq, predSeq) = PartialDump.Mot(gtSeq, predSeq, predPath);
            }
            if (classArgument is null)
            {
                if (MotClassBreakdown.EvaluatedClasses([gtSeq]).Count == 0 && HasNonPedestrianClasses(predSeq))
                {
                    // TrackEval refuses such predictions (it scores pedestrians only) against single-class ground truth.
                    Console.Error.WriteLine($"note: {predPath} carries classes other than pedestrian; evaluating all classes pooled (--class N scores one class)");
                    options = options with { IgnoreClasses = true };
                }
                else
                {
                    return Report(MotClassBreakdown.Evaluate([(gtSeq, predSeq)], options.Rules), asJson);
                }
            }
            MotMetrics m = MotEvaluator.Evaluate(gtSeq, predSeq, options);
            Console.Out.Write(asJson ? MotReport.ToJson([m], null) + Environment.NewLine : MotReport.FormatTable([m]));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static MotEvaluationOptions MotOptions(string? classArgument, MotBenchmarkRules rules)
    {
        if (classArgument is null)
        {
            return new MotEvaluationOptions { Rules = rules };
        }
        if (classArgument == "all")
        {
            return new MotEvaluationOptions { Rules = MotBenchmarkRules.Mot15, IgnoreClasses = true };
        }
        if (!int.TryParse(classArgument, System.Globalization.CultureInfo.InvariantCulture, out int classId))
        {
            throw new ConfigurationException($"--class: '{classArgument}' is neither a class id nor 'all'");
        }
        return new MotEvaluationOptions { Rules = rules, ClassId = classId };
    }

    private static Command CreatePanoptic()
    {
        var (gtJson, gtDir, predJson, predDir, json, stream) = PanopticOptions();
        var allowPartial = AllowPartialOption();
        var command = new Command("panoptic", "PQ, SQ, RQ overall, for things, for stuff and per category (panopticapi's rules)") { gtJson, gtDir, predJson, predDir, stream, json, allowPartial };
        command.SetAction(parse =>
        {
            using var recorded = RecordedPrediction.ForPanoptic(parse.GetValue(predJson)!, parse.GetValue(stream));
            string gtPath = parse.GetValue(gtJson)!, predPath = parse.GetValue(predJson)!;
            PqResult result = (recorded is null ? PartialDump.Panoptic(gtPath, predPath, parse.GetValue(allowPartial)) : null) is { } partial
                ? PanopticEvaluator.Evaluate(partial.Gt, parse.GetValue(gtDir) ?? CocoPanopticDataset.DefaultPngDirectory(gtPath),
                    partial.Pred, parse.GetValue(predDir) ?? CocoPanopticDataset.DefaultPngDirectory(predPath), gtPath, partial.PredSource)
                : PanopticEvaluator.Evaluate(gtPath, parse.GetValue(gtDir), recorded?.Path ?? predPath, recorded is null ? parse.GetValue(predDir) : null);
            Console.Out.Write(parse.GetValue(json) ? result.ToJson() + Environment.NewLine : result.ToTable());
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateStq()
    {
        var (gtJson, gtDir, predJson, predDir, json, stream) = PanopticOptions();
        var allowPartial = AllowPartialOption();
        var command = new Command("stq", "Segmentation and Tracking Quality of a video (Weber et al. 2021) from panoptic dumps with persistent ids") { gtJson, gtDir, predJson, predDir, stream, json, allowPartial };
        command.SetAction(parse =>
        {
            using var recorded = RecordedPrediction.ForPanoptic(parse.GetValue(predJson)!, parse.GetValue(stream));
            string gtPath = parse.GetValue(gtJson)!, predPath = parse.GetValue(predJson)!;
            StqResult result = (recorded is null ? PartialDump.Panoptic(gtPath, predPath, parse.GetValue(allowPartial)) : null) is { } partial
                ? StqEvaluator.Evaluate(partial.Gt, parse.GetValue(gtDir) ?? CocoPanopticDataset.DefaultPngDirectory(gtPath),
                    partial.Pred, parse.GetValue(predDir) ?? CocoPanopticDataset.DefaultPngDirectory(predPath), null, gtPath, partial.PredSource)
                : StqEvaluator.Evaluate(gtPath, parse.GetValue(gtDir), recorded?.Path ?? predPath, recorded is null ? parse.GetValue(predDir) : null);
            Console.Out.Write(parse.GetValue(json) ? result.ToJson() + Environment.NewLine : result.ToTable());
            return ExitCodes.Success;
        });
        return command;
    }

    private static int Report(MotClassBreakdown result, bool asJson)
    {
        if (result.Note is not null)
        {
            Console.Error.WriteLine($"note: {result.Note} (--class N scores one class; predictions from run --dump-mot carry theirs)");
        }
        Console.Out.Write(asJson ? result.ToJson() + Environment.NewLine : result.FormatTable());
        return ExitCodes.Success;
    }

    private static bool HasNonPedestrianClasses(MotSequence sequence)
    {
        foreach (MotRecord r in sequence.Records)
        {
            if (r.ClassId is not (-1 or 1))
            {
                return true;
            }
        }
        return false;
    }

    private static (Option<string>, Option<string?>, Option<string>, Option<string?>, Option<bool>, Option<string?>) PanopticOptions() =>
    (
        new Option<string>("--gt-json") { Description = "COCO panoptic ground-truth JSON", Required = true },
        new Option<string?>("--gt-dir") { Description = "folder of ground-truth PNG id maps (default: the JSON's name without .json)" },
        new Option<string>("--pred-json") { Description = "COCO panoptic prediction JSON (e.g. from run --dump-panoptic), or a recording (.mcap)", Required = true },
        new Option<string?>("--pred-dir") { Description = "folder of predicted PNG id maps (default: the JSON's name without .json)" },
        new Option<bool>("--json") { Description = "JSON instead of a table" },
        new Option<string?>("--stream") { Description = "with a recording as prediction: the stream to score (default: its only stream)" }
    );

    private static Option<bool> AllowPartialOption() => new("--allow-partial")
    {
        Description = "score what is complete of a prediction cut short (a killed run's dump: a MOT file ending mid-row, a panoptic dump with only its panoptic.jsonl journal)",
    };

    private static string? DefaultSeqInfo(string gtPath)
    {
        // SEQ/gt/gt.txt → SEQ/seqinfo.ini
        string? seqDir = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(gtPath)));
        string? candidate = seqDir is null ? null : Path.Combine(seqDir, "seqinfo.ini");
        return candidate is not null && File.Exists(candidate) ? candidate : null;
    }

    internal static void RequireFile(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new SourceUnavailableException(path, $"{option}: no such file");
        }
    }
}
