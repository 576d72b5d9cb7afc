using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking;

/// <summary>A track as seen after the latest <see cref="ByteTracker.Update"/>.</summary>
/// <param name="TrackId">Persistent id ≥ 1.</param>
/// <param name="ClassId">Class of the detection that created (or, with class-agnostic matching, last updated) the track.</param>
/// <param name="Box">The Kalman-filtered box, image pixels.</param>
/// <param name="VelocityX">Filtered box-centre velocity, pixels per frame.</param>
/// <param name="VelocityY">As <paramref name="VelocityX"/>, vertically.</param>
/// <param name="AgeFrames">Frames since the track's first detection.</param>
/// <param name="Score">Score of the detection matched on the latest frame.</param>
/// <param name="State">Always <see cref="TrackState.Tracked"/> for <see cref="ByteTracker.ActiveTracks"/>.</param>
public readonly record struct TrackSnapshot(int TrackId, int ClassId, BoundingBox Box, float VelocityX, float VelocityY, int AgeFrames, float Score, TrackState State);
