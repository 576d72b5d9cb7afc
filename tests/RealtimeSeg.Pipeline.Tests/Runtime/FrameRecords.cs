using System.Globalization;
using System.Text;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>What the pipeline tests record per frame with <see cref="FrameRecordSink{T}"/>.</summary>
internal static class FrameRecords
{
    /// <summary>
    /// One line per frame: the stream and sequence, then every segment's category, track, box and area — so two runs
    /// can be compared line by line.
    /// </summary>
    public static FrameRecordSink<string> Segments() => new("segment-list", static f => Describe(f.Panoptic));

    /// <summary>Each frame's <see cref="FrameWork.CameraMotionNs"/>.</summary>
    public static FrameRecordSink<long> CameraMotionTimes() => new("camera-motion-times", static f => f.Work.CameraMotionNs);

    private static string Describe(PanopticFrame frame)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{frame.StreamIndex}/{frame.Sequence}:");
        for (int i = 0; i < frame.SegmentCount; i++)
        {
            PanopticSegment s = frame.Segments[i];
            line.Append(CultureInfo.InvariantCulture, $" c{s.CategoryId} t{s.TrackId} [{s.BboxX} {s.BboxY} {s.BboxWidth} {s.BboxHeight}] a{s.Area}");
        }
        return line.ToString();
    }
}
