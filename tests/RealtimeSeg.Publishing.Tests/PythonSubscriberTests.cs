using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Publishing.Tests;

/// <summary>
/// The third-party check: tools/python-subscriber/subscribe.py, written from docs/protocol.md with pyzmq and
/// msgpack, receives frames from the C# publisher and decodes maps and segments to the values that were sent.
/// </summary>
public sealed class PythonSubscriberTests
{
    private const int Count = 15;

    [PythonSubscriberFact]
    public Task PythonSubscriber_Rle16Frames_DecodesMapsSegmentsAndCategories() => RunAsync(MapEncoding.Rle16);

    [PythonSubscriberFact]
    public Task PythonSubscriber_Raw16Frames_DecodesMapsSegmentsAndCategories() => RunAsync(MapEncoding.Raw16);

    private static PanopticFrame Expected(long seq) => SyntheticScene.Create(96, 54, things: (int)(seq % 12), sequence: seq);

    private static async Task RunAsync(MapEncoding encoding)
    {
        await using var harness = new PublisherHarness(new PublisherOptions { Endpoint = "tcp://127.0.0.1:*", MapEncoding = encoding });
        string endpoint = await harness.EndpointAsync();
        string script = Path.Combine(TestAssets.RepositoryRoot, "tools", "python-subscriber", "subscribe.py");
        var start = new ProcessStartInfo(PythonSubscriberFactAttribute.Python,
            [script, "--connect", endpoint, "--stream", "s0", "--count", Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", "--timeout", "30"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process python = Process.Start(start)!;
        Task<string> stdout = python.StandardOutput.ReadToEndAsync();
        Task<string> stderr = python.StandardError.ReadToEndAsync();

        // Publish until the subscriber has what it asked for; frames sent before it connected are simply not seen.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (long seq = 0; !python.HasExited && DateTime.UtcNow < deadline; seq++)
        {
            await harness.WriteAsync(Expected(seq));
            await Task.Delay(20);
        }
        if (!python.HasExited)
        {
            python.Kill();
        }
        await python.WaitForExitAsync();
        string output = await stdout;
        Assert.True(python.ExitCode == 0, $"subscribe.py exited with {python.ExitCode}: {await stderr}");

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Count, lines.Length);
        int withCategories = 0;
        foreach (string line in lines)
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement r = doc.RootElement;
            long seq = r.GetProperty("seq").GetInt64();
            PanopticFrame expected = Expected(seq);
            Assert.Equal("s0", r.GetProperty("stream").GetString());
            Assert.Equal(expected.ImageWidth, r.GetProperty("width").GetInt32());
            Assert.Equal(expected.ImageHeight, r.GetProperty("height").GetInt32());
            Assert.Equal(expected.MapWidth, r.GetProperty("map_width").GetInt32());
            Assert.Equal(expected.MapHeight, r.GetProperty("map_height").GetInt32());
            Assert.Equal(encoding == MapEncoding.Rle16 ? "rle16" : "raw16", r.GetProperty("encoding").GetString());
            Assert.Equal(expected.CaptureUtcNs, r.GetProperty("capture_time_unix_ns").GetInt64());
            Assert.Equal(MapSha256(expected.Map), r.GetProperty("map_sha256").GetString());
            JsonElement stages = r.GetProperty("stage_ns");
            for (int s = 0; s < (int)PipelineStage.Published; s++)
            {
                Assert.Equal(expected.StageNs[s], stages[s].GetInt64());
            }
            Assert.True(stages[(int)PipelineStage.Published].GetInt64() > 0);

            JsonElement segments = r.GetProperty("segments");
            Assert.Equal(expected.SegmentCount, segments.GetArrayLength());
            bool hasCategories = r.GetProperty("has_categories").GetBoolean();
            withCategories += hasCategories ? 1 : 0;
            for (int i = 0; i < expected.SegmentCount; i++)
            {
                PanopticSegment e = expected.Segments[i];
                JsonElement a = segments[i];
                Assert.Equal(e.Id, a.GetProperty("id").GetInt32());
                Assert.Equal(e.CategoryId, a.GetProperty("category").GetInt32());
                Assert.Equal(e.IsThing, a.GetProperty("is_thing").GetBoolean());
                Assert.Equal(e.TrackId, a.GetProperty("track_id").GetInt32());
                Assert.Equal(e.Score, a.GetProperty("score").GetSingle());
                Assert.Equal([e.BboxX, e.BboxY, e.BboxWidth, e.BboxHeight], a.GetProperty("bbox").EnumerateArray().Select(v => v.GetSingle()));
                Assert.Equal(e.Area, a.GetProperty("area").GetInt32());
                Assert.Equal([e.CentroidX, e.CentroidY], a.GetProperty("centroid").EnumerateArray().Select(v => v.GetSingle()));
                Assert.Equal([e.VelocityX, e.VelocityY], a.GetProperty("velocity").EnumerateArray().Select(v => v.GetSingle()));
                Assert.Equal(e.AgeFrames, a.GetProperty("age").GetInt32());
                Assert.Equal(e.Flags.HasFlag(SegmentFlags.BoxMask), a.GetProperty("box_mask").GetBoolean());
                if (hasCategories)
                {
                    SyntheticScene.Categories.TryGet(e.CategoryId, out Category c);
                    Assert.Equal(c.Name, a.GetProperty("category_name").GetString());
                }
            }
        }
        // The table answers the subscription at once, so at most the very first frames can lack it.
        Assert.True(withCategories >= Count - 2, $"only {withCategories} of {Count} frames had their category table");
    }

    private static string MapSha256(ReadOnlySpan<ushort> map)
    {
        byte[] bytes = new byte[map.Length * 2];
        for (int i = 0; i < map.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), map[i]);
        }
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
