using System.Buffers;
using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Synthetic;
using RealtimeSeg.Web.Viewer;

namespace RealtimeSeg.Benchmarks.Web;

/// <summary>
/// What the live viewer's server does per frame, for the two ways of getting a frame to the browser (docs/benchmarks.md,
/// "Live viewer"): <see cref="JpegPlusMessagePacket"/> — the chosen one — copies the camera JPEG and the wire message
/// the pipeline already made into one packet (the browser decodes the map and draws); <see cref="PreRenderedOverlayJpeg"/>
/// draws the overlay on the server (stuff blended at 0.40, things filled at 0.25 and outlined in their track colour, at
/// the 640x360 image size) and encodes the result as JPEG at the same quality — without labels and trails, so it is a
/// lower bound of that design's cost. Frames: 32 of the synthetic drive at 1280x720, the camera image scaled to 640x360
/// as the <c>images:</c> defaults do, the map its ground truth at map_divisor 2 (640x360), rle16. The bytes of both
/// packets are printed once at set-up (the "bytes" lines of the log).
/// </summary>
[MemoryDiagnoser]
public class ViewerTransportBenchmarks
{
    private const int Frames = 32;
    private const int Quality = 80;
    private const int Width = 640, Height = 360;

    private readonly byte[][] _jpeg = new byte[Frames][];
    private readonly byte[][] _message = new byte[Frames][];
    private readonly Mat[] _camera = new Mat[Frames];
    private readonly PanopticFrame[] _panoptic = new PanopticFrame[Frames];
    private readonly int[] _encodeParameters = [(int)ImwriteFlags.JpegQuality, Quality];
    private byte[] _packet = new byte[1 << 20];
    private Mat _canvas = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var options = new SyntheticDriveOptions { Seed = 1, Width = 1280, Height = 720 };
        using var scene = new SyntheticDriveScene(options);
        SyntheticGroundTruth truth = scene.CreateGroundTruth();
        var full = new PanopticFrame();
        var serializer = new PanopticFrameSerializer(MapEncoding.Rle16);
        var output = new ArrayBufferWriter<byte>(1 << 20);
        using var frame = new Mat(options.Height, options.Width, MatType.CV_8UC3);
        long packetBytes = 0, renderedBytes = 0;
        for (int i = 0; i < Frames; i++)
        {
            scene.Render(100 + (i * 4), frame.Data, (int)frame.Step(), truth);
            _camera[i] = frame.Resize(new Size(Width, Height), 0, 0, InterpolationFlags.Area);
            Cv2.ImEncode(".jpg", _camera[i], out _jpeg[i], _encodeParameters);
            truth.CopyTo(full);
            _panoptic[i] = Downsample(full);
            output.ResetWrittenCount();
            serializer.Write(output, _panoptic[i]);
            _message[i] = output.WrittenSpan.ToArray();
            packetBytes += ViewerPacketLayout.Size(_jpeg[i].Length, _message[i].Length);
        }
        _canvas = new Mat(Height, Width, MatType.CV_8UC3);
        for (int i = 0; i < Frames; i++)
        {
            renderedBytes += ViewerPacketLayout.HeaderBytes + RenderAndEncode(i).Length;
        }
        long jpegBytes = _jpeg.Sum(j => (long)j.Length), messageBytes = _message.Sum(m => (long)m.Length);
        Console.WriteLine($"// bytes per frame: JPEG + message packet {packetBytes / Frames} (JPEG {jpegBytes / Frames}, message {messageBytes / Frames}); pre-rendered overlay JPEG packet {renderedBytes / Frames}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (Mat m in _camera)
        {
            m.Dispose();
        }
        _canvas.Dispose();
    }

