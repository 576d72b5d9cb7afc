using System.Buffers;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;

namespace RealtimeSeg.Protocol.Tests;

public sealed class PanopticFrameSerializerTests
{
    [Theory]
    [InlineData(MapEncoding.Rle16)]
    [InlineData(MapEncoding.Raw16)]
    public void Write_FullFrame_RoundTripsEveryField(MapEncoding encoding)
    {
        PanopticFrame frame = SyntheticScene.Create(160, 90, things: 20, sequence: 12345, stream: "front_cam-1");
        var buffer = new ArrayBufferWriter<byte>();
        var decoded = new PanopticFrame();

        new PanopticFrameSerializer(encoding).Write(buffer, frame);
        new PanopticFrameDeserializer().Read(buffer.WrittenMemory, decoded);

        Assert.Equal(22, decoded.SegmentCount);
        FrameAssert.Equal(frame, decoded);
    }

    [Fact]
    public void Write_ExtremeFieldValues_RoundTrip()
    {
        var frame = new PanopticFrame();
        frame.Reset(3, 1);
        frame.StreamName = "s0";
        frame.Sequence = long.MaxValue;
        frame.CaptureUtcNs = long.MinValue;
        frame.CaptureMonotonicNs = -1;
        frame.Run = "ffffffffffffffff";
        frame.MediaNs = long.MaxValue;
        frame.StageNs[7] = long.MaxValue;
        frame.ImageWidth = int.MaxValue;
        frame.CategoryTableVersion = uint.MaxValue;
        frame.Map[0] = 65535;
        ref PanopticSegment s = ref frame.AddSegment();
        s.Id = 65535;
        s.CategoryId = int.MinValue;
        s.TrackId = int.MaxValue;
        s.Score = float.Epsilon;
        s.BboxX = float.NaN;
        s.BboxY = float.PositiveInfinity;
        s.BboxWidth = -0f;
        s.BboxHeight = float.MaxValue;
        s.VelocityX = float.NegativeInfinity;
        s.Flags = SegmentFlags.BoxMask;
        var buffer = new ArrayBufferWriter<byte>();
        var decoded = new PanopticFrame();

        new PanopticFrameSerializer().Write(buffer, frame);
        new PanopticFrameDeserializer().Read(buffer.WrittenMemory, decoded);

        FrameAssert.Equal(frame, decoded);
    }

    [Fact]
    public void Write_IntoReusedFrameWithOtherSize_ReplacesEverything()
    {
        PanopticFrame big = SyntheticScene.Create(200, 100, things: 30, sequence: 1);
        PanopticFrame small = SyntheticScene.Create(20, 10, things: 2, sequence: 2, stream: "s1");
        var serializer = new PanopticFrameSerializer();
        var reader = new PanopticFrameDeserializer();
        var reused = new PanopticFrame();
        var buffer = new ArrayBufferWriter<byte>();

        serializer.Write(buffer, big);
        reader.Read(buffer.WrittenMemory, reused);
        buffer.ResetWrittenCount();
        serializer.Write(buffer, small);
        reader.Read(buffer.WrittenMemory, reused);

        FrameAssert.Equal(small, reused);
    }

    [Fact]
    public void Write_SceneMap_Rle16IsFarSmallerThanRaw16()
    {
        PanopticFrame frame = SyntheticScene.Create(640, 360, things: 20);
        var rle = new ArrayBufferWriter<byte>();
        var raw = new ArrayBufferWriter<byte>();

        new PanopticFrameSerializer(MapEncoding.Rle16).Write(rle, frame);
        new PanopticFrameSerializer(MapEncoding.Raw16).Write(raw, frame);

        Assert.True(raw.WrittenCount > 640 * 360 * 2);
        Assert.True(rle.WrittenCount * 10 < raw.WrittenCount, $"rle16 {rle.WrittenCount} B vs raw16 {raw.WrittenCount} B");
    }

    [Fact]
    public void Write_MessageAsGenericMessagePack_HasDocumentedKeysAndTypes()
    {
        PanopticFrame frame = SyntheticScene.Create(16, 8, things: 1, sequence: 3);
        var buffer = new ArrayBufferWriter<byte>();
        new PanopticFrameSerializer().Write(buffer, frame);

        Dictionary<object, object> m = MessageEditor.Decode(buffer.WrittenMemory);

        Assert.Equal(
            ["v", "type", "stream", "seq", "utc_ns", "mono_ns", "run", "media_ns", "stage_ns", "w", "h", "map_w", "map_h", "cat_ver", "enc", "map", "segs"],
            m.Keys.Cast<string>());
        Assert.Equal(2, Convert.ToInt32(m["v"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("frame", m["type"]);
        Assert.Equal(SyntheticScene.Run, m["run"]);
        Assert.Equal(3 * 33_333_333L, Convert.ToInt64(m["media_ns"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("rle16", m["enc"]);
        Assert.IsType<byte[]>(m["map"]);
        Assert.Equal(8, ((object[])m["stage_ns"]).Length);
        Dictionary<object, object> seg = MessageEditor.Segment(m, 0);
        Assert.Equal(["id", "cat", "thing", "track", "score", "bbox", "area", "centroid", "vel", "age", "flags"], seg.Keys.Cast<string>());
        Assert.IsType<float>(seg["score"]);
        Assert.Equal(4, ((object[])seg["bbox"]).Length);
    }

    [Theory]
    [InlineData(MapEncoding.Rle16)]
    [InlineData(MapEncoding.Raw16)]
    public void Write_AfterWarmup_AllocatesNothing(MapEncoding encoding)
    {
        PanopticFrame frame = SyntheticScene.Create(640, 360, things: 20);
        var serializer = new PanopticFrameSerializer(encoding);
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        for (int i = 0; i < 200; i++)
        {
            buffer.ResetWrittenCount();
            serializer.Write(buffer, frame);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            buffer.ResetWrittenCount();
            serializer.Write(buffer, frame);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(MapEncoding.Rle16)]
    [InlineData(MapEncoding.Raw16)]
    public void Read_IntoReusedFrameAfterWarmup_AllocatesNothing(MapEncoding encoding)
    {
        PanopticFrame frame = SyntheticScene.Create(640, 360, things: 20);
        var buffer = new ArrayBufferWriter<byte>();
        new PanopticFrameSerializer(encoding).Write(buffer, frame);
        ReadOnlyMemory<byte> payload = buffer.WrittenMemory;
        var reader = new PanopticFrameDeserializer();
        var decoded = new PanopticFrame();
        for (int i = 0; i < 200; i++)
        {
            reader.Read(payload, decoded);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            reader.Read(payload, decoded);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        FrameAssert.Equal(frame, decoded);
    }

    [Fact]
    public void Constructor_UndefinedEncoding_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PanopticFrameSerializer((MapEncoding)7));
    }
}
