using System.CommandLine;
using System.Text.Json;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;
using RealtimeSeg.Inference.Diagnostics;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>realtimeseg models inspect FILE</c>: inputs, outputs, metadata and the decoder the pipeline would use;
/// <c>realtimeseg models run FILE --image VIDEO_OR_IMAGE [--frame N] [--save-outputs DIR]</c>: one frame through
/// the model, detections as JSON lines, raw outputs optionally saved as .npy for reference checks.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "ONNX model file" };
        var inspect = new Command("inspect", "print a model's inputs, outputs, metadata and the decoder it would get") { file };
        inspect.SetAction(parse =>
        {
            ModelDescription description = SegmentationModel.Describe(parse.GetValue(file)!);
            Console.Out.Write(ModelDescriptionText.Render(description));
            return 0;
        });
        return new Command("models", "inspect ONNX models and try them on one frame") { inspect, CreateRun() };
    }

    private static Command CreateRun()
    {
        var file = new Argument<string>("file") { Description = "ONNX model file" };
        var image = new Option<string>("--image") { Description = "a video (with --frame) or an image file", Required = true };
        var frame = new Option<int>("--frame") { Description = "0-based frame index in the video", DefaultValueFactory = _ => 0 };
        var decoder = new Option<string?>("--decoder") { Description = "force an output decoder instead of choosing it from the model's shapes" };
        var confidence = new Option<float?>("--confidence") { Description = "confidence threshold (default 0.25)" };
        var save = new Option<string?>("--save-outputs") { Description = "directory for input.npy, one .npy per raw output and frame.json" };
        var run = new Command("run", "run a model on one frame and print its detections as JSON lines") { file, image, frame, decoder, confidence, save };
        run.SetAction(parse =>
        {
            var options = new ModelOptions { Path = parse.GetValue(file)!, Decoder = parse.GetValue(decoder) };
            if (parse.GetValue(confidence) is { } c)
            {
                options = options with { ConfidenceThreshold = c };
            }
            using SegmentationModel model = SegmentationModel.Load(options, new ConsoleLog(Console.Error, quiet: true));
            using StillFrame still = StillFrame.Read(parse.GetValue(image)!, parse.GetValue(frame));
            DetectionSet set = ModelProbe.Run(model, still, parse.GetValue(save));
            WriteDetections(model, set);
            return 0;
        });
        return run;
    }

    private static void WriteDetections(SegmentationModel model, DetectionSet set)
    {
        using Stream stdout = Console.OpenStandardOutput();
        foreach (Detection d in set.Items)
        {
            using var w = new Utf8JsonWriter(stdout);
            w.WriteStartObject();
            w.WriteNumber("class", d.ClassId);
            w.WriteString("name", model.Categories.TryGet(d.ClassId, out Category cat) ? cat.Name : "?");
            w.WriteNumber("score", Math.Round(d.Score, 4));
            w.WriteStartArray("box");
            foreach (float v in (ReadOnlySpan<float>)[d.Box.X1, d.Box.Y1, d.Box.X2, d.Box.Y2])
            {
                w.WriteNumberValue(Math.Round(v, 2));
            }
            w.WriteEndArray();
            w.WriteBoolean("mask", d.HasMask);
            w.WriteEndObject();
            w.Flush();
            stdout.WriteByte((byte)'\n');
        }
    }
}
