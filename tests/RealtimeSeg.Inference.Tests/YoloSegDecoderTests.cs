using RealtimeSeg.Core;
using RealtimeSeg.Inference.Decoding;

namespace RealtimeSeg.Inference.Tests;

/// <summary>The decoder on hand-made tensors: 2 classes, 2 mask coefficients, 4 candidates, 8x8 prototypes over a 32x32 input.</summary>
public sealed class YoloSegDecoderTests
{
    private const int Nc = 2, Nm = 2, N = 4, Mh = 8, Mw = 8, In = 32;

    // A 64x32 frame letterboxed into 32x32: scale 0.5, content 32x16, 8 rows of padding above.
    private static readonly LetterboxTransform Transform = LetterboxTransform.Compute(64, 32, In, In);

    private static YoloSegLayout Layout(bool attributesFirst = true, bool objectness = false)
        => new(0, 1, attributesFirst, objectness, Nc, Nm, N, Mh, Mw, In, In);

    private static float Proto0(int u, int v) => (u + v * Mw) * 0.02f - 0.5f;

    private static float[] Protos()
    {
        var p = new float[Nm * Mh * Mw];
        for (int v = 0; v < Mh; v++)
        {
            for (int u = 0; u < Mw; u++)
            {
                p[v * Mw + u] = Proto0(u, v);
                p[Mh * Mw + v * Mw + u] = 100f; // would saturate every mask if its coefficient were picked up by mistake
            }
        }
        return p;
    }

    /// <summary>Rows per candidate: cx, cy, w, h, [obj], class 0, class 1, coef 0, coef 1.</summary>
    private static float[][] Candidates(bool objectness) =>
    [
        Row(objectness, 20, 20, 4, 4, 1f, 0.10f, 0.05f, 0f, 0f),   // below the threshold
        Row(objectness, 12, 12, 8, 8, 1f, 0.10f, 0.90f, 2f, 0f),   // the car: box (8,8)-(16,16) in input pixels
        Row(objectness, 12.5f, 12, 8, 8, 1f, 0.05f, 0.80f, 1f, 0f), // same class, IoU ≈ 0.88 with the car: suppressed
        Row(objectness, 12, 12, 8, 8, 1f, 0.70f, 0.20f, -2f, 0f),  // same box, other class: survives
    ];

    private static float[] Row(bool objectness, float cx, float cy, float w, float h, float obj, float c0, float c1, float m0, float m1)
        => objectness ? [cx, cy, w, h, obj, c0, c1, m0, m1] : [cx, cy, w, h, c0, c1, m0, m1];

    private static float[] Head(bool attributesFirst, bool objectness)
    {
        float[][] rows = Candidates(objectness);
        int c = rows[0].Length;
        var head = new float[c * N];
        for (int a = 0; a < N; a++)
        {
            for (int k = 0; k < c; k++)
            {
                head[attributesFirst ? k * N + a : a * c + k] = rows[a][k];
            }
        }
        return head;
    }

    private static DetectionSet Decode(YoloSegLayout layout, float[] head, float[]? protos = null, IReadOnlyList<int>? classes = null, float? mergeIou = null)
    {
        var decoder = new YoloSegDecoder(layout, new DecoderOptions(0.25f, 0.45f, 100, classes, mergeIou));
        var set = new DetectionSet(decoder.MaxDetections, decoder.MaskArenaFloats);
        decoder.Decode(head, protos ?? Protos(), Transform, (CandidateWorkspace)decoder.CreateWorkspace(), set);
        return set;
    }

    [Fact]
    public void Decode_HandMadeCandidates_KeepsBestPerClassBestFirst()
    {
        DetectionSet set = Decode(Layout(), Head(true, false));

        Assert.Equal(2, set.Count);
        Assert.Equal((1, 0.90f), (set[0].ClassId, set[0].Score));
        Assert.Equal((0, 0.70f), (set[1].ClassId, set[1].Score));
    }

    [Fact]
    public void Decode_HandMadeCandidates_BoxMappedThroughTheLetterbox()
    {
        DetectionSet set = Decode(Layout(), Head(true, false));

        // Input (8,8)-(16,16) → image ((8-0)/0.5, (8-8)/0.5)-((16-0)/0.5, (16-8)/0.5).
        Assert.Equal(new BoundingBox(16f, 0f, 32f, 16f), set[0].Box);
    }

    [Fact]
    public void Decode_MergeNms_KeptBoxIsTheScoreTimesIouWeightedMeanOfItsSameClassNeighbours()
    {
        DetectionSet set = Decode(Layout(), Head(true, false), mergeIou: 0.5f);

        // The car (8,8)-(16,16) at 0.9 absorbs the suppressed (8.5,8)-(16.5,16) at 0.8, IoU 60/68: weights 0.9 and
        // 0.8 × 60/68, so x moves right by 0.5 × w2 / (w1 + w2) input px; the other-class box at the same place does not count.
        double w1 = 0.9, w2 = 0.8 * 60.0 / 68.0;
        float dx = (float)(0.5 * w2 / (w1 + w2));
        Assert.Equal(2, set.Count);
        Assert.Equal((1, 0.90f), (set[0].ClassId, set[0].Score));
        Assert.Equal(16f + 2 * dx, set[0].Box.X1, 4);
        Assert.Equal(32f + 2 * dx, set[0].Box.X2, 4);
        Assert.Equal((0f, 16f), (set[0].Box.Y1, set[0].Box.Y2));
        Assert.Equal(new BoundingBox(16f, 0f, 32f, 16f), set[1].Box);
    }

