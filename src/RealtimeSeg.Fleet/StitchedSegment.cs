using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Fleet;

/// <summary>One job's tracker rows (MOT frame = source sequence + 1), as the stitcher reads them.</summary>
internal sealed record StitchedSegment(FleetJob Job, IReadOnlyList<MotRecord> Rows);
