using System.Buffers;
using System.Globalization;
using System.Text;
using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Protocol.Tests;

/// <summary>
/// Keeps docs/protocol.md honest: the worked byte-level examples printed there must be exactly what the
/// serializers write, and must decode back to the frame and table the document describes.
/// </summary>
public sealed class ProtocolDocumentTests
{
    private static string DocumentPath => Path.Combine(TestAssets.RepositoryRoot, "docs", "protocol.md");

    /// <summary>The run id of every worked example.</summary>
    internal const string WorkedExampleRun = "3f9c2a7e51b04d86";

    /// <summary>The frame of the document's worked example (§12); the document describes every field.</summary>
    internal static PanopticFrame WorkedExampleFrame()
    {
        var frame = new PanopticFrame();
        frame.Reset(4, 2);
        frame.StreamName = "s0";
        frame.Sequence = 7;
        frame.CaptureUtcNs = 1_700_000_000_123_456_789;
        frame.CaptureMonotonicNs = 2_000_000;
        frame.Run = WorkedExampleRun;
        frame.MediaNs = 233_333_333;
        long[] stages = [2_000_000, 2_100_000, 2_600_000, 14_600_000, 15_100_000, 15_150_000, 15_300_000, 15_350_000];
        stages.CopyTo(frame.StageNs, 0);
        frame.ImageWidth = 8;
        frame.ImageHeight = 4;
        frame.CategoryTableVersion = WorkedExampleCategories.Version;
        ushort[] map = [0, 0, 1, 1, 1, 1, 1, 0];
        map.CopyTo(frame.Map);
        ref PanopticSegment s = ref frame.AddSegment();
        s.Id = 1;
        s.CategoryId = 3;
        s.IsThing = true;
        s.TrackId = 42;
        s.Score = 0.875f;
        (s.BboxX, s.BboxY, s.BboxWidth, s.BboxHeight) = (0f, 0f, 8f, 4f);
        s.Area = 20;
        (s.CentroidX, s.CentroidY) = (4.2f, 2.2f);
        (s.VelocityX, s.VelocityY) = (12.5f, -2f);
        s.AgeFrames = 30;
        return frame;
    }

    internal static readonly CategoryTable WorkedExampleCategories = new(
    [
        new Category(3, "car", true, 0x00008E),
        new Category(7, "road", false, 0x804080),
    ]);

    internal static readonly StreamEndMessage WorkedExampleEnd = new("s0", WorkedExampleRun, StreamEndReason.Completed, LastSequence: 7, Frames: 8);

    internal static readonly ImageHeader WorkedExampleImageHeader = new("s0", WorkedExampleRun, Sequence: 7, UtcNs: 1_700_000_000_123_456_789,
        MonoNs: 2_000_000, MediaNs: 233_333_333, Width: 4, Height: 2, SourceWidth: 8, SourceHeight: 4);

    /// <summary>A stand-in for the JPEG: start-of-image and end-of-image markers only (the protocol never looks inside).</summary>
    internal static readonly byte[] WorkedExampleJpeg = [0xFF, 0xD8, 0xFF, 0xD9];

    [Fact]
    public void WorkedFrameExample_MatchesSerializerBytes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new PanopticFrameSerializer().Write(buffer, WorkedExampleFrame());

        byte[] documented = ReadHexBlock("frame-example");

