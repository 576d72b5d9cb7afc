using RealtimeSeg.Recording.Mcap;

namespace RealtimeSeg.Recording.Tests.Support;

/// <summary>
/// Writes deterministic multi-channel recordings: a 30 fps "panoptic" channel (msgpack-like payloads of varying size),
/// a "detections" channel at the same rate and a 10 Hz "status" channel, with log times advancing 1/30 s a frame
/// and the injected clock advancing with them, so chunk closing by time follows the log times.
/// </summary>
internal static class SampleRecording
{
    public const long StartNs = 1_700_000_000_000_000_000;
    public const long FrameNs = 33_333_333;

    public static readonly string[] Topics = ["/realtimeseg/cam0/panoptic", "/realtimeseg/cam0/detections", "/realtimeseg/status"];

    /// <summary>Expected messages per topic for <paramref name="frames"/> frames.</summary>
    public static long[] ExpectedCounts(int frames) => [frames, frames, (frames + 2) / 3];

    public static void Write(string path, int frames, McapWriterOptions options, ManualClock? clock = null, int payloadBytes = 3000)
    {
        using var writer = McapWriter.Create(path, options);
        Write(writer, frames, clock, payloadBytes);
    }

    public static void Write(McapWriter writer, int frames, ManualClock? clock, int payloadBytes)
    {
        ushort schema = writer.AddSchema("realtimeseg.PanopticFrame", "x-msgpack-doc", "protocol v2"u8);
        ushort panoptic = writer.AddChannel(schema, Topics[0], "msgpack", new Dictionary<string, string> { ["stream"] = "cam0" });
        ushort detections = writer.AddChannel(0, Topics[1], "json");
        ushort status = writer.AddChannel(0, Topics[2], "json");
        var payload = new byte[payloadBytes + 255];
        for (int f = 0; f < frames; f++)
        {
            long t = StartNs + (f * FrameNs);
            Fill(payload, f);
            writer.Write(panoptic, (uint)f, t, t + 1000, payload.AsSpan(0, payloadBytes + (f % 255)));
            writer.Write(detections, (uint)f, t, t, payload.AsSpan(0, 200 + (f % 50)));
            if (f % 3 == 0)
            {
                writer.Write(status, (uint)(f / 3), t, t, "{\"ok\":true}"u8);
            }
            clock?.Advance(TimeSpan.FromTicks(FrameNs / 100));
        }
    }

    /// <summary>Compressible but not trivial content that identifies its frame.</summary>
    public static void Fill(byte[] payload, int frame)
    {
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)((i % 64 == 0) ? frame : (i * 7) ^ (frame & 0x0F));
        }
        BitConverter.TryWriteBytes(payload, frame);
    }
}
