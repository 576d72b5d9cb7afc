namespace RealtimeSeg.Recording.Mcap;

/// <summary>One loaded chunk's messages in log-time order (file order among equal times): a cursor of the reader's merge.</summary>
internal sealed class ChunkMessages
{
    private readonly List<McapMessage> _messages;
    private readonly int _order;
    private int _position;

    public ChunkMessages(List<McapMessage> messages, int order)
    {
        _order = order;
        bool sorted = true;
        for (int i = 1; i < messages.Count && sorted; i++)
        {
            sorted = messages[i - 1].LogTimeNs <= messages[i].LogTimeNs;
        }
        // OrderBy is stable, which List.Sort is not; out-of-order chunks are rare (several publishers' clocks).
        _messages = sorted ? messages : [.. messages.OrderBy(static m => m.LogTimeNs)];
    }

    public bool HasCurrent => _position < _messages.Count;

    public McapMessage Current => _messages[_position];

    /// <summary>Merge order: log time, then the chunk's place in the file, then the message's place in the chunk.</summary>
    public (long Time, int Order, int Index) Key => (Current.LogTimeNs, _order, _position);

    public void MoveNext() => _position++;
}
