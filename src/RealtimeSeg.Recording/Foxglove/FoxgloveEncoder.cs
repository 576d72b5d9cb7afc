using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace RealtimeSeg.Recording.Foxglove;

/// <summary>
/// Writes <c>foxglove.CompressedImage</c> and <c>foxglove.ImageAnnotations</c> messages as protobuf wire bytes
/// (field numbers from Foxglove's .proto files, tools/foxglove-schemas/proto), without allocating: sizes are computed
/// first and the message is written into one span of the caller's <see cref="IBufferWriter{T}"/>.
/// </summary>
public static class FoxgloveEncoder
{
    // foxglove.CompressedImage
    private const int ImageTimestamp = 1, ImageData = 2, ImageFormat = 3, ImageFrameId = 4;

    // foxglove.ImageAnnotations
    private const int AnnotationsPoints = 2, AnnotationsTexts = 3, AnnotationsTimestamp = 5;

    // foxglove.PointsAnnotation
    private const int PointsTimestamp = 1, PointsType = 2, PointsPoints = 3, PointsOutlineColor = 4, PointsThickness = 7;
    private const ulong PointsTypeLineLoop = 2;

    // foxglove.TextAnnotation
    private const int TextTimestamp = 1, TextPosition = 2, TextText = 3, TextFontSize = 4, TextColor = 5, TextBackground = 6;

    // google.protobuf.Timestamp, foxglove.Point2 (x, y), foxglove.Color (r, g, b, a)
    private const int TimestampSeconds = 1, TimestampNanos = 2;
    private const int Point2Size = 2 * (1 + 8);
    private const int ColorSize = 4 * (1 + 8);

    private static ReadOnlySpan<byte> TrackPrefix => " #"u8;

    /// <summary>Writes a <c>foxglove.CompressedImage</c>.</summary>
    /// <param name="output">Receives the message bytes.</param>
    /// <param name="timeNs">The image's time, ns since the Unix epoch (Foxglove shows it as the message's timestamp).</param>
    /// <param name="frameId">The camera's frame of reference, e.g. the stream name.</param>
    /// <param name="image">The encoded image.</param>
    /// <param name="format"><c>jpeg</c>, <c>png</c>, <c>webp</c> or <c>avif</c>.</param>
    /// <returns>Bytes written.</returns>
    public static int WriteCompressedImage(IBufferWriter<byte> output, long timeNs, string frameId, ReadOnlySpan<byte> image, string format = "jpeg")
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(frameId);
        ArgumentNullException.ThrowIfNull(format);
        int timestamp = TimestampSize(timeNs);
        int frameIdBytes = Encoding.UTF8.GetByteCount(frameId);
        int formatBytes = Encoding.UTF8.GetByteCount(format);
        int size = ProtoWire.LenFieldSize(ImageTimestamp, timestamp) + ProtoWire.LenFieldSize(ImageData, image.Length)
            + ProtoWire.LenFieldSize(ImageFormat, formatBytes) + ProtoWire.LenFieldSize(ImageFrameId, frameIdBytes);

