using System.Buffers;

namespace RealtimeSeg.Protocol.Tests.Support;

/// <summary>Splits a payload into a multi-segment <see cref="ReadOnlySequence{T}"/>, as a pipe would deliver it.</summary>
public static class ChunkedSequence
{
    public static ReadOnlySequence<byte> Create(byte[] payload, int chunkSize)
    {
        Segment first = new(payload.AsMemory(0, Math.Min(chunkSize, payload.Length)), 0);
        Segment last = first;
        for (int offset = chunkSize; offset < payload.Length; offset += chunkSize)
        {
            last = last.Append(payload.AsMemory(offset, Math.Min(chunkSize, payload.Length - offset)));
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
