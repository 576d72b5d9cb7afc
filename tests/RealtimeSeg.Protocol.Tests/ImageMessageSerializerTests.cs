using System.Buffers;
using RealtimeSeg.Protocol.Tests.Support;

namespace RealtimeSeg.Protocol.Tests;

public sealed class ImageMessageSerializerTests
{
    private static readonly ImageHeader Header = new("front", "0123456789abcdef", 1234, 1_750_000_000_123_456_789, 9_000_000_000, 41_133_333_292,
        640, 360, 1280, 720);

    /// <summary>Not a decodable picture, but framed like one (SOI … EOI): the protocol carries JPEG bytes without looking inside.</summary>
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9];

    private static byte[] Write(in ImageHeader header, ReadOnlySpan<byte> jpeg)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ImageMessageSerializer.Write(buffer, header, jpeg);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Write_HeaderAndJpeg_RoundTrip()
    {
        byte[] payload = Write(Header, Jpeg);

        ImageHeader read = ImageMessageSerializer.Read(payload, out ReadOnlyMemory<byte> jpeg);

        Assert.Equal(Header, read);
        Assert.Equal(Jpeg, jpeg.ToArray());
    }

    [Fact]
    public void Read_Jpeg_IsASliceOfThePayloadNotACopy()
    {
        byte[] payload = Write(Header, Jpeg);

        ImageMessageSerializer.Read(payload, out ReadOnlyMemory<byte> jpeg);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(jpeg, out ArraySegment<byte> segment));
        Assert.Same(payload, segment.Array);
        Assert.Equal(payload.Length - Jpeg.Length, segment.Offset);
    }

    [Fact]
    public void Write_MessageAsGenericMessagePack_HasDocumentedKeys()
    {
        Dictionary<object, object> m = MessageEditor.Decode(Write(Header, Jpeg));

        Assert.Equal(["v", "type", "stream", "run", "seq", "utc_ns", "mono_ns", "media_ns", "w", "h", "src_w", "src_h", "data"], m.Keys.Cast<string>());
        Assert.Equal("image", m["type"]);
        Assert.Equal(Jpeg, Assert.IsType<byte[]>(m["data"]));
    }

    [Fact]
    public void Write_AfterWarmup_AllocatesNothing()
    {
        byte[] jpeg = new byte[60_000];
        var buffer = new ArrayBufferWriter<byte>(1 << 17);
        for (int i = 0; i < 100; i++)
        {
            buffer.ResetWrittenCount();
            ImageMessageSerializer.Write(buffer, Header, jpeg);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            buffer.ResetWrittenCount();
            ImageMessageSerializer.Write(buffer, Header, jpeg);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Read_UnknownKeysAndAnyKeyOrder_ReadsSameMessage()
    {
        Dictionary<object, object> m = MessageEditor.Decode(Write(Header, Jpeg));
        var edited = new Dictionary<object, object> { ["x_exposure_us"] = 8000 };
        foreach (object key in m.Keys.Reverse())
        {
            edited[key] = m[key];
        }

        ImageHeader read = ImageMessageSerializer.Read(MessageEditor.Encode(edited), out ReadOnlyMemory<byte> jpeg);

        Assert.Equal(Header, read);
        Assert.Equal(Jpeg, jpeg.ToArray());
    }

    [Fact]
    public void Read_OptionalKeysMissing_DefaultToEmptyRunZeroTimesAndUnknownMediaTime()
    {
        byte[] edited = MessageEditor.Edit(Write(Header, Jpeg), m =>
        {
            foreach (string key in new[] { "run", "utc_ns", "mono_ns", "media_ns", "w", "h", "src_w", "src_h" })
            {
                m.Remove(key);
            }
        });

        ImageHeader read = ImageMessageSerializer.Read(edited, out _);

        Assert.Equal(new ImageHeader("front", "", 1234, 0, 0, -1, 0, 0, 0, 0), read);
    }

    [Theory]
    [InlineData("v")]
    [InlineData("stream")]
    [InlineData("seq")]
    [InlineData("data")]
    public void Read_RequiredKeyMissing_NamesKey(string key)
    {
        byte[] edited = MessageEditor.Edit(Write(Header, Jpeg), m => m.Remove(key));

        ProtocolException e = Assert.Throws<ProtocolException>(() => ImageMessageSerializer.Read(edited, out _));

        Assert.Equal(key, e.Key);
        Assert.Equal("required key missing", e.Problem);
    }

    [Fact]
    public void Read_DataAsString_NamesDataAndTypes()
    {
        byte[] edited = MessageEditor.Edit(Write(Header, Jpeg), m => m["data"] = "not bytes");

        ProtocolException e = Assert.Throws<ProtocolException>(() => ImageMessageSerializer.Read(edited, out _));

        Assert.Equal("data", e.Key);
        Assert.Equal("expected bin, found string", e.Problem);
    }

    [Fact]
    public void Read_MetaMessage_ThrowsTypeMismatch()
    {
        byte[] meta = CategoryTableSerializer.ToArray("s0", SyntheticScene.Categories);

        ProtocolException e = Assert.Throws<ProtocolException>(() => ImageMessageSerializer.Read(meta, out _));

        Assert.Equal("type", e.Key);
        Assert.Contains("\"image\"", e.Problem);
    }

    [Fact]
    public void Read_NewerSchemaVersion_ThrowsUnsupported()
    {
        byte[] edited = MessageEditor.Edit(Write(Header, Jpeg), m => m["v"] = 3);

        ProtocolException e = Assert.Throws<ProtocolException>(() => ImageMessageSerializer.Read(edited, out _));

        Assert.Equal("v", e.Key);
        Assert.Contains("unsupported schema version 3", e.Problem);
    }

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException()
    {
        byte[] payload = Write(Header, Jpeg);
        for (int length = 0; length < payload.Length; length++)
        {
            Assert.Throws<ProtocolException>(() => ImageMessageSerializer.Read(payload.AsMemory(0, length), out _));
        }
    }
}