        Span<byte> span = output.GetSpan(size);
        int p = 0;
        ProtoWire.LenHeader(span, ref p, ImageTimestamp, timestamp);
        Timestamp(span, ref p, timeNs);
        ProtoWire.Bytes(span, ref p, ImageData, image);
        String(span, ref p, ImageFormat, format, formatBytes);
        String(span, ref p, ImageFrameId, frameId, frameIdBytes);
        output.Advance(p);
        return p;
    }

    /// <summary>
    /// Writes a <c>foxglove.ImageAnnotations</c>: per box a closed outline (a LINE_LOOP PointsAnnotation) and a text
    /// "label #track" on the box's colour at its top-left corner.
    /// </summary>
    /// <param name="output">Receives the message bytes.</param>
    /// <param name="timeNs">Must equal the image's timestamp: Foxglove pairs annotations with the image of the same time.</param>
    /// <param name="boxes">The objects.</param>
    /// <param name="lineThickness">Outline width, pixels.</param>
    /// <param name="fontSize">Label height, pixels.</param>
    /// <returns>Bytes written.</returns>
    public static int WriteImageAnnotations(IBufferWriter<byte> output, long timeNs, ReadOnlySpan<ImageAnnotationBox> boxes, double lineThickness = 2, double fontSize = 14)
    {
        ArgumentNullException.ThrowIfNull(output);
        int timestamp = TimestampSize(timeNs);
        int size = ProtoWire.LenFieldSize(AnnotationsTimestamp, timestamp);
        int pointsSize = PointsAnnotationSize(timestamp);
        foreach (ImageAnnotationBox box in boxes)
        {
            size += ProtoWire.LenFieldSize(AnnotationsPoints, pointsSize)
                + ProtoWire.LenFieldSize(AnnotationsTexts, TextAnnotationSize(timestamp, TextByteCount(box)));
        }

        Span<byte> span = output.GetSpan(size);
        int p = 0;
        ProtoWire.LenHeader(span, ref p, AnnotationsTimestamp, timestamp);
        Timestamp(span, ref p, timeNs);
        foreach (ImageAnnotationBox box in boxes)
        {
            ProtoWire.LenHeader(span, ref p, AnnotationsPoints, pointsSize);
            ProtoWire.LenHeader(span, ref p, PointsTimestamp, timestamp);
            Timestamp(span, ref p, timeNs);
            ProtoWire.VarintField(span, ref p, PointsType, PointsTypeLineLoop);
            double left = box.X, top = box.Y, right = box.X + box.Width, bottom = box.Y + box.Height;
            Point(span, ref p, PointsPoints, left, top);
            Point(span, ref p, PointsPoints, right, top);
            Point(span, ref p, PointsPoints, right, bottom);
            Point(span, ref p, PointsPoints, left, bottom);
            Color(span, ref p, PointsOutlineColor, box.Color);
            ProtoWire.Double(span, ref p, PointsThickness, lineThickness);
        }
        foreach (ImageAnnotationBox box in boxes)
        {
            int textBytes = TextByteCount(box);
            ProtoWire.LenHeader(span, ref p, AnnotationsTexts, TextAnnotationSize(timestamp, textBytes));
            ProtoWire.LenHeader(span, ref p, TextTimestamp, timestamp);
            Timestamp(span, ref p, timeNs);
            Point(span, ref p, TextPosition, box.X, box.Y);
            ProtoWire.LenHeader(span, ref p, TextText, textBytes);
            p += WriteText(span[p..], box);
            ProtoWire.Double(span, ref p, TextFontSize, fontSize);
            Color(span, ref p, TextColor, new AnnotationColor(255, 255, 255));
            Color(span, ref p, TextBackground, box.Color);
        }
        output.Advance(p);
        return p;
    }

    private static int PointsAnnotationSize(int timestamp) =>
        ProtoWire.LenFieldSize(PointsTimestamp, timestamp) + ProtoWire.VarintFieldSize(PointsType, PointsTypeLineLoop)
        + (4 * ProtoWire.LenFieldSize(PointsPoints, Point2Size)) + ProtoWire.LenFieldSize(PointsOutlineColor, ColorSize)
        + ProtoWire.DoubleFieldSize(PointsThickness);

    private static int TextAnnotationSize(int timestamp, int textBytes) =>
        ProtoWire.LenFieldSize(TextTimestamp, timestamp) + ProtoWire.LenFieldSize(TextPosition, Point2Size)
        + ProtoWire.LenFieldSize(TextText, textBytes) + ProtoWire.DoubleFieldSize(TextFontSize)
        + ProtoWire.LenFieldSize(TextColor, ColorSize) + ProtoWire.LenFieldSize(TextBackground, ColorSize);

    private static int TextByteCount(ImageAnnotationBox box)
    {
        int count = box.Label is null ? 0 : Encoding.UTF8.GetByteCount(box.Label);
        if (box.TrackId > 0)
        {
            count += TrackPrefix.Length + DecimalDigits(box.TrackId);
        }
        return count;
    }

    private static int WriteText(Span<byte> span, ImageAnnotationBox box)
    {
        int written = box.Label is null ? 0 : Encoding.UTF8.GetBytes(box.Label, span);
        if (box.TrackId > 0)
        {
            TrackPrefix.CopyTo(span[written..]);
            written += TrackPrefix.Length;
            Utf8Formatter.TryFormat(box.TrackId, span[written..], out int digits);
            written += digits;
        }
        return written;
    }

    private static int DecimalDigits(long value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }

    private static (long Seconds, int Nanos) SplitTime(long timeNs)
    {
        long seconds = Math.DivRem(timeNs, 1_000_000_000L, out long nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000L;
        }
        return (seconds, (int)nanos);
    }

    // proto3 leaves zero fields out; a negative seconds value is sent as its two's-complement varint (int64).
    private static int TimestampSize(long timeNs)
    {
        (long seconds, int nanos) = SplitTime(timeNs);
        return (seconds != 0 ? ProtoWire.VarintFieldSize(TimestampSeconds, (ulong)seconds) : 0)
            + (nanos != 0 ? ProtoWire.VarintFieldSize(TimestampNanos, (ulong)nanos) : 0);
    }

    private static void Timestamp(Span<byte> span, ref int p, long timeNs)
    {
        (long seconds, int nanos) = SplitTime(timeNs);
        if (seconds != 0)
        {
            ProtoWire.VarintField(span, ref p, TimestampSeconds, (ulong)seconds);
        }
        if (nanos != 0)
        {
            ProtoWire.VarintField(span, ref p, TimestampNanos, (ulong)nanos);
        }
    }

    private static void Point(Span<byte> span, ref int p, int field, double x, double y)
    {
        ProtoWire.LenHeader(span, ref p, field, Point2Size);
        ProtoWire.Double(span, ref p, 1, x);
        ProtoWire.Double(span, ref p, 2, y);
    }

    private static void Color(Span<byte> span, ref int p, int field, AnnotationColor color)
    {
        ProtoWire.LenHeader(span, ref p, field, ColorSize);
        ProtoWire.Double(span, ref p, 1, color.R / 255.0);
        ProtoWire.Double(span, ref p, 2, color.G / 255.0);
        ProtoWire.Double(span, ref p, 3, color.B / 255.0);
        ProtoWire.Double(span, ref p, 4, color.A / 255.0);
    }

    private static void String(Span<byte> span, ref int p, int field, string value, int byteCount)
    {
        ProtoWire.LenHeader(span, ref p, field, byteCount);
        p += Encoding.UTF8.GetBytes(value, span[p..]);
    }
}
