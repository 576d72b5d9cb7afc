using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Tests.Panoptic;

/// <summary>A road scene like the benchmark's: soft elliptical masks of ~40x40 cells over boxes of 60–300 px and a 4-class semantic map.</summary>
internal static class RealisticScene
{
    public static (DetectionSet Detections, SemanticMap Semantic) Build(int width, int height, int instances, int seed)
    {
        var random = new Random(seed);
        var set = new DetectionSet(64, 64 * 48 * 48);
        for (int i = 0; i < instances; i++)
        {
            float w = 60f + random.NextSingle() * 240f;
            float h = 60f + random.NextSingle() * 240f;
            float x = random.NextSingle() * (width - w);
            float y = random.NextSingle() * (height - h);
            int gw = 36 + random.Next(8), gh = 36 + random.Next(8);
            int index = set.TryAllocateMask(gw, gh, x, y, w / gw, h / gh, out Span<float> cells);
            for (int j = 0; j < gh; j++)
            {
                for (int k = 0; k < gw; k++)
                {
                    float dx = (k + 0.5f) / gw * 2f - 1f, dy = (j + 0.5f) / gh * 2f - 1f;
                    // A soft ellipse: 1 inside, falling to 0 across the rim.
                    cells[j * gw + k] = Math.Clamp((1f - (dx * dx + dy * dy)) * 3f, 0f, 1f);
                }
            }
            set.TryAdd(new Detection(new BoundingBox(x, y, x + w, y + h), i % 3 == 1 ? 0 : 2, 0.3f + random.NextSingle() * 0.7f, index));
        }
        var semantic = new SemanticMap();
        const int sw = 896, sh = 512;
        semantic.Reset(sw, sh, 0f, 0f, width / (float)sw, height / (float)sh);
        Span<byte> classes = semantic.Classes;
        for (int v = 0; v < sh; v++)
        {
            for (int u = 0; u < sw; u++)
            {
                // Background above the horizon, road below, curbs at the sides, dashed lane marks.
                byte c = v < sh * 0.45f ? (byte)0 : (byte)1;
                if (c == 1 && (u < sw * 0.1f + (sh - v) * 0.3f || u > sw * 0.9f - (sh - v) * 0.3f))
                {
                    c = 2;
                }
                if (c == 1 && Math.Abs(u - sw / 2) < 4 && v / 20 % 2 == 0)
                {
                    c = 3;
                }
                classes[v * sw + u] = c;
            }
        }
        return (set, semantic);
    }
}
