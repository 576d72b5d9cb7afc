using System.Buffers;
using BenchmarkDotNet.Attributes;
using RealtimeSeg.Benchmarks.Protocol;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Recording.Mcap;

namespace RealtimeSeg.Benchmarks.Recording;

/// <summary>
/// Recording one frame: a 15 KB panoptic wire message (the message of a 1280x720 road scene with 20 segments, RLE map,
/// 11.2 KB, repeated to the 12-15.5 KB the issue measured) and a 40 KB camera image (random bytes: as incompressible as
/// a JPEG), into chunks compressed with zstd or lz4. Frames cycle through 30 variants (the map shifted a pixel a frame,
/// distinct images: 1.6 MB, more than a chunk) so that the compressors do not see the same frame again. The stream
/// discards the bytes, so this is the library's cost (record assembly, CRC32 twice, compression), not the disk's.
/// Chunk closes are part of the measured work: about one in every 19 frames at 1 MiB chunks. Must show 0 B/op.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class McapWriteBenchmarks
{
    private McapWriter _writer = null!;
    private ushort _panoptic;
    private ushort _image;
    private const int Variants = 30;
    private byte[][] _messages = [];
    private byte[][] _images = [];
    private uint _sequence;
    private long _time;

    [Params(McapCompression.Zstd, McapCompression.Lz4)]
    public McapCompression Compression { get; set; }

    /// <summary>Bytes recorded per frame (both messages), for MB/s = this / mean.</summary>
    public int FrameBytes => _messages[0].Length + _images[0].Length;

    [GlobalSetup]
    public void Setup()
    {
        var output = new ArrayBufferWriter<byte>(1 << 20);
        var serializer = new PanopticFrameSerializer(MapEncoding.Rle16);
        var random = new Random(42);
        _messages = new byte[Variants][];
        _images = new byte[Variants][];
        for (int v = 0; v < Variants; v++)
        {
            PanopticFrame frame = BenchmarkScene.Create(1280, 720, segments: 20);
            frame.Sequence += v;
            for (int y = 0; y < frame.MapHeight; y++)
            {
                frame.Map.Slice(y * frame.MapWidth, frame.MapWidth).Reverse(); // mirror + rotate: objects move a pixel a frame
                frame.Map.Slice(y * frame.MapWidth, frame.MapWidth)[..v].Reverse();
                frame.Map.Slice(y * frame.MapWidth, frame.MapWidth)[v..].Reverse();
            }
            output.Clear();
            serializer.Write(output, frame);
            _messages[v] = new byte[15_000];
            for (int at = 0; at < _messages[v].Length; at += output.WrittenCount)
            {
                output.WrittenSpan[..Math.Min(output.WrittenCount, _messages[v].Length - at)].CopyTo(_messages[v].AsSpan(at));
            }
            _images[v] = new byte[40_000];
            random.NextBytes(_images[v]);
        }
        _writer = new McapWriter(Stream.Null, new McapWriterOptions { Compression = Compression });
        _panoptic = _writer.AddChannel(_writer.AddSchema("realtimeseg.PanopticFrame", "x-realtimeseg", "v2"u8), "/realtimeseg/cam0/panoptic", "msgpack");
        _image = _writer.AddChannel(0, "/realtimeseg/cam0/image", "protobuf");
        Console.WriteLine($"// frame bytes: {FrameBytes} (panoptic message {_messages[0].Length}, serialized {output.WrittenCount}, + image {_images[0].Length})");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        long frames = _sequence;
        long written = _writer.BytesWritten;
        _writer.Dispose();
        Console.WriteLine($"// {Compression}: {frames} frames, {written / (double)(frames * FrameBytes):P1} of the input size on disk");
    }

    [Benchmark]
    public void WriteFrame()
    {
        int v = (int)(_sequence % Variants);
        _writer.Write(_panoptic, _sequence, _time, _time, _messages[v]);
        _writer.Write(_image, _sequence, _time, _time, _images[v]);
        _sequence++;
        _time += 33_333_333;
    }
}
