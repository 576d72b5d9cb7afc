using BenchmarkDotNet.Attributes;
using RealtimeSeg.Core;
using RealtimeSeg.Inference.Panoptic;

namespace RealtimeSeg.Benchmarks.Panoptic;

/// <summary>
/// <see cref="PanopticComposer.Compose"/> on a 1280x720 road scene at map divisor 2: 20 instances with soft
/// elliptical masks of 36–43 cells a side over boxes of 60–300 px, plus a 896x512 semantic map of 4 classes
/// (background, road, curbs, dashed lane marks). The split benchmarks show what things and stuff cost alone.
/// </summary>
[MemoryDiagnoser]
public class ComposerBenchmarks
{
    private const int Width = 1280;
    private const int Height = 720;

    private static readonly CategoryTable Categories = new(
    [
        new Category(1, "person", IsThing: true, 0xDC143C),
        new Category(3, "car", IsThing: true, 0x00008E),
        new Category(100, "road", IsThing: false, 0x804080),
        new Category(101, "background", IsThing: false, 0x000000),
        new Category(102, "curb", IsThing: false, 0xAAAAAA),
    ]);

    private readonly PanopticFrame _frame = new();
    private PanopticComposer _composer = null!;
    private DetectionSet _detections = null!;
    private DetectionSet _noDetections = null!;
    private SemanticMap _semantic = null!;
    private TrackInfo[] _tracks = [];
    private FrameMetadata _meta;

    [GlobalSetup]
    public void Setup()
    {
        _composer = new PanopticComposer(new ComposerOptions { MapDivisor = 2 }, Categories, [1, -1, 3], [101, 100, 102, 100]);
        _detections = BuildInstances(20, seed: 11);
        _noDetections = new DetectionSet(1, 0);
        _semantic = BuildSemantic();
        _tracks = new TrackInfo[_detections.Count];
        for (int i = 0; i < _tracks.Length; i++)
        {
            _tracks[i] = new TrackInfo(i + 1, 1.5f, -0.5f, 10 + i);
        }
        _meta = new FrameMetadata(0, 0, 0, 0, Width, Height);
        Compose(); // grows the frame's buffers
    }

    [Benchmark(Baseline = true)]
    public int Compose()
    {
        _composer.Compose(_meta, _detections, _tracks, _semantic, 30f, _frame);
        return _frame.SegmentCount;
    }

    [Benchmark]
    public int ThingsOnly()
    {
        _composer.Compose(_meta, _detections, _tracks, null, 30f, _frame);
        return _frame.SegmentCount;
    }

    [Benchmark]
    public int StuffOnly()
    {
        _composer.Compose(_meta, _noDetections, [], _semantic, 30f, _frame);
        return _frame.SegmentCount;
    }

    private static DetectionSet BuildInstances(int count, int seed)
    {
        var random = new Random(seed);
        var set = new DetectionSet(64, 64 * 48 * 48);
        for (int i = 0; i < count; i++)
        {
            float w = 60f + random.NextSingle() * 240f;
            float h = 60f + random.NextSingle() * 240f;
            float x = random.NextSingle() * (Width - w);
            float y = random.NextSingle() * (Height - h);
            int gw = 36 + random.Next(8), gh = 36 + random.Next(8);
            int index = set.TryAllocateMask(gw, gh, x, y, w / gw, h / gh, out Span<float> cells);
            for (int j = 0; j < gh; j++)
            {
                for (int k = 0; k < gw; k++)
                {
                    float dx = (k + 0.5f) / gw * 2f - 1f, dy = (j + 0.5f) / gh * 2f - 1f;
                    cells[j * gw + k] = Math.Clamp((1f - (dx * dx + dy * dy)) * 3f, 0f, 1f);
                }
            }
            set.TryAdd(new Detection(new BoundingBox(x, y, x + w, y + h), i % 3 == 1 ? 0 : 2, 0.3f + random.NextSingle() * 0.7f, index));
        }
        return set;
    }

    private static SemanticMap BuildSemantic()
    {
        const int sw = 896, sh = 512;
        var semantic = new SemanticMap();
        semantic.Reset(sw, sh, 0f, 0f, Width / (float)sw, Height / (float)sh);
        Span<byte> classes = semantic.Classes;
        for (int v = 0; v < sh; v++)
        {
            for (int u = 0; u < sw; u++)
            {
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
        return semantic;
    }
}
