namespace RealtimeSeg.Recording.Mcap;

/// <summary>A problem a tolerant reader stepped over (e.g. a chunk whose CRC does not match), at a file offset.</summary>
public readonly record struct McapProblem(long Offset, string Message)
{
    public override string ToString() => $"offset {Offset}: {Message}";
}
