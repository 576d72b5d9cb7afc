using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking.Tests;

public sealed class PairCostsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(37)]
    public void IouCostRow_AnyLength_SameAsScalarIoU(int columns)
    {
        var random = new Random(columns);
        var track = new BoundingBox(100f, 100f, 180f, 260f);
        var x1 = new float[columns];
        var y1 = new float[columns];
        var x2 = new float[columns];
        var y2 = new float[columns];
        var areas = new float[columns];
        var scores = new float[columns];
        var classes = new int[columns];
        var boxes = new BoundingBox[columns];
        for (int c = 0; c < columns; c++)
        {
            // Around the track: overlapping, touching and disjoint boxes.
            float cx = 140f + (random.NextSingle() - 0.5f) * 240f, cy = 180f + (random.NextSingle() - 0.5f) * 360f;
            boxes[c] = BoundingBox.FromCenter(cx, cy, 20f + random.NextSingle() * 100f, 20f + random.NextSingle() * 150f);
            (x1[c], y1[c], x2[c], y2[c], areas[c]) = (boxes[c].X1, boxes[c].Y1, boxes[c].X2, boxes[c].Y2, boxes[c].Area);
            scores[c] = random.NextSingle();
            classes[c] = random.Next(3) == 0 ? 1 : 2;
        }
        var costs = new float[columns];

        PairCosts.IouCostRow(track, 2, x1, y1, x2, y2, areas, scores, classes, costs);

        int overlapping = 0;
        for (int c = 0; c < columns; c++)
        {
            float iou = BoundingBox.IoU(track, boxes[c]);
            if (iou <= 0f || classes[c] != 2)
            {
                Assert.Equal(float.PositiveInfinity, costs[c]);
                continue;
            }
            overlapping++;
            Assert.Equal(1f - iou * scores[c], costs[c], 1e-6f);
        }
        Assert.True(columns < 8 || overlapping > 0, "some pairs should overlap");
    }
}
