using System.Buffers;
using RealtimeSeg.Recording.Foxglove;

namespace RealtimeSeg.Pipeline.Recorder;

/// <summary>
/// The latest camera JPEG of each stream of a replayed recording (its <c>/realtimeseg/&lt;stream&gt;/image</c>
/// channel, a <c>foxglove.CompressedImage</c> recorded with its frame's sequence number), held until that frame is
/// played. Buffers grow to the largest image and are reused.
/// </summary>
internal sealed class RecordedImages
{
    private readonly byte[][] _jpeg;
    private readonly int[] _length;
    private readonly uint[] _sequence;

    public RecordedImages(int streams)
    {
        _jpeg = new byte[streams][];
        _length = new int[streams];
        _sequence = new uint[streams];
        for (int i = 0; i < streams; i++)
        {
            _jpeg[i] = [];
        }
    }

    /// <summary>Keeps the JPEG in <paramref name="compressedImage"/> (a message of another format is ignored).</summary>
    public void Keep(int stream, uint sequence, ReadOnlySpan<byte> compressedImage)
    {
        if (!FoxgloveDecoder.TryReadJpeg(compressedImage, out ReadOnlySpan<byte> jpeg))
        {
            _length[stream] = 0;
            return;
        }
        if (_jpeg[stream].Length < jpeg.Length)
        {
            _jpeg[stream] = new byte[jpeg.Length];
        }
        jpeg.CopyTo(_jpeg[stream]);
        _length[stream] = jpeg.Length;
        _sequence[stream] = sequence;
    }

    /// <summary>Writes the JPEG of frame <paramref name="sequence"/> into <paramref name="output"/> when one was recorded for it.</summary>
    public void CopyTo(int stream, long sequence, IBufferWriter<byte> output)
    {
        if (_length[stream] == 0 || _sequence[stream] != unchecked((uint)sequence))
        {
            return;
        }
        _jpeg[stream].AsSpan(0, _length[stream]).CopyTo(output.GetSpan(_length[stream]));
        output.Advance(_length[stream]);
    }
}
