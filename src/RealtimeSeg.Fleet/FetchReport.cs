namespace RealtimeSeg.Fleet;

/// <summary>What <c>fleet fetch</c> wrote: the stitched files and how each boundary was joined.</summary>
public sealed record FetchReport(string Source, int Segments, int Tracks, long Rows, long PanopticFrames, IReadOnlyList<SegmentJoin> Joins);
