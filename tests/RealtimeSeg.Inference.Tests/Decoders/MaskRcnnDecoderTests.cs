using RealtimeSeg.Core;
using RealtimeSeg.Inference.Decoding;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Inference.Tests.Decoders;

/// <summary>The Mask R-CNN decoder on hand-made outputs, and the small exported model end to end.</summary>
public sealed class MaskRcnnDecoderTests
{
    private static readonly MaskRcnnLayout Layout = new(0, 1, 2, 3, true, 5, 8, 8, 1);

    private static readonly LetterboxTransform Identity = LetterboxTransform.Compute(8, 8, 8, 8);

    [Fact]
    public void Decode_TwoInstances_BestFirstWithMasksCroppedToTheirBoxes()
    {
        var decoder = new MaskRcnnDecoder(Layout, new DecoderOptions(0.5f, 0.45f, 10, null));
        var ws = (CandidateWorkspace)decoder.CreateWorkspace();
        var set = new DetectionSet(10, decoder.MaskArenaFloats);
        float[] boxes = [0, 0, 4, 4, 2, 2, 8, 6];
        long[] labels = [3, 1];
        float[] scores = [0.6f, 0.95f];
        float[] masks = new float[2 * 64];
        masks[0 * 64 + 1 * 8 + 1] = 0.9f;  // instance 0, pixel (1,1)
        masks[1 * 64 + 3 * 8 + 5] = 0.8f;  // instance 1, pixel (5,3)

        decoder.Decode(boxes, labels, scores, masks, Identity, ws, set);

        Assert.Equal(2, set.Count);
        Assert.Equal((1, 0.95f, new BoundingBox(2, 2, 8, 6)), (set[0].ClassId, set[0].Score, set[0].Box));
        Assert.Equal((3, 0.6f), (set[1].ClassId, set[1].Score));
        MaskGrid g = set.Masks[set[0].MaskIndex];
        Assert.Equal((6, 4, 2f, 2f), (g.Width, g.Height, g.OriginX, g.OriginY));
        float[] cells = set.MaskCells(set[0].MaskIndex).ToArray();
        Assert.Equal(0.8f, cells[(3 - 2) * 6 + (5 - 2)]);
        Assert.Equal(0.8f, cells.Sum(), 5);
        Assert.Equal(0.9f, set.MaskCells(set[1].MaskIndex).ToArray().Sum(), 5);
    }

    [Fact]
    public void Decode_BelowThresholdAndUnknownLabels_Dropped()
    {
        var decoder = new MaskRcnnDecoder(Layout, new DecoderOptions(0.5f, 0.45f, 10, null));
        var set = new DetectionSet(10, decoder.MaskArenaFloats);

        decoder.Decode([0, 0, 4, 4, 0, 0, 4, 4, 0, 0, 4, 4], [1, 9, 2], [0.4f, 0.9f, 0.7f], new float[3 * 64], Identity,
            (CandidateWorkspace)decoder.CreateWorkspace(), set);

        Assert.Equal(2, Assert.Single(set.Items.ToArray()).ClassId);
    }

    [Fact]
    public void Decode_InconsistentLengths_ThrowsNamingThem()
    {
        var decoder = new MaskRcnnDecoder(Layout, new DecoderOptions(0.5f, 0.45f, 10, null));

        var ex = Assert.Throws<ArgumentException>(() => decoder.Decode(new float[4], [1], [0.9f], new float[10], Identity,
            (CandidateWorkspace)decoder.CreateWorkspace(), new DetectionSet(1, 64)));

        Assert.Contains("1x8x8 mask values", ex.Message);
    }

    [Fact]
    public void StepFor_LargeInputs_KeepTheGridAtMost128Cells()
    {
        Assert.Equal(1, MaskRcnnLayout.StepFor(128, 96));
        Assert.Equal(2, MaskRcnnLayout.StepFor(160, 160));
        Assert.Equal(7, MaskRcnnLayout.StepFor(800, 800));
    }

    [AssetFact]
    public void LoadAndDecode_SmallExportedModel_EveryDetectionHasAMaskInsideTheImage()
    {
        string path = Path.Combine(TestAssets.RepositoryRoot, "tests", "data", "decoders", "maskrcnn-small-160.onnx");
        var log = new CollectingLog();
        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = path, ConfidenceThreshold = 0f }, log);
        using InferenceSlot slot = model.CreateSlot();
        using var frame = Diagnostics.StillFrame.Read(TestAssets.UdacityCars, 0);
        DetectionSet set = model.CreateDetectionSet();

        model.Preprocess(frame.Pointer, frame.Width, frame.Height, frame.Stride, slot);
        model.Run(slot);
        model.Decode(slot, set);

        Assert.Equal("maskrcnn", model.DecoderName);
        Assert.Equal("images float32 [3,160,160] NCHW RGB /255 letterbox", model.InputDescription);
        Assert.Equal(8, set.Count); // the export keeps 8 detections (box_detections_per_img) at threshold 0
        foreach (Detection d in set.Items)
        {
            Assert.True(d.HasMask);
            Assert.InRange(d.Box.X1, 0f, 1280f);
            Assert.InRange(d.Box.Y2, 0f, 720f);
        }
    }
}