    [Fact]
    public void Decode_CoefficientSelectsPrototype0_MaskIsItsSigmoidOverTheBoxCellsOnly()
    {
        DetectionSet set = Decode(Layout(), Head(true, false));

        Detection car = set[0];
        Assert.True(car.HasMask);
        MaskGrid g = set.Masks[car.MaskIndex];
        // The box covers prototype cells 2..3 in both directions (4 input px per cell): a 2x2 grid, nothing more.
        Assert.Equal((2, 2), (g.Width, g.Height));
        Assert.Equal((16f, 0f, 8f, 8f), (g.OriginX, g.OriginY, g.CellWidth, g.CellHeight));
        ReadOnlySpan<float> cells = set.MaskCells(car.MaskIndex);
        Assert.Equal(4, cells.Length);
        for (int j = 0; j < 2; j++)
        {
            for (int i = 0; i < 2; i++)
            {
                float expected = 1f / (1f + MathF.Exp(-2f * Proto0(2 + i, 2 + j)));
                Assert.Equal(expected, cells[j * 2 + i], 5);
            }
        }
        // The other class's instance has coefficient -2 on the same prototype: the mirror image.
        ReadOnlySpan<float> other = set.MaskCells(set[1].MaskIndex);
        Assert.Equal(1f - cells[0], other[0], 5);
    }

    [Fact]
    public void Decode_AttributesLastWithObjectness_SameDetectionsScaledByObjectness()
    {
        float[] head = Head(attributesFirst: false, objectness: true);
        // Halve the objectness of the class-0 instance: 0.70 → 0.35, still above the threshold.
        head[3 * 9 + 4] = 0.5f;

        DetectionSet set = Decode(Layout(attributesFirst: false, objectness: true), head);

        Assert.Equal(2, set.Count);
        Assert.Equal((1, 0.90f), (set[0].ClassId, set[0].Score));
        Assert.Equal(0, set[1].ClassId);
        Assert.Equal(0.35f, set[1].Score, 5);
        Assert.Equal(new BoundingBox(16f, 0f, 32f, 16f), set[0].Box);
    }

    [Fact]
    public void Decode_ClassFilter_DropsOtherClassesBeforeNms()
    {
        DetectionSet set = Decode(Layout(), Head(true, false), classes: [0]);

        Assert.Equal(1, set.Count);
        Assert.Equal(0, set[0].ClassId);
        // Class 1 is filtered out, so candidate 1 competes on its class-0 score (0.10): below the threshold.
        Assert.Equal(0.70f, set[0].Score);
    }

    [Fact]
    public void Decode_BoxWhollyInThePadding_IsDropped()
    {
        float[] head = Head(true, false);
        head[1 * N + 1] = 3f; // candidate 1: cy = 3 → box rows -1..7, all above the content (which starts at row 8)

        DetectionSet set = Decode(Layout(), head);

        Assert.DoesNotContain(set.Items.ToArray(), d => d.Score == 0.90f);
        Assert.Equal(2, set.Count); // candidate 2 no longer overlaps it, so it survives, with the class-0 instance
        Assert.Equal(0.80f, set[0].Score);
    }

    [Fact]
    public void Decode_NothingAboveThreshold_LeavesTheSetEmpty()
    {
        float[] head = new float[8 * N];
        DetectionSet set = Decode(Layout(), head);

        Assert.Equal(0, set.Count);
        Assert.Equal(0, set.Masks.Length);
    }

    [Fact]
    public void Decode_ReusedSet_ClearsThePreviousFrame()
    {
        var decoder = new YoloSegDecoder(Layout(), new DecoderOptions(0.25f, 0.45f, 100, null));
        var set = new DetectionSet(decoder.MaxDetections, decoder.MaskArenaFloats);
        var ws = (CandidateWorkspace)decoder.CreateWorkspace();
        float[] protos = Protos();

        decoder.Decode(Head(true, false), protos, Transform, ws, set);
        decoder.Decode(Head(true, false), protos, Transform, ws, set);

        Assert.Equal(2, set.Count);
        Assert.Equal(2, set.Masks.Length);
    }

    [Fact]
    public void Decode_SetSmallerThanTheSurvivors_CountsTheOverflowAndSpendsNoMaskOnIt()
    {
        var decoder = new YoloSegDecoder(Layout(), new DecoderOptions(0.25f, 0.45f, 100, null));
        var set = new DetectionSet(1, decoder.MaskArenaFloats);

        decoder.Decode(Head(true, false), Protos(), Transform, (CandidateWorkspace)decoder.CreateWorkspace(), set);

        Assert.Equal(1, set.Count);
        Assert.Equal(0.90f, set[0].Score);
        Assert.Equal(1, set.Overflowed);
        Assert.Equal(1, set.Masks.Length);
    }

    [Fact]
    public void Decode_WrongTensorSizes_Throws()
    {
        var decoder = new YoloSegDecoder(Layout(), new DecoderOptions(0.25f, 0.45f, 100, null));
        var set = new DetectionSet(100, decoder.MaskArenaFloats);

        Assert.Throws<ArgumentException>(() => decoder.Decode(new float[7], Protos(), Transform, (CandidateWorkspace)decoder.CreateWorkspace(), set));
    }

    [Theory]
    [InlineData(2f, 4f, 2, 4)]      // box edges on cell edges: cells 2 and 3
    [InlineData(2.4f, 4.6f, 2, 5)]  // centres 2.5, 3.5 and 4.5 are inside
    [InlineData(2.6f, 3.4f, 3, 4)]  // no centre inside: the one cell under the box centre
    [InlineData(-3f, 1f, 0, 1)]     // clamped at the grid's start
    [InlineData(7.2f, 9f, 7, 8)]    // and at its end
    public void CellsInside_BoxInCellUnits_CellsWhoseCentresAreInside(float lo, float hi, int first, int end)
    {
        Assert.Equal((first, end), YoloSegDecoder.CellsInside(lo, hi, 8));
    }
}
