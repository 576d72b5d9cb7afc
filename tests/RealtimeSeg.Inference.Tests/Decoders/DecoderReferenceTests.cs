using System.Text.Json;
using RealtimeSeg.Core;
using RealtimeSeg.Inference.Diagnostics;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Inference.Tests.Decoders;

/// <summary>
/// Each decoder family against tests/data/decoders/*.json: the results of numpy reference decoders
/// (tools/decoder-reference/reference_decode.py, written from the formats' definitions) on the raw outputs of the
/// same model on the same real video frame. The C# side re-runs the model, so the comparison allows for float noise
/// between ONNX Runtime runs on different CPUs, not for decoding differences.
/// </summary>
public sealed class DecoderReferenceTests
{
    private const float BoxTolerancePx = 0.5f;
    private const float ScoreTolerance = 2e-3f;

    [AssetTheory]
    [InlineData("yolov8n-seg-int8-320.udacity-cars-1280x720-f10.json", "yolo-seg")]
    [InlineData("yolov8n-seg-int8-320.intel-parking-cars-768x432-f200.json", "yolo-seg")]
    [InlineData("yolov8n-seg-int8-320.intel-people-768x432-f300.json", "yolo-seg")]
    [InlineData("yolox-nano-416.udacity-cars-1280x720-f10.json", "yolox")]
    [InlineData("yolox-nano-416.udacity-highway-960x540-f100.json", "yolox")]
    public void Decode_AssetModelOnRealFrame_MatchesNumpyReference(string reference, string family)
        => CheckAgainstReference(reference, family, r => TestAssets.Path("models/" + r.Model));

    [AssetTheory]
    [InlineData("maskrcnn-small-160.udacity-cars-1280x720-f10.json", "maskrcnn")]
    public void Decode_SmallMaskRcnnOnRealFrame_MatchesNumpyReference(string reference, string family)
        => CheckAgainstReference(reference, family, r => Path.Combine(DataFolder, r.Model));

    [DerivedModelTheory]
    [InlineData("yolov8n-detect-derived.intel-parking-cars-768x432-f200.json", "yolo-detect")]
    [InlineData("yolov8n-seg-e2e-derived.udacity-cars-1280x720-f10.json", "yolo-e2e")]
    public void Decode_DerivedModelOnRealFrame_MatchesNumpyReference(string reference, string family)
        => CheckAgainstReference(reference, family, r => r.Model.Contains("e2e", StringComparison.Ordinal) ? DerivedModels.EndToEnd : DerivedModels.Detect);

