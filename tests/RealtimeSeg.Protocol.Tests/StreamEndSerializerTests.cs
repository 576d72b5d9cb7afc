using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;

namespace RealtimeSeg.Protocol.Tests;

public sealed class StreamEndSerializerTests
{
    private static readonly StreamEndMessage Sample = new("front_cam-1", "0123456789abcdef", StreamEndReason.SourceLost, 4711, 4650);

    [Theory]
    [InlineData(StreamEndReason.Completed, "completed")]
    [InlineData(StreamEndReason.SourceLost, "source_lost")]
    [InlineData(StreamEndReason.Stopping, "stopping")]
    public void Write_EachReason_RoundTripsWithItsWireName(StreamEndReason reason, string wireName)
    {
        StreamEndMessage message = Sample with { Reason = reason };

        byte[] payload = StreamEndSerializer.ToArray(message);

        Assert.Equal(message, StreamEndSerializer.Read(payload));
        Assert.Equal(wireName, MessageEditor.Decode(payload)["reason"]);
    }

    [Fact]
    public void Write_NothingPublished_RoundTripsLastSequenceMinusOne()
    {
        StreamEndMessage message = Sample with { LastSequence = -1, Frames = 0 };

        Assert.Equal(message, StreamEndSerializer.Read(StreamEndSerializer.ToArray(message)));
    }

    [Fact]
    public void Write_MessageAsGenericMessagePack_HasDocumentedKeysAndValues()
    {
        Dictionary<object, object> m = MessageEditor.Decode(StreamEndSerializer.ToArray(Sample));

        Assert.Equal(["v", "type", "stream", "run", "reason", "last_seq", "frames"], m.Keys.Cast<string>());
        Assert.Equal(WireFormat.SchemaVersion, Convert.ToInt32(m["v"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("end", m["type"]);
        Assert.Equal("front_cam-1", m["stream"]);
        Assert.Equal("0123456789abcdef", m["run"]);
        Assert.Equal(4711L, Convert.ToInt64(m["last_seq"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(4650L, Convert.ToInt64(m["frames"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Write_InvalidStreamName_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => StreamEndSerializer.ToArray(Sample with { Stream = "a/b" }));
    }

    [Fact]
    public void Read_UnknownKeysAndAnyKeyOrder_ReadsSameMessage()
    {
        Dictionary<object, object> m = MessageEditor.Decode(StreamEndSerializer.ToArray(Sample));
        var edited = new Dictionary<object, object> { ["x_future"] = new object[] { 1, "two" } };
        foreach (object key in m.Keys.Reverse())
        {
            edited[key] = m[key];
        }

        Assert.Equal(Sample, StreamEndSerializer.Read(MessageEditor.Encode(edited)));
    }

    [Fact]
    public void Read_WithoutRunLastSeqAndFrames_DefaultsToEmptyMinusOneAndZero()
    {
        byte[] edited = MessageEditor.Edit(StreamEndSerializer.ToArray(Sample), m =>
        {
            m.Remove("run");
            m.Remove("last_seq");
            m.Remove("frames");
        });

        Assert.Equal(Sample with { Run = "", LastSequence = -1, Frames = 0 }, StreamEndSerializer.Read(edited));
    }

    [Fact]
    public void Read_UnknownReason_ThrowsNamingItAndTheKnownOnes()
    {
        byte[] edited = MessageEditor.Edit(StreamEndSerializer.ToArray(Sample), m => m["reason"] = "exploded");

        ProtocolException e = Assert.Throws<ProtocolException>(() => StreamEndSerializer.Read(edited));

        Assert.Equal("reason", e.Key);
        Assert.Contains("'exploded'", e.Problem);
        Assert.Contains("completed, source_lost, stopping", e.Problem);
    }

    [Theory]
    [InlineData("v")]
    [InlineData("stream")]
    [InlineData("reason")]
    public void Read_RequiredKeyMissing_NamesKey(string key)
    {
        byte[] edited = MessageEditor.Edit(StreamEndSerializer.ToArray(Sample), m => m.Remove(key));

        ProtocolException e = Assert.Throws<ProtocolException>(() => StreamEndSerializer.Read(edited));

        Assert.Equal(key, e.Key);
        Assert.Equal("required key missing", e.Problem);
    }

    [Fact]
    public void Read_FrameMessage_ThrowsTypeMismatch()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        new PanopticFrameSerializer().Write(buffer, SyntheticScene.Create(8, 4, things: 1));

        ProtocolException e = Assert.Throws<ProtocolException>(() => StreamEndSerializer.Read(buffer.WrittenMemory));

        Assert.Equal("type", e.Key);
        Assert.Contains("\"end\"", e.Problem);
    }

    [Fact]
    public void Read_NewerSchemaVersion_ThrowsUnsupported()
    {
        byte[] edited = MessageEditor.Edit(StreamEndSerializer.ToArray(Sample), m => m["v"] = 3);

        ProtocolException e = Assert.Throws<ProtocolException>(() => StreamEndSerializer.Read(edited));

        Assert.Equal("v", e.Key);
        Assert.Contains("unsupported schema version 3", e.Problem);
    }

    [Fact]
    public void Read_WrongValueType_NamesKeyAndTypes()
    {
        byte[] edited = MessageEditor.Edit(StreamEndSerializer.ToArray(Sample), m => m["last_seq"] = "4711");

        ProtocolException e = Assert.Throws<ProtocolException>(() => StreamEndSerializer.Read(edited));

        Assert.Equal("last_seq", e.Key);
        Assert.Equal("expected integer, found string", e.Problem);
    }

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException()
    {
        byte[] payload = StreamEndSerializer.ToArray(Sample);
        for (int length = 0; length < payload.Length; length++)
        {
            Assert.Throws<ProtocolException>(() => StreamEndSerializer.Read(payload.AsMemory(0, length)));
        }
    }
}