    /// <summary>The chosen design: the pipeline's JPEG and wire message copied behind the packet header, once per frame for every browser.</summary>
    [Benchmark(Baseline = true)]
    public int JpegPlusMessagePacket()
    {
        int i = _next++ % Frames;
        int size = ViewerPacketLayout.Size(_jpeg[i].Length, _message[i].Length);
        if (_packet.Length < size)
        {
            _packet = new byte[size];
        }
        ViewerPacketLayout.Write(_packet, 0, _jpeg[i], Width, Height, _message[i], 0);
        return size;
    }

    /// <summary>The alternative: the overlay drawn and encoded on the server, once per frame.</summary>
    [Benchmark]
    public int PreRenderedOverlayJpeg() => RenderAndEncode(_next++ % Frames).Length;

    private byte[] RenderAndEncode(int i)
    {
        _camera[i].CopyTo(_canvas);
        PanopticFrame p = _panoptic[i];
        Span<int> fill = stackalloc int[ushort.MaxValue + 1];
        Span<int> edge = stackalloc int[ushort.MaxValue + 1];
        Span<byte> fillAlpha = stackalloc byte[ushort.MaxValue + 1];
        fill.Clear();
        edge.Clear();
        fillAlpha.Clear();
        foreach (ref readonly PanopticSegment s in p.Segments)
        {
            if (!s.IsThing)
            {
                fill[s.Id] = SyntheticCategories.Table.TryGet(s.CategoryId, out Category c) ? c.Color : Palette.ColorFor(s.CategoryId);
                fillAlpha[s.Id] = 102;
            }
            else if (s.TrackId > 0)
            {
                fill[s.Id] = edge[s.Id] = Palette.ColorFor(s.TrackId);
                fillAlpha[s.Id] = 64;
            }
            else
            {
                edge[s.Id] = SyntheticCategories.Table.TryGet(s.CategoryId, out Category c) ? c.Color : Palette.ColorFor(s.CategoryId);
            }
        }
        ReadOnlySpan<ushort> map = p.Map;
        unsafe
        {
            byte* bgr = (byte*)_canvas.Data;
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    int k = (y * Width) + x;
                    int id = map[k];
                    if (id == 0)
                    {
                        continue;
                    }
                    byte* px = bgr + (k * 3);
                    bool boundary = edge[id] != 0 && ((x > 0 && map[k - 1] != id) || (x < Width - 1 && map[k + 1] != id)
                        || (y > 0 && map[k - Width] != id) || (y < Height - 1 && map[k + Width] != id));
                    int rgb = boundary ? edge[id] : fill[id];
                    int a = boundary ? 255 : fillAlpha[id];
                    if (a == 0)
                    {
                        continue;
                    }
                    px[0] = (byte)(((rgb & 255) * a + px[0] * (255 - a)) / 255);
                    px[1] = (byte)((((rgb >> 8) & 255) * a + px[1] * (255 - a)) / 255);
                    px[2] = (byte)((((rgb >> 16) & 255) * a + px[2] * (255 - a)) / 255);
                }
            }
        }
        Cv2.ImEncode(".jpg", _canvas, out byte[] jpeg, _encodeParameters);
        return jpeg;
    }

    /// <summary>The truth at image resolution sampled every second pixel: the 640x360 map a map_divisor 2 run publishes.</summary>
    private static PanopticFrame Downsample(PanopticFrame full)
    {
        var p = new PanopticFrame(Width * Height, full.SegmentCount);
        p.Reset(Width, Height);
        p.StreamName = "front";
        p.Sequence = full.Sequence;
        p.ImageWidth = full.ImageWidth;
        p.ImageHeight = full.ImageHeight;
        p.CategoryTableVersion = full.CategoryTableVersion;
        ReadOnlySpan<ushort> src = full.Map;
        Span<ushort> dst = p.Map;
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                dst[(y * Width) + x] = src[(2 * y * full.MapWidth) + (2 * x)];
            }
        }
        foreach (ref readonly PanopticSegment s in full.Segments)
        {
            ref PanopticSegment d = ref p.AddSegment();
            d = s;
        }
        return p;
    }
}
