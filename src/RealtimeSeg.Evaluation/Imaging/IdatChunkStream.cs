using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;

namespace RealtimeSeg.Evaluation.Imaging;

/// <summary>
/// A write-only stream that cuts what is written to it (the zlib stream) into IDAT chunks of up to
/// <see cref="ChunkSize"/> bytes on the underlying stream. Disposing writes the last, partial chunk.
/// </summary>
internal sealed class IdatChunkStream : Stream
{
    public const int ChunkSize = 1 << 16;

    private readonly Stream _output;
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _count;

    public IdatChunkStream(Stream output) => _output = output;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, ChunkSize - _count);
            buffer[..n].CopyTo(_buffer.AsSpan(_count));
            _count += n;
            buffer = buffer[n..];
            if (_count == ChunkSize)
            {
                EmitChunk();
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Writes one complete chunk of <paramref name="type"/> with <paramref name="data"/>.</summary>
    public static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Debug.Assert(type.Length == 4);
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(head, (uint)data.Length);
        type.CopyTo(head[4..]);
        output.Write(head);
        output.Write(data);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Append(Crc32.Compute(type), data));
        output.Write(crc);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is not null)
        {
            if (_count > 0)
            {
                EmitChunk();
            }
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
        base.Dispose(disposing);
    }

    private void EmitChunk()
    {
        Debug.Assert(_buffer is not null && _count > 0);
        WriteChunk(_output, "IDAT"u8, _buffer.AsSpan(0, _count));
        _count = 0;
    }
}
