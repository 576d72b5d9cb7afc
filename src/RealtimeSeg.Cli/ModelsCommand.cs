using System.CommandLine;
using System.Text.Json;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;
using RealtimeSeg.Inference.Diagnostics;
using RealtimeSeg.Pipeline.Configuration;

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
        var config = new Option<string?>("--config") { Description = "take the model options (input convention, categories, thresholds) from a pipeline config" };
        var save = new Option<string?>("--save-outputs") { Description = "directory for input.npy, one .npy per raw output and frame.json" };
        var run = new Command("run", "run a model on one frame and print its detections as JSON lines") { file, image, frame, decoder, confidence, config, save };
        run.SetAction(parse =>
        {
            ModelOptions options = parse.GetValue(config) is { } configPath ? new PipelineConfigLoader().Load(configPath).Model : new ModelOptions();
            options = options with { Path = parse.GetValue(file)!, Decoder = parse.GetValue(decoder) ?? options.Decoder };
            if (parse.GetValue(confidence) is { } c)
            {
                options = options with { ConfidenceThreshold = c };
            }
            using SegmentationModel model = SegmentationModel.Load(options, new ConsoleLog(Console.Error, quiet: true));
            using StillFrame still = StillFrame.Read(parse.GetValue(image)!, parse.GetValue(frame));
            SemanticMap? semantic = model.CreateSemanticMap();
            DetectionSet set = ModelProbe.Run(model, still, parse.GetValue(save), semantic);
            WriteDetections(model, set);
            if (semantic is not null)
            {
                WriteHistogram(model, semantic);
            }
            return 0;
        });
        return run;
    }

    /// <summary>One JSON line: semantic class → share of the map, with the category each class is published as.</summary>
    private static void WriteHistogram(SegmentationModel model, SemanticMap map)
    {
        var counts = new int[256];
        foreach (byte c in map.Classes)
        {
            counts[c]++;
        }
        using Stream stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout))
        {
            w.WriteStartObject();
            w.WriteNumber("map_width", map.Width);
            w.WriteNumber("map_height", map.Height);
            w.WriteStartArray("semantic");
            for (int c = 0; c < counts.Length; c++)
            {
                if (counts[c] == 0)
                {
                    continue;
                }
                w.WriteStartObject();
                w.WriteNumber("class", c == SemanticMap.NoClass ? -1 : c);
                int category = c < model.Classes.StuffCategoryForClass.Length ? model.Classes.StuffCategoryForClass[c] : -1;
                w.WriteString("category", category >= 0 && model.Categories.TryGet(category, out Category cat) ? cat.Name : "void");
                w.WriteNumber("share", Math.Round((double)counts[c] / map.Classes.Length, 4));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }

    private static void WriteDetections(SegmentationModel model, DetectionSet set)
    {
        using Stream stdout = Console.OpenStandardOutput();
        foreach (Detection d in set.Items)
        {
            using var w = new Utf8JsonWriter(stdout);
            w.WriteStartObject();
            w.WriteNumber("class", d.ClassId);
            // Instance class → the category it is published as (class ids and category ids differ when the model's
            // metadata or config declares a category table).
            int categoryId = (uint)d.ClassId < (uint)model.Classes.ThingCategoryForClass.Length ? model.Classes.ThingCategoryForClass[d.ClassId] : d.ClassId;
            w.WriteString("name", model.Categories.TryGet(categoryId, out Category cat) ? cat.Name : "?");
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
