using RealtimeSeg.Core;
using RealtimeSeg.Inference.Decoding;

namespace RealtimeSeg.Inference.Tests.Decoders;

/// <summary>The end-to-end decoder on hand-made rows: thresholds, class filter, ordering, box mapping and masks.</summary>
public sealed class YoloEndToEndDecoderTests
{
    private static readonly LetterboxTransform Identity = LetterboxTransform.Compute(64, 64, 64, 64);

    private static YoloEndToEndLayout Layout(int masks) => new(0, masks > 0 ? 1 : -1, 3, masks, 4, masks > 0 ? 16 : 0, masks > 0 ? 16 : 0, 64, 64);

    private static float[] Rows(int nm, params float[][] rows)
    {
        var head = new float[4 * (6 + nm)];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r].CopyTo(head, r * (6 + nm));
        }
        return head;
    }

    [Fact]
    public void Decode_RowsAboveThreshold_BestFirstWithCornerBoxes()
    {
        var decoder = new YoloEndToEndDecoder(Layout(0), new DecoderOptions(0.25f, 0.45f, 10, null));
        var ws = (CandidateWorkspace)decoder.CreateWorkspace();
        var set = new DetectionSet(10, 0);
        float[] head = Rows(0, [1, 2, 11, 12, 0.4f, 1], [20, 20, 40, 50, 0.9f, 2], [0, 0, 5, 5, 0.1f, 0]);

        decoder.Decode(head, default, Identity, ws, set);

        Assert.Equal(2, set.Count);
        Assert.Equal((2, 0.9f), (set[0].ClassId, set[0].Score));
        Assert.Equal(new BoundingBox(20, 20, 40, 50), set[0].Box);
        Assert.Equal((1, new BoundingBox(1, 2, 11, 12)), (set[1].ClassId, set[1].Box));
        Assert.False(set[0].HasMask);
    }

    [Fact]
    public void Decode_ClassIdOutsideTheTableOrFilteredOut_Dropped()
    {
        var decoder = new YoloEndToEndDecoder(Layout(0), new DecoderOptions(0.25f, 0.45f, 10, [1]));
        var ws = (CandidateWorkspace)decoder.CreateWorkspace();
        var set = new DetectionSet(10, 0);
        float[] head = Rows(0, [0, 0, 10, 10, 0.9f, 7], [0, 0, 10, 10, 0.8f, 2], [0, 0, 10, 10, 0.7f, 1], [0, 0, 10, 10, 0.6f, -1]);

        decoder.Decode(head, default, Identity, ws, set);

        Assert.Equal(1, Assert.Single(set.Items.ToArray()).ClassId);
    }

    [Fact]
    public void Decode_MaxDetections_CapsTheBestOnes()
    {
        var decoder = new YoloEndToEndDecoder(Layout(0), new DecoderOptions(0.25f, 0.45f, 2, null));
        var ws = (CandidateWorkspace)decoder.CreateWorkspace();
        var set = new DetectionSet(2, 0);
        float[] head = Rows(0, [0, 0, 10, 10, 0.5f, 0], [0, 0, 10, 10, 0.7f, 0], [0, 0, 10, 10, 0.6f, 0], [0, 0, 10, 10, 0.9f, 0]);

        decoder.Decode(head, default, Identity, ws, set);

        Assert.Equal([0.9f, 0.7f], set.Items.ToArray().Select(d => d.Score));
        Assert.Equal(0, set.Overflowed);
    }

    [Fact]
    public void Decode_WithPrototypes_MaskIsSigmoidOfCoefficientsOverTheBoxCells()
    {
        // One prototype, 16x16 over a 64x64 input (4 px cells), +4 everywhere; coefficient 1 → sigmoid(4) ≈ 0.982.
        var decoder = new YoloEndToEndDecoder(Layout(1), new DecoderOptions(0.25f, 0.45f, 10, null));
        var ws = (CandidateWorkspace)decoder.CreateWorkspace();
        var set = new DetectionSet(10, decoder.MaskArenaFloats);
        float[] protos = Enumerable.Repeat(4f, 256).ToArray();
        float[] head = Rows(1, [8, 8, 24, 16, 0.9f, 0, 1f]);

        decoder.Decode(head, protos, Identity, ws, set);

        Detection d = Assert.Single(set.Items.ToArray());
        MaskGrid g = set.Masks[d.MaskIndex];
        Assert.Equal((4, 2, 8f, 8f, 4f), (g.Width, g.Height, g.OriginX, g.OriginY, g.CellWidth));
        Assert.All(set.MaskCells(d.MaskIndex).ToArray(), v => Assert.Equal(1f / (1f + MathF.Exp(-4f)), v, 4));
    }

    [Fact]
    public void Decode_WrongHeadLength_ThrowsNamingBothSizes()
    {
        var decoder = new YoloEndToEndDecoder(Layout(0), new DecoderOptions(0.25f, 0.45f, 10, null));

        var ex = Assert.Throws<ArgumentException>(() => decoder.Decode(new float[5], default, Identity, (CandidateWorkspace)decoder.CreateWorkspace(), new DetectionSet(1, 0)));

        Assert.Contains("head of 24", ex.Message);
    }
}
