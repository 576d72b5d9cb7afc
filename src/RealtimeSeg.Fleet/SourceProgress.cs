namespace RealtimeSeg.Fleet;

/// <summary>One submitted source's segments.</summary>
public sealed record SourceProgress(string Source, int Segments, int Done, int Failed);
