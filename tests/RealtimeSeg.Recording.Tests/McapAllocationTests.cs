using System.Buffers;
using RealtimeSeg.Recording.Foxglove;
using RealtimeSeg.Recording.Mcap;
using RealtimeSeg.Recording.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Recording.Tests;

public sealed class McapAllocationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(McapCompression.Zstd)]
    [InlineData(McapCompression.Lz4)]
    [InlineData(McapCompression.None)]
    public void Write_SteadyStateIncludingChunkCloses_AllocatesNothing(McapCompression compression)
    {
        var clock = new ManualClock();
        using var writer = McapWriter.Create(_dir.File("alloc.mcap"), new McapWriterOptions { Compression = compression, TimeProvider = clock, ChunkSizeBytes = 256 * 1024 });
        ushort panoptic = writer.AddChannel(0, "/p", "msgpack");
        ushort image = writer.AddChannel(0, "/i", "protobuf");
        var small = new byte[15_000];
        var large = new byte[40_000];
        new Random(1).NextBytes(large);
        long t = 0;
        uint seq = 0;
        void Frames(int count)
        {
            for (int i = 0; i < count; i++)
            {
                writer.Write(panoptic, seq, t, t, small);
                writer.Write(image, seq, t, t, large);
                seq++;
                t += 33_333_333;
                clock.Advance(TimeSpan.FromMilliseconds(33));
            }
        }
        Frames(200); // buffers grow to the largest chunk

        int chunksBefore = writer.ChunkCount;
        long allocated = AllocationProbe.MinAllocatedBytes(() => Frames(100));

        Assert.True(writer.ChunkCount - chunksBefore >= 10, "the measured windows closed chunks");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void FoxgloveEncoders_ReusedBuffer_AllocateNothing()
    {
        var buffer = new ArrayBufferWriter<byte>(128 * 1024);
        var jpeg = new byte[40_000];
        var boxes = new ImageAnnotationBox[20];
        for (int i = 0; i < boxes.Length; i++)
        {
            boxes[i] = new ImageAnnotationBox(i * 10, i * 5, 50, 40, 1000 + i, "car", AnnotationColor.FromRgb(0x336699));
        }
        void Encode()
        {
            for (int i = 0; i < 100; i++)
            {
                buffer.Clear();
                FoxgloveEncoder.WriteCompressedImage(buffer, 1_700_000_000_000_000_000 + i, "cam0", jpeg);
                buffer.Clear();
                FoxgloveEncoder.WriteImageAnnotations(buffer, 1_700_000_000_000_000_000 + i, boxes);
            }
        }
        Encode();

        Assert.Equal(0, AllocationProbe.MinAllocatedBytes(Encode));
    }
}
