using RealtimeSeg.Core;
using RealtimeSeg.Inference.Decoding;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Tests;

/// <summary>The YOLOX family on hand-made grids: a 64x64 input gives 8x8 + 4x4 + 2x2 = 84 anchors.</summary>
public sealed class YoloxDecoderTests
{
    private const int Nc = 2, In = 64, Anchors = 84, C = 5 + Nc;

    private static readonly YoloxLayout Layout = new(0, Nc, Anchors, In, In, YoloxLayout.DefaultStrides);

    // A 64x64 frame: identity letterbox, so input pixels are image pixels.
    private static readonly LetterboxTransform Identity = LetterboxTransform.Compute(In, In, In, In);

    private static void Set(float[] raw, int anchor, float x, float y, float logW, float logH, float obj, float c0, float c1)
        => new[] { x, y, logW, logH, obj, c0, c1 }.CopyTo(raw, anchor * C);

    private static DetectionSet Decode(float[] raw, IReadOnlyList<int>? classes = null, float? mergeIou = null)
    {
        var decoder = new YoloxDecoder(Layout, new DecoderOptions(0.25f, 0.45f, 100, classes, mergeIou));
        var set = new DetectionSet(100, 0);
        decoder.Decode(raw, Identity, (CandidateWorkspace)decoder.CreateWorkspace(), set);
        return set;
    }

    [Fact]
    public void Decode_AnchorOnTheStride16Grid_BoxFromCellOffsetsAndExpSizes()
    {
        var raw = new float[Anchors * C];
        // Stride-16 grid starts after the 64 stride-8 anchors; cell (x 2, y 1) is anchor 64 + 1*4 + 2 = 70.
        Set(raw, 70, x: 0.5f, y: 0.25f, logW: MathF.Log(2f), logH: 0f, obj: 0.9f, c0: 0.1f, c1: 0.8f);

        DetectionSet set = Decode(raw);

        Detection d = Assert.Single(set.Items.ToArray());
        // cx = (0.5 + 2) * 16 = 40, cy = (0.25 + 1) * 16 = 20, w = 2 * 16 = 32, h = 16.
        Assert.Equal(new BoundingBox(24f, 12f, 56f, 28f), d.Box);
        Assert.Equal(1, d.ClassId);
        Assert.Equal(0.72f, d.Score, 5);
        Assert.False(d.HasMask);
    }

    [Fact]
    public void Decode_ObjectnessTimesClass_BelowThresholdIsDropped()
    {
        var raw = new float[Anchors * C];
        Set(raw, 0, 0f, 0f, 0f, 0f, obj: 0.4f, c0: 0.5f, c1: 0.1f); // 0.20: dropped
        Set(raw, 83, 0f, 0f, 0f, 0f, obj: 0.6f, c0: 0.5f, c1: 0.1f); // 0.30: kept, last stride-32 cell (1,1)

        DetectionSet set = Decode(raw);

        Detection d = Assert.Single(set.Items.ToArray());
        Assert.Equal(0.30f, d.Score, 5);
        Assert.Equal(new BoundingBox(16f, 16f, 48f, 48f), d.Box); // centre (1*32, 1*32), 32x32
    }

    [Fact]
    public void Decode_OverlappingSameClassAndOtherClass_ClassAwareNms()
    {
        var raw = new float[Anchors * C];
        // e^1.5 * 8 ≈ 35.9 px boxes on neighbouring stride-8 cells, 8 px apart: IoU ≈ 0.64.
        Set(raw, 10, 0f, 0f, 1.5f, 1.5f, obj: 0.9f, c0: 0.9f, c1: 0f);
        Set(raw, 11, 0f, 0f, 1.5f, 1.5f, obj: 0.8f, c0: 0.9f, c1: 0f); // same class: suppressed
        Set(raw, 12, 0f, 0f, 1.5f, 1.5f, obj: 0.7f, c0: 0f, c1: 0.9f); // other class: survives

        DetectionSet set = Decode(raw);

        Assert.Equal([0, 1], set.Items.ToArray().Select(d => d.ClassId));
    }

    [Fact]
    public void Decode_MergeNms_KeptBoxMovesTowardsTheSuppressedNeighbour()
    {
        var raw = new float[Anchors * C];
        // Stride-8 cells (3, 3) and (4, 3): ~36 px boxes centred at (24, 24) and (32, 24), inside the 64x64 frame (unclipped).
        Set(raw, 27, 0f, 0f, 1.5f, 1.5f, obj: 0.9f, c0: 0.9f, c1: 0f);  // 0.81
        Set(raw, 28, 0f, 0f, 1.5f, 1.5f, obj: 0.8f, c0: 0.9f, c1: 0f);  // 0.72, the same box 8 px to the right
        Set(raw, 29, 0f, 0f, 1.5f, 1.5f, obj: 0.7f, c0: 0f, c1: 0.9f);  // other class: neither merged nor moved

        BoundingBox plain = Decode(raw)[0].Box;
        DetectionSet set = Decode(raw, mergeIou: 0.5f);

        BoundingBox neighbour = plain with { X1 = plain.X1 + 8f, X2 = plain.X2 + 8f };
        float w1 = 0.81f, w2 = 0.72f * BoundingBox.IoU(plain, neighbour);
        float dx = 8f * w2 / (w1 + w2);
        Assert.Equal(2, set.Count);
        Assert.Equal(plain.X1 + dx, set[0].Box.X1, 3);
        Assert.Equal(plain.X2 + dx, set[0].Box.X2, 3);
        Assert.Equal((plain.Y1, plain.Y2), (set[0].Box.Y1, set[0].Box.Y2));
        Assert.Equal(0.81f, set[0].Score, 5);
        Assert.Equal(Decode(raw)[1].Box, set[1].Box);
    }

    [Fact]
    public void TryMatch_YoloxNano416Shape_ResolvesTheGrid()
    {
        var input = new InputSpec("images", TensorLayout.Nchw, 416, 416, ColorOrder.Bgr, [0f, 0f, 0f], [1f, 1f, 1f]);
        var sig = new ModelSignature("/m.onnx", "pytorch", [new TensorInfo("images", "float32", [1, 3, 416, 416], [])],
            [new TensorInfo("output", "float32", [1, 3549, 85], [])], new Dictionary<string, string>());

        bool ok = new YoloxDecoderFactory().TryMatch(sig, input, out IDecoderLayout? layout, out string reason);

        Assert.True(ok, reason);
        Assert.Equal((80, 3549), (((YoloxLayout)layout!).ClassCount, ((YoloxLayout)layout).AnchorCount));
        Assert.Contains("52x52 + 26x26 + 13x13", reason);
    }

    [Fact]
    public void TryMatch_WrongAnchorCount_SaysWhatTheInputSizeNeeds()
    {
        var input = new InputSpec("images", TensorLayout.Nchw, 640, 640, ColorOrder.Bgr, [0f, 0f, 0f], [1f, 1f, 1f]);
        var sig = new ModelSignature("/m.onnx", "pytorch", [new TensorInfo("images", "float32", [1, 3, 640, 640], [])],
            [new TensorInfo("output0", "float32", [1, 84, 8400], [])], new Dictionary<string, string>());

        bool ok = new YoloxDecoderFactory().TryMatch(sig, input, out _, out string reason);

        Assert.False(ok);
        Assert.Equal("output 'output0' has shape [1,84,8400]; a YOLOX model with a 640x640 input needs one output [1, 8400, 5+nc] (80x80 + 40x40 + 20x20 at strides 8, 16, 32)", reason);
    }
}
