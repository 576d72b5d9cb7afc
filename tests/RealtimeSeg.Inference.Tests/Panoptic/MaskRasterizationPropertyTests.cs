using RealtimeSeg.Core;
using RealtimeSeg.Inference.Panoptic;

namespace RealtimeSeg.Inference.Tests.Panoptic;

/// <summary>
/// The composer's run-based painting against a plain per-pixel reference written from the rules alone: random mask
/// grids (narrower and wider than 64 cells, cells larger and smaller than map pixels), random boxes and origins.
/// </summary>
public sealed class MaskRasterizationPropertyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Compose_RandomMasks_SameAsPerPixelReference(int divisor)
    {
        var random = new Random(1000 + divisor);
        var composer = new PanopticComposer(new ComposerOptions { MapDivisor = divisor, MinSegmentArea = 0, MaskThreshold = 0.5f },
            ComposerScene.Categories, ComposerScene.ThingMap, ComposerScene.StuffMap);
        var frame = new PanopticFrame();
        int compared = 0, painted = 0;
        for (int trial = 0; trial < 150; trial++)
        {
            int width = 40 + random.Next(300), height = 30 + random.Next(200);
            int gw = 1 + random.Next(150), gh = 1 + random.Next(60);
            float x1 = random.NextSingle() * width * 1.2f - width * 0.1f, y1 = random.NextSingle() * height * 1.2f - height * 0.1f;
            float x2 = x1 + 1f + random.NextSingle() * width, y2 = y1 + 1f + random.NextSingle() * height;
            // The grid roughly covers the box, sometimes offset or larger, as decoders produce.
            float ox = x1 + (random.NextSingle() - 0.5f) * 10f, oy = y1 + (random.NextSingle() - 0.5f) * 10f;
            float cw = (x2 - x1) / gw * (0.8f + random.NextSingle() * 0.6f), ch = (y2 - y1) / gh * (0.8f + random.NextSingle() * 0.6f);
            var cells = new float[gw * gh];
            // Smooth blobs plus noise: long inside/outside stretches and many crossings.
            float bx = random.NextSingle() * gw, by = random.NextSingle() * gh, r = 0.2f + random.NextSingle() * 0.6f;
            for (int j = 0; j < gh; j++)
            {
                for (int i = 0; i < gw; i++)
                {
                    float dx = (i - bx) / gw, dy = (j - by) / gh;
                    cells[j * gw + i] = Math.Clamp(1.5f - (dx * dx + dy * dy) / (r * r) + (random.NextSingle() - 0.5f) * 0.6f, 0f, 1f);
                }
            }
            var set = new DetectionSet(1, cells.Length);
            int index = set.TryAllocateMask(gw, gh, ox, oy, cw, ch, out Span<float> dst);
            cells.CopyTo(dst);
            set.TryAdd(new Detection(new BoundingBox(x1, y1, x2, y2), ComposerScene.CarClass, 0.9f, index));

            composer.Compose(new FrameMetadata(0, 0, 0, 0, width, height), set, [], null, 30f, frame);

            int mapWidth = (width + divisor - 1) / divisor, mapHeight = (height + divisor - 1) / divisor;
            for (int v = 0; v < mapHeight; v++)
            {
                for (int u = 0; u < mapWidth; u++)
                {
                    bool expected = ReferenceCovers(u, v, divisor, width, height, x1, y1, x2, y2, cells, gw, gh, ox, oy, cw, ch);
                    bool actual = frame.Map[v * mapWidth + u] != 0;
                    Assert.True(expected == actual, $"trial {trial}: pixel ({u},{v}) expected {expected}");
                    compared++;
                    painted += actual ? 1 : 0;
                }
            }
        }
        Assert.True(painted > compared / 50, "the random scenes should paint a fair share of pixels");
    }

    private static bool ReferenceCovers(int u, int v, int d, int width, int height, float x1, float y1, float x2, float y2, float[] cells, int gw, int gh,
        float ox, float oy, float cw, float ch)
    {
        // Sample point: the middle of the part of the map pixel inside the image.
        float sx = (u * d + Math.Min(u * d + d, width)) * 0.5f;
        float sy = (v * d + Math.Min(v * d + d, height)) * 0.5f;
        if (sx < Math.Clamp(x1, 0, width) || sx >= Math.Clamp(x2, 0, width) || sy < Math.Clamp(y1, 0, height) || sy >= Math.Clamp(y2, 0, height))
        {
            return false;
        }
        (int i0, int i1, float wx) = Axis((sx - ox) / cw - 0.5f, gw);
        (int j0, int j1, float wy) = Axis((sy - oy) / ch - 0.5f, gh);
        float top0 = cells[j0 * gw + i0], top1 = cells[j0 * gw + i1];
        float bot0 = cells[j1 * gw + i0], bot1 = cells[j1 * gw + i1];
        // Same operation order as the composer (vertical, then horizontal) so float rounding agrees.
        float left = top0 + (bot0 - top0) * wy;
        float right = top1 + (bot1 - top1) * wy;
        return left + (right - left) * wx >= 0.5f;
    }

    private static (int, int, float) Axis(float f, int n)
    {
        if (!(f > 0f))
        {
            return (0, Math.Min(1, n - 1), 0f);
        }
        if (f >= n - 1)
        {
            return (n - 1, n - 1, 0f);
        }
        int i = (int)f;
        return (i, i + 1, f - i);
    }
}
