using BenchmarkDotNet.Attributes;
using RealtimeSeg.Recording.Mcap;

namespace RealtimeSeg.Benchmarks.Recording;

/// <summary>
/// Reading a recording back in time order, as replay does (<see cref="McapReader.ReadMessages"/>): 120 frames of a 15 KB
/// panoptic message (compressible: a repeating pattern with a counter) and a 40 KB camera image (random bytes, as
/// incompressible as a JPEG), in 1 MiB chunks compressed with zstd or lz4 — 6.6 MB, 7 chunks. One operation reads the
/// whole file from the page cache; the allocation column shows what the reader allocates per chunk.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class McapReadBenchmarks
{
    private const int Frames = 120;
    private string _path = string.Empty;

    [Params(McapCompression.Zstd, McapCompression.Lz4)]
    public McapCompression Compression { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"realtimeseg-read-bench-{Environment.ProcessId}-{Compression}.mcap");
        var random = new Random(42);
        var message = new byte[15_000];
        var image = new byte[40_000];
        using (var file = File.Create(_path))
        using (var writer = new McapWriter(file, new McapWriterOptions { Compression = Compression }))
        {
            ushort panoptic = writer.AddChannel(writer.AddSchema("realtimeseg.PanopticFrame", "x-realtimeseg", "v2"u8), "/realtimeseg/cam0/panoptic", "msgpack");
            ushort camera = writer.AddChannel(0, "/realtimeseg/cam0/image", "protobuf");
            for (uint f = 0; f < Frames; f++)
            {
                for (int k = 0; k < message.Length; k++)
                {
                    message[k] = (byte)((k % 97) + f);
                }
                random.NextBytes(image);
                long t = f * 33_333_333L;
                writer.Write(panoptic, f, t, t, message);
                writer.Write(camera, f, t, t, image);
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark]
    public long ReadAll()
    {
        using McapReader reader = McapReader.Open(_path);
        long bytes = 0;
        foreach (McapMessage m in reader.ReadMessages())
        {
            bytes += m.Data.Length;
        }
        return bytes;
    }
}
