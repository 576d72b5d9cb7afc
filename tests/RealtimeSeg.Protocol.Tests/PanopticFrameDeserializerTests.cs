using System.Buffers;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;

namespace RealtimeSeg.Protocol.Tests;

public sealed class PanopticFrameDeserializerTests
{
    private readonly PanopticFrame _frame = SyntheticScene.Create(64, 36, things: 3, sequence: 77);
    private readonly byte[] _payload;

    public PanopticFrameDeserializerTests()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new PanopticFrameSerializer().Write(buffer, _frame);
        _payload = buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Read_UnknownKeysAtTopLevelAndInSegments_AreSkipped()
    {
        byte[] edited = MessageEditor.Edit(_payload, m =>
        {
            m["x_future_scalar"] = 12;
            m["x_future_nested"] = new Dictionary<object, object> { ["a"] = new object[] { 1, "two", new byte[] { 3 } }, ["b"] = null! };
            MessageEditor.Segment(m, 1)["x_mask_rle"] = new byte[] { 1, 2, 3, 4 };
            MessageEditor.Segment(m, 2)["x_attributes"] = new Dictionary<object, object> { ["color"] = "red" };
            m[42] = "non-string key";
        });

        PanopticFrame decoded = Read(edited);

        FrameAssert.Equal(_frame, decoded);
    }

    [Fact]
    public void Read_KeysInAnyOrder_ReadsSameFrame()
    {
        Dictionary<object, object> m = MessageEditor.Decode(_payload);
        var reversed = new Dictionary<object, object>();
        foreach (object key in m.Keys.Reverse())
        {
            reversed[key] = m[key];
        }

        PanopticFrame decoded = Read(MessageEditor.Encode(reversed));

        FrameAssert.Equal(_frame, decoded);
    }

    [Fact]
    public void Read_NumbersAsFloat64AndIntegers_AreAccepted()
    {
        // What a Python publisher writes by default: float64 everywhere, integers where values are whole.
        byte[] edited = MessageEditor.Edit(_payload, m =>
        {
            Dictionary<object, object> s = MessageEditor.Segment(m, 0);
            s["score"] = 0.75;
            s["bbox"] = new object[] { 10, 20.5, 30, 40 };
        });

        PanopticFrame decoded = Read(edited);

        Assert.Equal(0.75f, decoded.Segments[0].Score);
        Assert.Equal((10f, 20.5f, 30f, 40f), (decoded.Segments[0].BboxX, decoded.Segments[0].BboxY, decoded.Segments[0].BboxWidth, decoded.Segments[0].BboxHeight));
    }

