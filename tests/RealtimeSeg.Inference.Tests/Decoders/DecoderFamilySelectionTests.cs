using RealtimeSeg.Core;
using RealtimeSeg.Inference.Decoding;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Tests.Decoders;

/// <summary>Which family auto-selection picks from shapes and metadata alone, and what a model that fits none is told.</summary>
public sealed class DecoderFamilySelectionTests
{
    private static TensorInfo Tensor(string name, params long[] shape) => new(name, "float32", shape, []);

    private static TensorInfo Typed(string name, string type, params long[] shape) => new(name, type, shape, []);

    private static ModelSignature Signature(TensorInfo input, Dictionary<string, string>? metadata, params TensorInfo[] outputs)
        => new("/models/m.onnx", "test", [input], outputs, metadata ?? []);

    private static string Names(int count)
        => "{" + string.Join(", ", Enumerable.Range(0, count).Select(i => $"{i}: 'c{i}'")) + "}";

    private static (string? Family, IDecoderLayout? Layout) Pick(ModelSignature sig)
    {
        Assert.True(InputResolver.TryResolve(sig, null, out InputSpec? input, out string? problem), problem);
        (IOutputDecoderFactory? chosen, IDecoderLayout? layout, _) = DecoderRegistry.Evaluate(sig, input, null, null);
        return (chosen?.Name, layout);
    }

    [Fact]
    public void Evaluate_UltralyticsDetectExport_PicksYoloDetect()
    {
        (string? family, IDecoderLayout? layout) = Pick(Signature(Tensor("images", 1, 3, 640, 640),
            new() { ["names"] = Names(80), ["task"] = "detect", ["author"] = "Ultralytics" }, Tensor("output0", 1, 84, 8400)));

        Assert.Equal("yolo-detect", family);
        var l = (YoloSegLayout)layout!;
        Assert.Equal((true, 80, 0, 8400), (l.AttributesFirst, l.ClassCount, l.MaskCount, l.AnchorCount));
    }

    [Fact]
    public void Evaluate_DetectHeadWithoutMetadata_PicksYoloDetectFromTheGridCount()
    {
        (string? family, IDecoderLayout? layout) = Pick(Signature(Tensor("images", 1, 3, 640, 640), null, Tensor("output0", 1, 84, 8400)));

        Assert.Equal("yolo-detect", family);
        Assert.Equal(80, layout!.ClassCount);
    }

    [Fact]
    public void Evaluate_YoloxHeadWithoutMetadata_StillPicksYolox()
    {
        // [1, 8400, 85] at 640: attributes last with one row per grid cell is YOLOX, not a transposed YOLO head.
        (string? family, _) = Pick(Signature(Tensor("images", 1, 3, 640, 640), null, Tensor("output", 1, 8400, 85)));

        Assert.Equal("yolox", family);
    }

    [Fact]
    public void Evaluate_OneClassYoloxGrid_IsNotTakenForAnEndToEndHead()
    {
        // [1, 3549, 6] is both "6 attributes" and "one row per 416 grid cell": the grid wins.
        (string? family, _) = Pick(Signature(Tensor("images", 1, 3, 416, 416), null, Tensor("output", 1, 3549, 6)));

        Assert.Equal("yolox", family);
    }

    [Fact]
    public void Evaluate_EndToEndSegmentationHead_PicksYoloE2EWithPrototypes()
    {
        (string? family, IDecoderLayout? layout) = Pick(Signature(Tensor("images", 1, 3, 640, 640),
            new() { ["names"] = Names(80), ["task"] = "segment", ["end2end"] = "True" },
            Tensor("output0", 1, 300, 38), Tensor("output1", 1, 32, 160, 160)));

        Assert.Equal("yolo-e2e", family);
        var l = (YoloEndToEndLayout)layout!;
        Assert.Equal((300, 32, 160, 160, 80), (l.RowCount, l.MaskCount, l.ProtoHeight, l.ProtoWidth, l.ClassCount));
    }

    [Fact]
    public void Evaluate_EndToEndDetectionHeadWithoutMetadata_PicksYoloE2EWithCocoClasses()
    {
        (string? family, IDecoderLayout? layout) = Pick(Signature(Tensor("images", 1, 3, 640, 640), null, Tensor("output0", 1, 300, 6)));

        Assert.Equal("yolo-e2e", family);
        Assert.Equal((0, 80), (((YoloEndToEndLayout)layout!).MaskCount, layout.ClassCount));
    }

    [Fact]
    public void Evaluate_TorchvisionMaskRcnnExport_PicksMaskRcnnWithAnUnbatchedInput()
    {
        var sig = new ModelSignature("/m.onnx", "pytorch", [Tensor("images", 3, 480, 640)],
            [Tensor("boxes", -1, 4), Typed("labels", "int64", -1), Tensor("scores", -1), Tensor("masks", -1, 1, -1, -1)], new Dictionary<string, string>());

        Assert.True(InputResolver.TryResolve(sig, null, out InputSpec? input, out string? problem), problem);
        Assert.False(input.Batched);
        Assert.Equal([3L, 480, 640], input.Shape);
        (string? family, IDecoderLayout? layout) = Pick(sig);
        Assert.Equal("maskrcnn", family);
        var l = (MaskRcnnLayout)layout!;
        Assert.Equal((0, 1, 2, 3, 91, 5), (l.BoxesOutput, l.LabelsOutput, l.ScoresOutput, l.MasksOutput, l.ClassCount, l.MaskStep));
        Assert.Equal(-1, sig.Outputs[0].Shape[0]); // n stays dynamic: it counts instances, not images
    }

    [Fact]
    public void Evaluate_MaskRcnnOutputsInAnotherOrder_FoundByRankAndType()
    {
        var sig = new ModelSignature("/m.onnx", "pytorch", [Tensor("images", 3, 320, 320)],
            [Tensor("2310", -1, 1, 320, 320), Tensor("2308", -1), Typed("2307", "int64", -1), Tensor("2306", -1, 4)], new Dictionary<string, string>());

        (string? family, IDecoderLayout? layout) = Pick(sig);

        Assert.Equal("maskrcnn", family);
        var l = (MaskRcnnLayout)layout!;
        Assert.Equal((3, 2, 1, 0), (l.BoxesOutput, l.LabelsOutput, l.ScoresOutput, l.MasksOutput));
    }

    [Fact]
    public void Resolve_OutputsFittingNoFamily_FailNamingTheShapesAndEveryFamilyTried()
    {
        var sig = Signature(Tensor("images", 1, 3, 224, 224), null, Tensor("logits", 1, 1000));
        Assert.True(InputResolver.TryResolve(sig, null, out InputSpec? input, out _));

        var ex = Assert.Throws<ModelLoadException>(() => DecoderRegistry.Resolve(sig, input, null));

        Assert.StartsWith("cannot use model '/models/m.onnx': no decoder fits its outputs: ", ex.Message);
        Assert.Contains("[1,1000]", ex.Message);
        foreach (string family in DecoderRegistry.Names)
        {
            Assert.Contains(family + ": ", ex.Message);
        }
    }

    [Fact]
    public void Names_ListEveryFamilyInSelectionOrder()
        => Assert.Equal(["panoptic", "yolo-seg", "yolo-detect", "yolo-e2e", "yolox", "maskrcnn", "semantic"], DecoderRegistry.Names.ToArray());
}
