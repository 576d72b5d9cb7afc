using System.Buffers;
using System.Globalization;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Runtime.Images;
using RealtimeSeg.Protocol;
using RealtimeSeg.Recording.Foxglove;
using RealtimeSeg.Recording.Mcap;

namespace RealtimeSeg.Pipeline.Recorder;

/// <summary>
/// Writes a RealtimeSeg recording (MCAP, docs/recording.md): per stream the exact wire messages — the lossless
/// channels replay and <c>eval</c> read — and Foxglove channels for people: the camera image, the colourised panoptic
/// map and each thing's box, track id and class. Used by the in-process <c>--record</c> sink and by <c>realtimeseg
/// record</c>, which feed it the same frames. Chunks close at least once a second (<see cref="McapWriterOptions.ChunkDuration"/>)
/// and go to the OS then, so a <c>kill -9</c> loses at most the last chunk. One thread at a time.
/// </summary>
public sealed class RecordingWriter : IDisposable
{
    private readonly McapWriter _writer;
    private readonly Dictionary<string, StreamChannels> _streams = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _scratch = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _jpeg = new(64 * 1024);
    private readonly JpegEncoder _jpegEncoder;
    private ImageAnnotationBox[] _boxes = new ImageAnnotationBox[64];
    private bool _closed;

    /// <param name="path">The .mcap file (created or replaced).</param>
    /// <param name="options">MCAP options (compression, chunking); the defaults: zstd, 1 MiB or 1 s chunks.</param>
    /// <param name="jpegQuality">Quality of the colourised map's JPEG.</param>
    public RecordingWriter(string path, McapWriterOptions? options = null, int jpegQuality = 80)
    {
        ArgumentNullException.ThrowIfNull(path);
        string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        Path = path;
        _writer = McapWriter.Create(path, options ?? DefaultOptions);
        _jpegEncoder = new JpegEncoder(jpegQuality);
    }

    /// <summary>Our header (profile and library "realtimeseg"), zstd, chunks of 1 MiB or 1 s.</summary>
    public static McapWriterOptions DefaultOptions { get; } = new() { Profile = "realtimeseg", Library = "realtimeseg" };

    public string Path { get; }

    /// <summary>Frames written (panoptic messages), all streams.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>
    /// Adds a stream's channels and writes its category table once (at <paramref name="logTimeNs"/>), so the recording
    /// holds what a late joiner of the live stream would need.
    /// </summary>
    public void AddStream(string stream, CategoryTable categories, long logTimeNs)
    {
        ArgumentNullException.ThrowIfNull(categories);
        WireFormat.ThrowIfInvalidStreamName(stream);
        if (_streams.ContainsKey(stream))
        {
            return;
        }
        var metadata = new Dictionary<string, string> { ["stream"] = stream, ["protocol_version"] = WireFormat.SchemaVersion.ToString(CultureInfo.InvariantCulture) };
        ushort frameSchema = _writer.AddSchema(RecordingTopics.FrameSchema, "", ReadOnlySpan<byte>.Empty);
        ushort metaSchema = _writer.AddSchema(RecordingTopics.MetaSchema, "", ReadOnlySpan<byte>.Empty);
        ushort endSchema = _writer.AddSchema(RecordingTopics.EndSchema, "", ReadOnlySpan<byte>.Empty);
        var channels = new StreamChannels(
            stream,
            categories,
            _writer.AddChannel(frameSchema, RecordingTopics.Panoptic(stream), RecordingTopics.MessagePack, metadata),
            _writer.AddChannel(metaSchema, RecordingTopics.Meta(stream), RecordingTopics.MessagePack, metadata),
            _writer.AddChannel(endSchema, RecordingTopics.End(stream), RecordingTopics.MessagePack, metadata),
            FoxgloveSchemas.AddCompressedImageChannel(_writer, RecordingTopics.Image(stream), metadata),
            FoxgloveSchemas.AddCompressedImageChannel(_writer, RecordingTopics.PanopticImage(stream), metadata),
            FoxgloveSchemas.AddImageAnnotationsChannel(_writer, RecordingTopics.Annotations(stream), metadata));
        _streams.Add(stream, channels);
        WriteMeta(stream, CategoryTableSerializer.ToArray(stream, categories), logTimeNs);
    }

    /// <summary>Writes a stream's category table message (again: a table can change mid-run).</summary>
    public void WriteMeta(string stream, ReadOnlySpan<byte> message, long logTimeNs)
    {
        StreamChannels c = Channels(stream);
        _writer.Write(c.Meta, c.NextMeta++, logTimeNs, logTimeNs, message);
    }

