using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking.Tests;

/// <summary>Small helpers to drive a tracker through hand-made scenes.</summary>
internal static class Scene
{
    public const int Car = 2;
    public const int Person = 0;

    public static Detection Det(float cx, float cy, float w = 40f, float h = 80f, float score = 0.9f, int classId = Car)
        => new(BoundingBox.FromCenter(cx, cy, w, h), classId, score, -1);

    /// <summary>Runs one frame and returns a copy of the assignments.</summary>
    public static TrackInfo[] Step(ByteTracker tracker, long frame, params Detection[] detections)
    {
        var result = new TrackInfo[detections.Length];
        tracker.Update(detections, frame, result);
        return result;
    }
}
