using System.Buffers;
using BenchmarkDotNet.Attributes;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Benchmarks.Protocol;

/// <summary>
/// Frame message serialization and deserialization (docs/protocol.md) of a road-scene panoptic frame with 20
/// segments, per map size and encoding. Both directions must show 0 B allocated per operation.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class SerializerBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(4 << 20);
    private readonly PanopticFrameDeserializer _deserializer = new();
    private readonly PanopticFrame _decoded = new();
    private PanopticFrame _frame = null!;
    private PanopticFrameSerializer _serializer = null!;
    private byte[] _payload = [];

    [Params("640x360", "1280x720")]
    public string Map { get; set; } = "640x360";

    [Params(MapEncoding.Rle16, MapEncoding.Raw16)]
    public MapEncoding Encoding { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string[] size = Map.Split('x');
        _frame = BenchmarkScene.Create(int.Parse(size[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(size[1], System.Globalization.CultureInfo.InvariantCulture), segments: 20);
        _serializer = new PanopticFrameSerializer(Encoding);
        _serializer.Write(_output, _frame);
        _payload = _output.WrittenSpan.ToArray();
        _deserializer.Read(_payload, _decoded);
    }

    [Benchmark]
    public int Serialize()
    {
        _output.ResetWrittenCount();
        _serializer.Write(_output, _frame);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Deserialize()
    {
        _deserializer.Read(_payload, _decoded);
        return _decoded.SegmentCount;
    }
}