    /// <summary>
    /// Writes one frame: its wire message as is, and for Foxglove the colourised map and the things' boxes (in the
    /// pixels of an image <paramref name="imageWidth"/> × <paramref name="imageHeight"/>: the camera image's size).
    /// Log time is the capture time (UTC ns); publish time is when the recording received it (now), which is what
    /// bounds a crash's loss.
    /// </summary>
    public void WriteFrame(PanopticFrame frame, ReadOnlySpan<byte> message, int imageWidth, int imageHeight)
    {
        ArgumentNullException.ThrowIfNull(frame);
        StreamChannels c = Channels(frame.StreamName);
        long time = frame.CaptureUtcNs, received = MonotonicClock.UtcNowNs();
        uint sequence = unchecked((uint)frame.Sequence);
        _writer.Write(c.Panoptic, sequence, time, received, message);
        FramesWritten++;

        if (frame.MapWidth > 0 && frame.MapHeight > 0)
        {
            ReadOnlySpan<byte> bgr = c.Colorizer.Paint(frame);
            _jpeg.ResetWrittenCount();
            unsafe
            {
                fixed (byte* p = bgr)
                {
                    _jpegEncoder.Encode((IntPtr)p, frame.MapWidth, frame.MapHeight, frame.MapWidth * 3, _jpeg);
                }
            }
            _scratch.ResetWrittenCount();
            FoxgloveEncoder.WriteCompressedImage(_scratch, time, frame.StreamName, _jpeg.WrittenSpan);
            _writer.Write(c.PanopticImage, sequence, time, received, _scratch.WrittenSpan);
        }

        int width = imageWidth > 0 ? imageWidth : frame.ImageWidth;
        int height = imageHeight > 0 ? imageHeight : frame.ImageHeight;
        float sx = frame.ImageWidth > 0 ? (float)width / frame.ImageWidth : 1f;
        float sy = frame.ImageHeight > 0 ? (float)height / frame.ImageHeight : 1f;
        int boxes = 0;
        foreach (ref readonly PanopticSegment s in frame.Segments)
        {
            if (!s.IsThing)
            {
                continue;
            }
            if (boxes == _boxes.Length)
            {
                Array.Resize(ref _boxes, _boxes.Length * 2);
            }
            string label = c.Categories.TryGet(s.CategoryId, out Category category) ? category.Name : c.Unknown;
            _boxes[boxes++] = new ImageAnnotationBox(s.BboxX * sx, s.BboxY * sy, s.BboxWidth * sx, s.BboxHeight * sy, s.TrackId, label,
                AnnotationColor.FromRgb(c.Colorizer.ColorOf(s)));
        }
        _scratch.ResetWrittenCount();
        FoxgloveEncoder.WriteImageAnnotations(_scratch, time, _boxes.AsSpan(0, boxes));
        _writer.Write(c.Annotations, sequence, time, received, _scratch.WrittenSpan);
    }

    /// <summary>Writes the camera frame the model saw (JPEG) for Foxglove.</summary>
    public void WriteImage(string stream, long sequence, long utcNs, ReadOnlySpan<byte> jpeg)
    {
        StreamChannels c = Channels(stream);
        _scratch.ResetWrittenCount();
        FoxgloveEncoder.WriteCompressedImage(_scratch, utcNs, stream, jpeg);
        _writer.Write(c.Image, unchecked((uint)sequence), utcNs, MonotonicClock.UtcNowNs(), _scratch.WrittenSpan);
    }

    /// <summary>Writes a stream's end-of-stream message.</summary>
    public void WriteEnd(string stream, ReadOnlySpan<byte> message, long logTimeNs)
    {
        StreamChannels c = Channels(stream);
        _writer.Write(c.End, 0, logTimeNs, logTimeNs, message);
    }

    /// <summary>Closes a chunk that has been open longer than the chunk duration (call when idle, so a stalled run is on disk too).</summary>
    public void FlushIfDue() => _writer.FlushIfDue();

    /// <summary>Writes the summary and footer: the file is then closed cleanly (indexed readers open it at once).</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }
        _closed = true;
        _writer.Close();
    }

    public void Dispose()
    {
        Close();
        _writer.Dispose();
        _jpegEncoder.Dispose();
    }

    private StreamChannels Channels(string stream)
        => _streams.TryGetValue(stream, out StreamChannels? c) ? c : throw new InvalidOperationException($"stream '{stream}' was not added to the recording");

    /// <summary>A stream's channel ids and what drawing it needs.</summary>
    private sealed class StreamChannels(string stream, CategoryTable categories, ushort panoptic, ushort meta, ushort end, ushort image, ushort panopticImage, ushort annotations)
    {
        public string Stream { get; } = stream;
        public CategoryTable Categories { get; } = categories;
        public ushort Panoptic { get; } = panoptic;
        public ushort Meta { get; } = meta;
        public ushort End { get; } = end;
        public ushort Image { get; } = image;
        public ushort PanopticImage { get; } = panopticImage;
        public ushort Annotations { get; } = annotations;
        public uint NextMeta { get; set; }
        public PanopticColorizer Colorizer { get; } = new(categories);

        /// <summary>Label of a thing whose category is not in the table.</summary>
        public string Unknown { get; } = "?";
    }
}
