using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using RealtimeSeg.Benchmarks.Inference;
using RealtimeSeg.Core;
using RealtimeSeg.Evaluation.Panoptic;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Benchmarks.Evaluation.Panoptic;

/// <summary>
/// Per-frame costs of panoptic evaluation at 1280x720 with 20 instances (<see cref="PanopticBenchmarkScene"/>):
/// decoding and encoding an id-map PNG, the PQ and STQ per-frame accumulation (prediction = the scene with things
/// shifted 6 px and re-numbered tracks), and the writer behind <c>--dump-panoptic</c> (320x180 map upsampled to
/// 1280x720, PNG written to a temporary folder). Offline tools, not the hot path: figures say how long scoring or
/// dumping a sequence takes. Plus two on real data: decoding a COCO val2017 panoptic PNG (640x427) and the whole
/// <c>eval panoptic</c> of the two-image COCO sample against itself (JSON parsing, four PNG decodes, PQ).
/// </summary>
[MemoryDiagnoser]
public class PanopticEvaluationBenchmarks
{
    private readonly MemoryStream _png = new();
    private byte[] _pngBytes = [];
    private IdMap _gt = null!;
    private IdMap _pred = null!;
    private IdMap _decoded = null!;
    private CocoSegmentInfo[] _gtSegments = [];
    private CocoSegmentInfo[] _predSegments = [];
    private PqAccumulator _pq = null!;
    private StqAccumulator _stq = null!;
    private PanopticFrame _frame = null!;
    private CocoPanopticWriter _writer = null!;
    private string _dumpDir = "";
    private long _imageId;
    private byte[] _cocoPng = [];
    private string _cocoJson = "";

    [GlobalSetup]
    public void Setup()
    {
        (_gt, _gtSegments) = PanopticBenchmarkScene.Build(shift: 0, trackOffset: 0);
        (_pred, _predSegments) = PanopticBenchmarkScene.Build(shift: 6, trackOffset: 100);
        PanopticIdPng.Write(_png, _gt.Width, _gt.Height, _gt.Ids);
        _pngBytes = _png.ToArray();
        _decoded = new IdMap(0, 0);
        _pq = new PqAccumulator(PanopticBenchmarkScene.Categories);
        _stq = new StqAccumulator(PanopticBenchmarkScene.Categories);
        _frame = PanopticBenchmarkScene.Frame();
        _dumpDir = Directory.CreateTempSubdirectory("rseg-bench-dump-").FullName;
        _writer = new CocoPanopticWriter(Path.Combine(_dumpDir, "dump.json"), PanopticBenchmarkScene.Table);
        _cocoJson = InferenceBenchmarkAssets.Path("panoptic/coco-sample/panoptic_examples.json");
        _cocoPng = File.ReadAllBytes(InferenceBenchmarkAssets.Path("panoptic/coco-sample/panoptic_examples/000000142238.png"));
        Console.WriteLine($"// id-map PNG: {_pngBytes.Length} bytes for {_gt.Width}x{_gt.Height}, {_gtSegments.Length} segments");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _png.Dispose();
        Directory.Delete(_dumpDir, recursive: true);
    }

    [Benchmark]
    public int DecodeIdMapPng()
    {
        PanopticIdPng.Decode(_pngBytes, "bench", _decoded);
        return _decoded.Ids[^1];
    }

    [Benchmark]
    public int DecodeCocoPanopticPng()
    {
        PanopticIdPng.Decode(_cocoPng, "coco", _decoded);
        return _decoded.Ids[^1];
    }

    [Benchmark]
    public int EvaluateCocoSample() => PanopticEvaluator.Evaluate(_cocoJson, null, _cocoJson, null).All.N;

    [Benchmark]
    public long EncodeIdMapPng()
    {
        _png.SetLength(0);
        PanopticIdPng.Write(_png, _gt.Width, _gt.Height, _gt.Ids, CompressionLevel.Fastest);
        return _png.Length;
    }

    [Benchmark]
    public int PqAddImage()
    {
        _pq.AddImage(_gt, _gtSegments, _pred, _predSegments);
        return _pq.ImageCount;
    }

    [Benchmark]
    public int StqAddFrame()
    {
        _stq.AddFrame(_gt, _gtSegments, _pred, _predSegments);
        return _stq.FrameCount;
    }

    [Benchmark]
    public int WriterAddFrame()
    {
        // Each call writes a new PNG file (the dump of one frame); the JSON is not saved per frame.
        long id = ++_imageId;
        CocoPanopticAnnotation a = _writer.Add(_frame, new CocoImage(id, $"{id:D6}.png", PanopticBenchmarkScene.Width, PanopticBenchmarkScene.Height));
        return a.Segments.Count;
    }
}
