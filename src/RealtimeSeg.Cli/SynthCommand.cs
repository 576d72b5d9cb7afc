using System.CommandLine;
using System.Globalization;
using RealtimeSeg.Core;
using RealtimeSeg.Synthetic;
using RealtimeSeg.Synthetic.Detections;

namespace RealtimeSeg.Cli;

/// <summary><c>realtimeseg synth export</c>: a synthetic drive with exact ground truth in MOTChallenge + COCO panoptic layout.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var seed = new Option<long>("--seed") { Description = "scene seed (the same seed gives the same frames and truth)", DefaultValueFactory = _ => 1 };
        var frames = new Option<int>("--frames") { Description = "frames to export", DefaultValueFactory = _ => 100 };
        var size = new Option<string>("--size") { Description = "WIDTHxHEIGHT", DefaultValueFactory = _ => "1280x720" };
        var fps = new Option<double>("--fps") { Description = "frame rate of the scene's motion", DefaultValueFactory = _ => 30 };
        var density = new Option<double?>("--density") { Description = "traffic density (see docs/sources.md; default the source's)" };
        var output = new Option<string>("--out") { Description = "output folder; the sequence goes to OUT/synth-drive-seed<S>/", Required = true };
        var export = new Command("export", "render a synthetic drive and its ground truth: img1/*.png, gt/gt.txt, seqinfo.ini, panoptic/*.png, panoptic.json")
        {
            seed, frames, size, fps, density, output,
        };
        export.SetAction((parse, ct) =>
        {
            (int width, int height) = ParseSize(parse.GetValue(size)!);
            int count = parse.GetValue(frames);
            if (count <= 0)
            {
                throw new ConfigurationException($"--frames must be ≥ 1 (got {count})");
            }
            var options = new SyntheticDriveOptions { Seed = parse.GetValue(seed), Width = width, Height = height, FramesPerSecond = parse.GetValue(fps) };
            if (parse.GetValue(density) is double d)
            {
                options = options with { Density = d };
            }
            var log = new ConsoleLog(Console.Error);
            SyntheticDataset dataset = SyntheticDatasetExporter.Export(options, count, parse.GetValue(output)!, log, ct);
            Console.Out.WriteLine(dataset.SequenceDirectory);
            Console.Error.WriteLine($"exported {dataset.FrameCount} frames of {dataset.Name}: images {dataset.ImageDirectory}, MOT ground truth {dataset.MotGroundTruthPath}, COCO panoptic {dataset.PanopticJsonPath}");
            return Task.FromResult(ExitCodes.Success);
        });
        return new Command("synth", "synthetic driving scenes with exact ground truth; simulated detections from any ground truth") { export, CreateDetections() };
    }

    /// <summary><c>realtimeseg synth detections</c>: a simulated detector run over ground truth (docs/tracking.md).</summary>
    private static Command CreateDetections()
    {
        var defaults = new DetectorSimulatorOptions();
        var gt = new Option<string>("--gt") { Description = "ground truth: a gt.txt, a sequence folder (SEQ/gt/gt.txt) or a folder of sequences", Required = true };
        var output = new Option<string>("--out") { Description = "output folder: OUT/<seq>/det/det.txt, gt/gt.txt, seqinfo.ini", Required = true };
        var seed = new Option<long>("--seed") { Description = "simulation seed (the same seed gives the same detections)", DefaultValueFactory = _ => 0 };
        var recall = new Option<double>("--recall") { Description = "share of frames a fully visible, large object is detected", DefaultValueFactory = _ => defaults.Recall };
        var missRun = new Option<double>("--miss-run") { Description = "mean length of a run of misses, seconds (0 = independent per frame)", DefaultValueFactory = _ => defaults.MissRunSeconds };
        var falsePositives = new Option<double>("--false-positives") { Description = "new false positives per frame per object in the frame", DefaultValueFactory = _ => defaults.FalsePositivesPerObject };
        var jitter = new Option<double>("--jitter") { Description = "standard deviation of each box edge, share of the box size", DefaultValueFactory = _ => defaults.Jitter };
        var frameRate = new Option<double?>("--frame-rate") { Description = "frame rate of sequences without a seqinfo.ini frameRate (default 30)" };
        var command = new Command("detections", "simulate a detector on ground truth: misses in runs, occlusion, score noise, box jitter, false positives")
        {
            gt, output, seed, recall, missRun, falsePositives, jitter, frameRate,
        };
        command.SetAction(parse =>
        {
            var options = defaults with
            {
                Seed = parse.GetValue(seed),
                Recall = parse.GetValue(recall),
                MissRunSeconds = parse.GetValue(missRun),
                FalsePositivesPerObject = parse.GetValue(falsePositives),
                Jitter = parse.GetValue(jitter),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new ConfigurationException(e.Message, e);
            }
            if (parse.GetValue(frameRate) is double fps && !(fps is > 0 and <= 1000))
            {
                throw new ConfigurationException($"--frame-rate must be above 0 and at most 1000, got {fps.ToString(CultureInfo.InvariantCulture)}");
            }
            var log = new ConsoleLog(Console.Error);
            DetectorSimulationExporter.Export(parse.GetValue(gt)!, parse.GetValue(output)!, options, parse.GetValue(frameRate), log);
            Console.Out.WriteLine(parse.GetValue(output));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static (int Width, int Height) ParseSize(string text)
    {
        string[] parts = text.Split('x', 'X');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h) && w > 0 && h > 0)
        {
            return (w, h);
        }
        throw new ConfigurationException($"--size: '{text}' is not WIDTHxHEIGHT (e.g. 1280x720)");
    }
}