    [Fact]
    public void Read_MoreStagesThanKnown_KeepsKnownAndIgnoresRest()
    {
        byte[] edited = MessageEditor.Edit(_payload, m => m["stage_ns"] = Enumerable.Range(1, 12).Select(i => (object)(long)i).ToArray());

        PanopticFrame decoded = Read(edited);

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8], decoded.StageNs);
    }

    [Fact]
    public void Read_FewerStagesThanKnown_LeavesRestZero()
    {
        byte[] edited = MessageEditor.Edit(_payload, m => m["stage_ns"] = new object[] { 5L, 6L });

        PanopticFrame decoded = Read(edited);

        Assert.Equal([5L, 6, 0, 0, 0, 0, 0, 0], decoded.StageNs);
    }

    [Fact]
    public void Read_OptionalKeysMissing_DefaultToZero()
    {
        byte[] edited = MessageEditor.Edit(_payload, m =>
        {
            foreach (string key in new[] { "utc_ns", "mono_ns", "run", "media_ns", "stage_ns", "w", "h", "cat_ver", "segs" })
            {
                m.Remove(key);
            }
        });

        PanopticFrame decoded = Read(edited);

        Assert.Equal((0L, 0L, 0, 0, 0u, 0), (decoded.CaptureUtcNs, decoded.CaptureMonotonicNs, decoded.ImageWidth, decoded.ImageHeight, decoded.CategoryTableVersion, decoded.SegmentCount));
        Assert.Equal(("", -1L), (decoded.Run, decoded.MediaNs));
        FrameAssert.MapEqual(_frame.Map, decoded.Map);
    }

    [Fact]
    public void Read_MultiSegmentSequence_ReadsSameFrame()
    {
        foreach (int chunk in new[] { 1, 3, 7, 64 })
        {
            var decoded = new PanopticFrame();
            new PanopticFrameDeserializer().Read(ChunkedSequence.Create(_payload, chunk), decoded);

            FrameAssert.Equal(_frame, decoded);
        }
    }

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolExceptionSayingTruncated()
    {
        var reader = new PanopticFrameDeserializer();
        var decoded = new PanopticFrame();
        for (int length = 0; length < _payload.Length; length++)
        {
            ProtocolException e = Assert.Throws<ProtocolException>(() => reader.Read(_payload.AsMemory(0, length), decoded));
            Assert.Contains("truncated", e.Message);
            Assert.Equal(length, e.Offset);
        }
    }

    [Fact]
    public void Read_TruncatedInsideSegments_NamesSegs()
    {
        int cut = _payload.Length - 10;

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(_payload.AsSpan(0, cut).ToArray()));

        Assert.Equal("segs", e.Key);
    }

    [Fact]
    public void Read_WrongValueType_NamesKeyExpectedTypeAndOffset()
    {
        byte[] edited = MessageEditor.Edit(_payload, m => m["seq"] = "77");

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal("seq", e.Key);
        Assert.Equal("expected integer, found string", e.Problem);
        // The offset points at the value, right after the key "seq" (1 + 3 bytes).
        int keyAt = IndexOf(edited, [0xA3, (byte)'s', (byte)'e', (byte)'q']);
        Assert.Equal(keyAt + 4, e.Offset);
        Assert.Contains($"byte {e.Offset}", e.Message);
    }

    [Fact]
    public void Read_SegmentArrayOfWrongLength_NamesSegmentIndexAndKey()
    {
        byte[] edited = MessageEditor.Edit(_payload, m => MessageEditor.Segment(m, 1)["bbox"] = new object[] { 1f, 2f, 3f });

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal("segs[1].bbox", e.Key);
        Assert.Contains("4 numbers", e.Problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Read_SegmentIdOutOfRange_Throws(int id)
    {
        byte[] edited = MessageEditor.Edit(_payload, m => MessageEditor.Segment(m, 0)["id"] = id);

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal("segs[0].id", e.Key);
    }

    [Fact]
    public void Read_SegmentWithoutId_Throws()
    {
        byte[] edited = MessageEditor.Edit(_payload, m => MessageEditor.Segment(m, 2).Remove("id"));

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal("segs[2].id", e.Key);
        Assert.Equal("required key missing", e.Problem);
    }

    [Theory]
    [InlineData("v")]
    [InlineData("type")]
    [InlineData("stream")]
    [InlineData("seq")]
    [InlineData("map_w")]
    [InlineData("map_h")]
    [InlineData("enc")]
    [InlineData("map")]
    public void Read_RequiredKeyMissing_NamesKey(string key)
    {
        byte[] edited = MessageEditor.Edit(_payload, m => m.Remove(key));

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal(key, e.Key);
        Assert.Equal("required key missing", e.Problem);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Read_UnknownSchemaVersion_ThrowsUnsupportedNamingKnownVersions(int version)
    {
        byte[] edited = MessageEditor.Edit(_payload, m => m["v"] = version);

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal("v", e.Key);
        Assert.Contains($"unsupported schema version {version}", e.Problem);
        Assert.Contains("versions 1…2", e.Problem);
    }

    [Fact]
    public void Read_Version1Frame_ReadsWithEmptyRunAndUnknownMediaTime()
    {
        byte[] v1 = AsVersion1(_payload);

        PanopticFrame decoded = Read(v1);

        Assert.Equal(("", -1L), (decoded.Run, decoded.MediaNs));
        _frame.Run = "";
        _frame.MediaNs = -1;
        FrameAssert.Equal(_frame, decoded);
    }

    [Fact]
    public void Read_Version1FrameIntoFrameThatHeldVersion2_ResetsRunAndMediaTime()
    {
        var reader = new PanopticFrameDeserializer();
        var reused = new PanopticFrame();
        reader.Read(_payload, reused);
        Assert.Equal((SyntheticScene.Run, _frame.MediaNs), (reused.Run, reused.MediaNs));

        reader.Read(AsVersion1(_payload), reused);

        Assert.Equal(("", -1L), (reused.Run, reused.MediaNs));
    }

    [Fact]
    public void Read_RunOfWrongType_NamesRun()
    {
        byte[] edited = MessageEditor.Edit(_payload, m => m["run"] = 12345);

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal("run", e.Key);
        Assert.Equal("expected string, found integer", e.Problem);
    }

    [Fact]
    public void Read_MediaTimeOfWrongType_NamesMediaNs()
    {
        byte[] edited = MessageEditor.Edit(_payload, m => m["media_ns"] = 1.5);

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal("media_ns", e.Key);
    }

    /// <summary>What a version-1 publisher wrote: the same frame without the v2 keys.</summary>
    private static byte[] AsVersion1(byte[] payload) => MessageEditor.Edit(payload, m =>
    {
        m["v"] = 1;
        m.Remove("run");
        m.Remove("media_ns");
    });

    [Fact]
    public void Read_MetaMessage_ThrowsTypeMismatch()
    {
        byte[] meta = CategoryTableSerializer.ToArray("s0", SyntheticScene.Categories);

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(meta));

        Assert.Equal("type", e.Key);
    }

    [Fact]
    public void Read_UnknownMapEncoding_NamesIt()
    {
        byte[] edited = MessageEditor.Edit(_payload, m => m["enc"] = "lz4");

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal("enc", e.Key);
        Assert.Contains("'lz4'", e.Problem);
    }

    [Fact]
    public void Read_MapSizeDisagreesWithRuns_ThrowsForMap()
    {
        byte[] edited = MessageEditor.Edit(_payload, m => m["map_h"] = (int)(byte)m["map_h"] - 1);

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal("map", e.Key);
        Assert.Contains("more pixels", e.Problem);
    }

    [Fact]
    public void Read_Raw16OfWrongLength_ThrowsForMap()
    {
        byte[] edited = MessageEditor.Edit(_payload, m =>
        {
            m["enc"] = "raw16";
            m["map"] = new byte[64 * 36 * 2 - 2];
        });

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal("map", e.Key);
        Assert.Contains("expected map_w × map_h × 2 = 4608", e.Problem);
    }

    [Fact]
    public void Read_HugeMapSide_IsRejectedBeforeAllocating()
    {
        byte[] edited = MessageEditor.Edit(_payload, m => m["map_w"] = 100_000);

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(edited));

        Assert.Equal("map_w", e.Key);
    }

    [Fact]
    public void Read_TopLevelNotAMap_Throws()
    {
        byte[] payload = MessageEditor.Encode(new object[] { 1, 2 });

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(payload));

        Assert.Equal("expected map, found array", e.Problem);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void Read_TrailingBytes_Throws()
    {
        byte[] payload = [.. _payload, 0xC0];

        ProtocolException e = Assert.Throws<ProtocolException>(() => Read(payload));

        Assert.Contains("after the message", e.Problem);
        Assert.Equal(_payload.Length, e.Offset);
    }

    [Fact]
    public void Read_AnySingleCorruptedByte_ReadsOrThrowsOnlyProtocolException()
    {
        var reader = new PanopticFrameDeserializer();
        var decoded = new PanopticFrame();
        byte[] corrupted = new byte[_payload.Length];
        for (int i = 0; i < _payload.Length; i++)
        {
            foreach (byte flip in new byte[] { 0x01, 0x80, 0xFF })
            {
                _payload.CopyTo(corrupted, 0);
                corrupted[i] ^= flip;
                try
                {
                    reader.Read(corrupted, decoded);
                }
                catch (ProtocolException)
                {
                }
            }
        }
        // Reaching here means no other exception type escaped; the reader still works afterwards.
        reader.Read(_payload, decoded);
        FrameAssert.Equal(_frame, decoded);
    }

    private static PanopticFrame Read(byte[] payload)
    {
        var frame = new PanopticFrame();
        new PanopticFrameDeserializer().Read(payload, frame);
        return frame;
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);
}