        Assert.True(documented.AsSpan().SequenceEqual(buffer.WrittenSpan),
            Mismatch("frame", buffer.WrittenSpan));
    }

    [Fact]
    public void WorkedFrameExample_DecodesToDocumentedFrame()
    {
        var decoded = new PanopticFrame();

        new PanopticFrameDeserializer().Read(ReadHexBlock("frame-example"), decoded);

        Support.FrameAssert.Equal(WorkedExampleFrame(), decoded);
    }

    [Fact]
    public void WorkedMetaExample_MatchesSerializerBytes()
    {
        byte[] written = CategoryTableSerializer.ToArray("s0", WorkedExampleCategories);

        byte[] documented = ReadHexBlock("meta-example");

        Assert.True(documented.AsSpan().SequenceEqual(written),
            Mismatch("meta", written));
    }

    [Fact]
    public void WorkedMetaExample_DecodesToDocumentedTable()
    {
        CategoryTableMessage decoded = CategoryTableSerializer.Read(ReadHexBlock("meta-example"));

        Assert.Equal(("s0", WorkedExampleCategories.Version), (decoded.Stream, decoded.Version));
        Assert.Equal(WorkedExampleCategories.Categories, decoded.Categories.Categories);
    }

    [Fact]
    public void WorkedEndExample_MatchesSerializerBytes()
    {
        byte[] written = StreamEndSerializer.ToArray(WorkedExampleEnd);

        byte[] documented = ReadHexBlock("end-example");

        Assert.True(documented.AsSpan().SequenceEqual(written),
            Mismatch("end-of-stream", written));
    }

    [Fact]
    public void WorkedEndExample_DecodesToDocumentedMessage()
    {
        Assert.Equal(WorkedExampleEnd, StreamEndSerializer.Read(ReadHexBlock("end-example")));
    }

    [Fact]
    public void WorkedImageExample_MatchesSerializerBytes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        ImageMessageSerializer.Write(buffer, WorkedExampleImageHeader, WorkedExampleJpeg);

        byte[] documented = ReadHexBlock("image-example");

        Assert.True(documented.AsSpan().SequenceEqual(buffer.WrittenSpan),
            Mismatch("image", buffer.WrittenSpan));
    }

    [Fact]
    public void WorkedImageExample_DecodesToDocumentedHeaderAndJpeg()
    {
        ImageHeader header = ImageMessageSerializer.Read(ReadHexBlock("image-example"), out ReadOnlyMemory<byte> jpeg);

        Assert.Equal(WorkedExampleImageHeader, header);
        Assert.Equal(WorkedExampleJpeg, jpeg.ToArray());
    }

    [Fact]
    public void Document_StatesSchemaVersionCategoryVersionAndEveryTopic()
    {
        string doc = File.ReadAllText(DocumentPath);

        Assert.Contains($"Schema version: **{WireFormat.SchemaVersion}**", doc);
        foreach (string prefix in new[] { WireFormat.FrameTopicPrefix, WireFormat.MetaTopicPrefix, WireFormat.EndTopicPrefix, WireFormat.ImageTopicPrefix })
        {
            Assert.Contains($"`{prefix}<stream>`", doc);
        }
        Assert.Contains($"0x{WorkedExampleCategories.Version:x8}", doc);
    }

    /// <summary>Reads the hex bytes between <c>&lt;!-- name:begin --&gt;</c> and <c>&lt;!-- name:end --&gt;</c>, skipping "0000:" offsets.</summary>
    private static byte[] ReadHexBlock(string name)
    {
        string doc = File.ReadAllText(DocumentPath);
        string begin = $"<!-- {name}:begin -->", end = $"<!-- {name}:end -->";
        int start = doc.IndexOf(begin, StringComparison.Ordinal);
        int stop = doc.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, $"docs/protocol.md has no {begin} … {end} block");
        var bytes = new List<byte>();
        foreach (string line in doc[(start + begin.Length)..stop].Split('\n'))
        {
            string text = line.Trim();
            if (text.Length == 0 || text.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            foreach (string token in text[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (token == "|")
                {
                    break;
                }
                bytes.Add(byte.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        return [.. bytes];
    }

    private static string Mismatch(string example, ReadOnlySpan<byte> written)
        => $"docs/protocol.md {example} example differs from the serializer; it writes (annotate with tools/protocol-doc/annotate.py, paste between the markers):\n"
           + HexDump(written);

    private static string HexDump(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < bytes.Length; i += 16)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{i:x4}:");
            for (int j = i; j < Math.Min(i + 16, bytes.Length); j++)
            {
                sb.Append(CultureInfo.InvariantCulture, $" {bytes[j]:x2}");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