    [AssetTheory]
    [InlineData("road-segmentation-adas-0001.udacity-highway-960x540-f100.json", ColorOrder.Bgr, 0f, 1f, ResizeMode.Letterbox)]
    [InlineData("deeplabv3-mobilenetv2-voc-257.intel-people-768x432-f300.json", ColorOrder.Rgb, 127.5f, 127.5f, ResizeMode.Stretch)]
    [InlineData("deeplabv3-mobilenetv2-voc-257.udacity-cars-1280x720-f0.json", ColorOrder.Rgb, 127.5f, 127.5f, ResizeMode.Stretch)]
    public void Decode_SemanticModelOnRealFrame_MatchesNumpyArgMax(string file, ColorOrder order, float mean, float std, ResizeMode resize)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(DataFolder, file)));
        JsonElement r = doc.RootElement;
        Assert.Equal("semantic", r.GetProperty("family").GetString());
        using SegmentationModel model = SegmentationModel.Load(new ModelOptions
        {
            Path = TestAssets.Path("models/" + r.GetProperty("model").GetString()),
            ColorOrder = order,
            Mean = [mean, mean, mean],
            Std = [std, std, std],
            Resize = resize,
            WarmupRuns = 0,
        }, NullPipelineLog.Instance);
        using StillFrame frame = StillFrame.Read(TestAssets.Path(r.GetProperty("source").GetString()!), r.GetProperty("frame").GetInt32());
        SemanticMap map = model.CreateSemanticMap()!;

        ModelProbe.Run(model, frame, null, map);

        Assert.Equal("semantic", model.DecoderName);
        Assert.Equal((r.GetProperty("map")[0].GetInt32(), r.GetProperty("map")[1].GetInt32()), (map.Width, map.Height));
        int[] want = [.. r.GetProperty("histogram").EnumerateArray().Select(e => e.GetInt32())];
        var got = new int[want.Length];
        foreach (byte c in map.Classes)
        {
            Assert.True(c < want.Length, $"class {c} outside the model's {want.Length}");
            got[c]++;
        }
        int cells = map.Width * map.Height;
        for (int c = 0; c < want.Length; c++)
        {
            // Exact but for arg-max ties within float noise of another CPU's ONNX Runtime: 0.1% of the map.
            Assert.InRange(got[c], want[c] - cells / 1000, want[c] + cells / 1000);
        }
        Assert.Contains(want, n => n > 0 && n < cells); // more than one class: a map of one class checks little
        if (file.Contains("udacity-cars", StringComparison.Ordinal))
        {
            Assert.True(want[7] > 0, "DeepLab sees the cars ahead (VOC class 7) in a stretched dash-cam frame");
        }

        int step = r.GetProperty("grid_step").GetInt32(), offset = r.GetProperty("grid_offset").GetInt32();
        int mismatches = 0, total = 0, row = 0;
        foreach (JsonElement line in r.GetProperty("grid").EnumerateArray())
        {
            string digits = line.GetString()!;
            int v = offset + row++ * step;
            for (int k = 0; k < digits.Length; k++, total++)
            {
                int expected = "0123456789abcdefghijklmnopqrstuvwxyz".IndexOf(digits[k], StringComparison.Ordinal);
                mismatches += map.Classes[v * map.Width + offset + k * step] == expected ? 0 : 1;
            }
        }
        Assert.True(mismatches <= total / 100, $"{mismatches} of {total} sampled cells differ from the numpy arg-max");

        // The map covers the whole (letterboxed or stretched) input: its origin is minus the padding, in image pixels.
        JsonElement fit = r.GetProperty("letterbox");
        Assert.Equal(resize == ResizeMode.Stretch ? "stretch" : "letterbox", fit.GetProperty("mode").GetString());
        float sx = fit.GetProperty("scale_x").GetSingle(), sy = fit.GetProperty("scale_y").GetSingle();
        Assert.Equal(-fit.GetProperty("pad_y").GetInt32() / sy, map.OriginY, 3);
        Assert.Equal((float)r.GetProperty("input")[0].GetInt32() / map.Width / sx, map.CellWidth, 3);
        Assert.Equal((float)r.GetProperty("input")[1].GetInt32() / map.Height / sy, map.CellHeight, 3);
    }

    private static string DataFolder => Path.Combine(TestAssets.RepositoryRoot, "tests", "data", "decoders");

    private static void CheckAgainstReference(string file, string family, Func<Reference, string> modelPath)
    {
        Reference r = Reference.Load(Path.Combine(DataFolder, file));
        Assert.Equal(family, r.Family);
        Assert.NotEmpty(r.Detections); // a reference with nothing in it would check nothing

        using SegmentationModel model = SegmentationModel.Load(
            new ModelOptions { Path = modelPath(r), ConfidenceThreshold = r.Confidence, IouThreshold = r.Iou, WarmupRuns = 0 }, NullPipelineLog.Instance);
        using StillFrame frame = StillFrame.Read(TestAssets.Path(r.Source), r.Frame);
        Assert.Equal(family, model.DecoderName);

        DetectionSet set = ModelProbe.Run(model, frame, null);

        var letterbox = LetterboxTransform.Compute(frame.Width, frame.Height, model.Input.Width, model.Input.Height);
        Assert.Equal((r.Scale, r.PadX, r.PadY), (letterbox.Scale, letterbox.PadX, letterbox.PadY));
        Assert.Equal(r.DetectionCount, set.Count);
        var used = new bool[set.Count];
        foreach (ReferenceDetection want in r.Detections)
        {
            int match = -1;
            for (int i = 0; i < set.Count && match < 0; i++)
            {
                Detection d = set[i];
                if (!used[i] && d.ClassId == want.Class && Near(d.Box, want.Box))
                {
                    match = i;
                }
            }
            Assert.True(match >= 0, $"no C# detection of class {want.Class} at [{string.Join(", ", want.Box)}] (score {want.Score}) in {file}");
            used[match] = true;
            Detection got = set[match];
            Assert.InRange(got.Score, want.Score - ScoreTolerance, want.Score + ScoreTolerance);
            if (want.MaskAreaInputPx is { } area)
            {
                Assert.True(got.HasMask, $"detection {match} in {file} has no mask");
                float gotArea = MaskAreaInputPx(set, got, letterbox.Scale);
                // Exact in principle (the same cells are thresholded); the slack covers cells within float noise of 0.5.
                float slack = 0.02f * area + 2 * CellArea(set, got, letterbox.Scale);
                Assert.InRange(gotArea, area - slack, area + slack);
            }
            else
            {
                Assert.False(got.HasMask, $"detection {match} in {file} has a mask; the family gives boxes only");
            }
        }
    }

    private static bool Near(in BoundingBox b, float[] box)
        => MathF.Abs(b.X1 - box[0]) <= BoxTolerancePx && MathF.Abs(b.Y1 - box[1]) <= BoxTolerancePx
            && MathF.Abs(b.X2 - box[2]) <= BoxTolerancePx && MathF.Abs(b.Y2 - box[3]) <= BoxTolerancePx;

    private static float CellArea(DetectionSet set, in Detection d, float scale)
    {
        MaskGrid g = set.Masks[d.MaskIndex];
        return g.CellWidth * scale * g.CellHeight * scale;
    }

    private static float MaskAreaInputPx(DetectionSet set, in Detection d, float scale)
    {
        int on = 0;
        foreach (float v in set.MaskCells(d.MaskIndex))
        {
            on += v > 0.5f ? 1 : 0;
        }
        return on * CellArea(set, d, scale);
    }

    private sealed record ReferenceDetection(int Class, float Score, float[] Box, float? MaskAreaInputPx);

    private sealed record Reference(
        string Family, string Model, string Source, int Frame, float Confidence, float Iou,
        float Scale, int PadX, int PadY, int DetectionCount, IReadOnlyList<ReferenceDetection> Detections)
    {
        public static Reference Load(string path)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = doc.RootElement;
            JsonElement lb = root.GetProperty("letterbox");
            var dets = new List<ReferenceDetection>();
            foreach (JsonElement d in root.GetProperty("detections").EnumerateArray())
            {
                JsonElement area = d.GetProperty("mask_area_input_px");
                dets.Add(new ReferenceDetection(
                    d.GetProperty("class").GetInt32(),
                    d.GetProperty("score").GetSingle(),
                    [.. d.GetProperty("box").EnumerateArray().Select(v => v.GetSingle())],
                    area.ValueKind == JsonValueKind.Null ? null : area.GetSingle()));
            }
            return new Reference(
                root.GetProperty("family").GetString()!, root.GetProperty("model").GetString()!, root.GetProperty("source").GetString()!,
                root.GetProperty("frame").GetInt32(), root.GetProperty("confidence").GetSingle(), root.GetProperty("iou").GetSingle(),
                lb.GetProperty("scale").GetSingle(), lb.GetProperty("pad_x").GetInt32(), lb.GetProperty("pad_y").GetInt32(),
                root.GetProperty("detection_count").GetInt32(), dets);
        }
    }
}
