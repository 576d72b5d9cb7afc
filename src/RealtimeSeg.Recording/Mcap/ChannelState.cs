namespace RealtimeSeg.Recording.Mcap;

/// <summary>What the writer tracks per channel: counts for the statistics and the open chunk's message index.</summary>
internal sealed class ChannelState(McapChannel channel)
{
    private long[] _times = new long[256];
    private long[] _offsets = new long[256];

    public McapChannel Channel { get; } = channel;

    public bool WrittenToFile { get; set; }

    public long MessageCount { get; set; }

    /// <summary>Entries of the open chunk's Message Index for this channel; 0 means the channel is not in the chunk.</summary>
    public int IndexCount { get; private set; }

    public void AddIndexEntry(long logTimeNs, long offsetInChunk)
    {
        if (IndexCount == _times.Length)
        {
            Array.Resize(ref _times, IndexCount * 2);
            Array.Resize(ref _offsets, IndexCount * 2);
        }
        _times[IndexCount] = logTimeNs;
        _offsets[IndexCount] = offsetInChunk;
        IndexCount++;
    }

    /// <summary>Appends the Message Index record (channel_id, Array&lt;Tuple&lt;Timestamp, uint64&gt;&gt;) and forgets the entries.</summary>
    public int WriteIndexAndReset(ByteBuffer buffer)
    {
        int at = buffer.BeginRecord(McapOpcode.MessageIndex);
        buffer.U16(Channel.Id);
        buffer.U32((uint)(IndexCount * 16));
        for (int i = 0; i < IndexCount; i++)
        {
            buffer.U64((ulong)_times[i]);
            buffer.U64((ulong)_offsets[i]);
        }
        IndexCount = 0;
        return buffer.EndRecord(at);
    }
}
