using BenchmarkDotNet.Attributes;
using RealtimeSeg.Core;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Benchmarks.Tracking;

/// <summary>
/// One <see cref="ByteTracker.Update"/> per invocation on a deterministic 1280x720 scene: objects on ellipses
/// (periodic, so the scene loops seamlessly while frame indices keep increasing), every 10th sighting of an
/// object at low score (second association) and some sightings missed (lost tracks, re-identification).
/// Budget (DESIGN §7): ≤ 20 µs for 50 detections, 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class TrackerBenchmarks
{
    private const int Period = 600;

    private Detection[][] _scene = [];
    private DetectionSet[] _masked = [];
    private TrackInfo[] _assignments = [];
    private ByteTracker _tracker = null!;
    private long _frame;

    [Params(20, 50)]
    public int Objects { get; set; }

    /// <summary>
    /// "defaults": the shipped <see cref="TrackerOptions"/> (gate 0.12, boosting with the shadow rule, OC-SORT recovery, XYWH
    /// state); "bytetrack": <see cref="TrackerOptions.ByteTrack"/>; "masks": the defaults with mask IoU at weight 0.5, every
    /// detection carrying an elliptic mask of 10-px cells (the bundled model's prototype cell) over its box.
    /// </summary>
    [Params("defaults", "bytetrack", "masks")]
    public string Options { get; set; } = "defaults";

    [GlobalSetup]
    public void Setup()
    {
        _scene = BuildScene(Objects);
        _assignments = new TrackInfo[Objects];
        _masked = Options == "masks" ? WithMasks(_scene) : [];
        _tracker = new ByteTracker(Options switch
        {
            "bytetrack" => TrackerOptions.ByteTrack(),
            "masks" => new TrackerOptions { MaskIouWeight = 0.5f },
            _ => new TrackerOptions(),
        });
        // Warm up through a whole period so the tracker is in its steady state (tracked + lost tracks).
        for (_frame = 0; _frame < Period; _frame++)
        {
            Update();
        }
    }

    [Benchmark]
    public int Update()
    {
        int f = (int)(_frame % Period);
        if (_masked.Length > 0)
        {
            _tracker.Update(_masked[f], _frame++, _assignments);
        }
        else
        {
            _tracker.Update(_scene[f], _frame++, _assignments);
        }
        return _tracker.ActiveTracks.Length;
    }

    /// <summary>The scene's detections, each with the ellipse inscribed in its box as a mask of 10-px cells.</summary>
    private static DetectionSet[] WithMasks(Detection[][] scene)
    {
        const float cell = 10f;
        var sets = new DetectionSet[scene.Length];
        for (int f = 0; f < scene.Length; f++)
        {
            var set = new DetectionSet(scene[f].Length, scene[f].Length * 256);
            foreach (Detection d in scene[f])
            {
                int w = (int)MathF.Ceiling(d.Box.Width / cell), h = (int)MathF.Ceiling(d.Box.Height / cell);
                int mask = set.TryAllocateMask(w, h, d.Box.X1, d.Box.Y1, cell, cell, out Span<float> cells);
                for (int j = 0; j < h; j++)
                {
                    for (int i = 0; i < w; i++)
                    {
                        float u = (((i + 0.5f) / w) * 2f) - 1f, v = (((j + 0.5f) / h) * 2f) - 1f;
                        cells[(j * w) + i] = (u * u) + (v * v) <= 1f ? 0.9f : 0.05f;
                    }
                }
                set.TryAdd(d with { MaskIndex = mask });
            }
            sets[f] = set;
        }
        return sets;
    }

    internal static Detection[][] BuildScene(int objects)
    {
        var scene = new Detection[Period][];
        var frame = new List<Detection>(objects);
        for (int f = 0; f < Period; f++)
        {
            frame.Clear();
            for (int o = 0; o < objects; o++)
            {
                if ((f + 3 * o) % 17 == 0)
                {
                    continue; // missed by the detector this frame
                }
                // Ellipse per object; an integer number of laps per period keeps the loop seamless.
                double phase = 2 * Math.PI * ((o % 3 + 1) * f / (double)Period) + o * 0.7;
                float cx = 640f + (float)((120 + 9 * o) * Math.Cos(phase));
                float cy = 360f + (float)((60 + 5 * o) * Math.Sin(phase));
                float w = 30f + o % 7 * 8f;
                float h = 40f + o % 5 * 15f;
                float score = (f + o) % 10 == 0 ? 0.35f : 0.7f + o % 4 * 0.07f;
                frame.Add(new Detection(BoundingBox.FromCenter(cx, cy, w, h), o % 3, score, -1));
            }
            scene[f] = frame.ToArray();
        }
        return scene;
    }
}
