using System.Globalization;
using System.Text.Json;
using RealtimeSeg.Core;

namespace RealtimeSeg.Cli;

/// <summary>
/// What <c>realtimeseg subscribe</c> prints per received frame, whichever transport brought it (ZeroMQ or the NATS
/// bridge): with <c>--json</c> one object of DESIGN §5 per line on stdout, else one readable line.
/// </summary>
internal sealed class FrameLinePrinter : IDisposable
{
    private readonly bool _json;
    private readonly Stream _stdout;
    private readonly Utf8JsonWriter _writer;

    public FrameLinePrinter(bool json)
    {
        _json = json;
        _stdout = Console.OpenStandardOutput();
        _writer = new Utf8JsonWriter(_stdout);
    }

    /// <summary>Prints <paramref name="f"/> (received at <paramref name="receiveUtcNs"/>, <paramref name="latencyMs"/> after its capture).</summary>
    public void Print(PanopticFrame f, CategoryTable? categories, long receiveUtcNs, double latencyMs)
    {
        if (!_json)
        {
            Console.Out.WriteLine(Describe(f, categories, latencyMs));
            return;
        }
        WriteJson(_writer, f, categories, receiveUtcNs, latencyMs);
        _writer.Flush();
        _writer.Reset();
        _stdout.WriteByte((byte)'\n');
        _stdout.Flush();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _stdout.Dispose();
    }

    /// <summary>The per-frame JSON of DESIGN §5.</summary>
    private static void WriteJson(Utf8JsonWriter w, PanopticFrame f, CategoryTable? categories, long receiveUtcNs, double latencyMs)
    {
        w.WriteStartObject();
        w.WriteString("stream", f.StreamName);
        w.WriteNumber("seq", f.Sequence);
        w.WriteNumber("width", f.ImageWidth);
        w.WriteNumber("height", f.ImageHeight);
        w.WriteNumber("map_width", f.MapWidth);
        w.WriteNumber("map_height", f.MapHeight);
        w.WriteNumber("capture_time_unix_ns", f.CaptureUtcNs);
        w.WriteNumber("receive_time_unix_ns", receiveUtcNs);
        w.WriteNumber("media_ns", f.MediaNs);
        w.WriteString("run", f.Run);
        w.WriteNumber("latency_ms", Math.Round(latencyMs, 3));
        w.WriteStartArray("segments");
        foreach (ref readonly PanopticSegment s in f.Segments)
        {
            w.WriteStartObject();
            w.WriteNumber("id", s.Id);
            w.WriteNumber("category", s.CategoryId);
            Category? category = null;
            categories?.TryGet(s.CategoryId, out category);
            w.WriteString("category_name", category?.Name ?? "");
            w.WriteBoolean("is_thing", s.IsThing);
            w.WriteNumber("track_id", s.TrackId);
            w.WriteNumber("score", Math.Round(s.Score, 4));
            w.WriteStartArray("bbox");
            w.WriteNumberValue(Math.Round(s.BboxX, 1));
            w.WriteNumberValue(Math.Round(s.BboxY, 1));
            w.WriteNumberValue(Math.Round(s.BboxWidth, 1));
            w.WriteNumberValue(Math.Round(s.BboxHeight, 1));
            w.WriteEndArray();
            w.WriteNumber("area", s.Area);
            w.WriteStartArray("centroid");
            w.WriteNumberValue(Math.Round(s.CentroidX, 1));
            w.WriteNumberValue(Math.Round(s.CentroidY, 1));
            w.WriteEndArray();
            w.WriteStartArray("velocity");
            w.WriteNumberValue(Math.Round(s.VelocityX, 2));
            w.WriteNumberValue(Math.Round(s.VelocityY, 2));
            w.WriteEndArray();
            w.WriteNumber("age", s.AgeFrames);
            w.WriteBoolean("box_mask", (s.Flags & SegmentFlags.BoxMask) != 0);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string Describe(PanopticFrame f, CategoryTable? categories, double latencyMs)
    {
        var parts = new List<string>();
        foreach (ref readonly PanopticSegment s in f.Segments)
        {
            Category? category = null;
            categories?.TryGet(s.CategoryId, out category);
            string name = category?.Name ?? s.CategoryId.ToString(CultureInfo.InvariantCulture);
            parts.Add(s.IsThing && s.TrackId > 0 ? $"{name}#{s.TrackId}" : name);
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{f.StreamName} seq {f.Sequence} {f.ImageWidth}x{f.ImageHeight} latency {latencyMs:0.0} ms: {f.SegmentCount} segments [{string.Join(", ", parts)}]");
    }
}
