using System.Buffers;
using System.Buffers.Binary;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;

namespace RealtimeSeg.Protocol.Tests;

public sealed class RunLengthCodecTests
{
    [Fact]
    public void Encode_OneRun_WritesSingleRun()
    {
        ushort[] map = new ushort[40 * 30];
        Array.Fill(map, (ushort)7);

        (ushort Id, int Length)[] runs = EncodeRuns(map);

        Assert.Equal([(7, 1200)], runs);
    }

    [Fact]
    public void Encode_RunLongerThan65535_SplitsIntoMaximalRunsOfSameId()
    {
        ushort[] map = new ushort[300 * 300];
        Array.Fill(map, (ushort)5);

        (ushort Id, int Length)[] runs = EncodeRuns(map);

        Assert.Equal([(5, 65535), (5, 90000 - 65535)], runs);
    }

    [Fact]
    public void Encode_RunOfExactly65535_IsOneRun()
    {
        ushort[] map = new ushort[65535 + 1];
        map[^1] = 9;

        Assert.Equal([(0, 65535), (9, 1)], EncodeRuns(map));
    }

    [Fact]
    public void Encode_AllVoid640x360_SplitsEvery65535Pixels()
    {
        ushort[] map = new ushort[640 * 360];

        (ushort Id, int Length)[] runs = EncodeRuns(map);

        Assert.Equal([(0, 65535), (0, 65535), (0, 65535), (0, 640 * 360 - 3 * 65535)], runs);
    }

    [Fact]
    public void Encode_Alternating_WritesOneRunPerPixel()
    {
        ushort[] map = new ushort[64 * 3];
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = (ushort)(i % 2 == 0 ? 0 : 65535);
        }

        (ushort Id, int Length)[] runs = EncodeRuns(map);

        Assert.Equal(map.Length, runs.Length);
        for (int i = 0; i < runs.Length; i++)
        {
            Assert.Equal((map[i], 1), runs[i]);
        }
    }

    [Fact]
    public void Encode_RunCrossingRowEnd_IsNotSplitAtTheRow()
    {
        // 4x2 map: row 0 ends with id 1 and row 1 starts with id 1.
        ushort[] map = [0, 0, 1, 1, 1, 1, 2, 2];

        Assert.Equal([(0, 2), (1, 4), (2, 2)], EncodeRuns(map));
    }

    [Fact]
    public void Encode_EmptyMap_WritesNothing()
    {
        Assert.Empty(EncodeRuns([]));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(640, 360)]
    [InlineData(300, 300)]
    public void Decode_EncodedEdgeCaseMaps_RestoresMap(int width, int height)
    {
        foreach (ushort[] map in EdgeCaseMaps(width * height))
        {
            byte[] encoded = new byte[RunLengthCodec.CountRuns(map) * 4];
            RunLengthCodec.Encode(map, encoded);
            ushort[] decoded = new ushort[map.Length];

            string? problem = RunLengthCodec.Decode(encoded, decoded, out _);

            Assert.Null(problem);
            FrameAssert.MapEqual(map, decoded);
        }
    }

    [Fact]
    public void Decode_ZeroLengthRun_ReportsRunOffset()
    {
        byte[] runs = [1, 0, 2, 0, 3, 0, 0, 0];

        string? problem = RunLengthCodec.Decode(runs, new ushort[2], out int offset);

        Assert.Equal("rle16 run of length 0", problem);
        Assert.Equal(4, offset);
    }

    [Fact]
    public void Decode_RunsCoveringTooMuch_Fails()
    {
        byte[] runs = [1, 0, 3, 0];

        Assert.Contains("more pixels", RunLengthCodec.Decode(runs, new ushort[2], out _));
    }

    [Fact]
    public void Decode_RunsCoveringTooLittle_Fails()
    {
        byte[] runs = [1, 0, 1, 0];

        Assert.Contains("fewer pixels", RunLengthCodec.Decode(runs, new ushort[2], out _));
    }

    [Fact]
    public void Decode_LengthNotMultipleOf4_Fails()
    {
        byte[] runs = [1, 0, 2, 0, 9];

        Assert.Contains("multiple of 4", RunLengthCodec.Decode(runs, new ushort[2], out _));
    }

    [Theory]
    [InlineData(MapEncoding.Rle16)]
    [InlineData(MapEncoding.Raw16)]
    public void Serialize_EdgeCaseMaps_RoundTripThroughFrameMessage(MapEncoding encoding)
    {
        var serializer = new PanopticFrameSerializer(encoding);
        var reader = new PanopticFrameDeserializer();
        var decoded = new PanopticFrame();
        foreach (ushort[] map in EdgeCaseMaps(300 * 300))
        {
            var frame = new PanopticFrame();
            frame.Reset(300, 300);
            map.CopyTo(frame.Map);
            var buffer = new ArrayBufferWriter<byte>();

            serializer.Write(buffer, frame);
            reader.Read(buffer.WrittenMemory, decoded);

            FrameAssert.Equal(frame, decoded);
        }
    }

    private static IEnumerable<ushort[]> EdgeCaseMaps(int size)
    {
        yield return new ushort[size];
        ushort[] one = new ushort[size];
        Array.Fill(one, (ushort)65535);
        yield return one;
        ushort[] alternating = new ushort[size];
        for (int i = 0; i < size; i++)
        {
            alternating[i] = (ushort)(i % 2 == 0 ? 0 : 1 + i % 3);
        }
        yield return alternating;
        ushort[] halves = new ushort[size];
        halves.AsSpan(size / 2).Fill(42);
        yield return halves;
    }

    private static (ushort Id, int Length)[] EncodeRuns(ushort[] map)
    {
        int count = RunLengthCodec.CountRuns(map);
        byte[] bytes = new byte[count * 4];
        Assert.Equal(bytes.Length, RunLengthCodec.Encode(map, bytes));
        var runs = new (ushort, int)[count];
        for (int i = 0; i < count; i++)
        {
            runs[i] = (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 4)), BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 4 + 2)));
        }
        return runs;
    }
}
