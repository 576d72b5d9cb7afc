using System.Runtime.InteropServices;
using RealtimeSeg.Core;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.Tracking;

namespace RealtimeSeg.Pipeline.Offline;

/// <summary>
/// The project's tracker on detections read from a file (<c>realtimeseg track</c>): the same <see cref="ByteTracker"/>
/// the live pipeline runs, fed frame by frame, so the tracker can be measured on any benchmark's public detections
/// separately from any model. Offline tool: allocates freely.
/// </summary>
public static class OfflineTracker
{
    /// <summary>ByteTrack's offline interpolation default (<c>tools/interpolation.py</c>, n_dti = 20).</summary>
    public const int DefaultMaxInterpolatedGap = 20;

    /// <summary>
    /// Tracks <paramref name="detections"/> (MOTChallenge rows; column 7 is the score, column 8 the class or −1) and
    /// writes every detection that belongs to a track as a tracker row, in frame order (with the detection's class in
    /// column 8 when it has one, so <c>eval mot</c> can score each class). With
    /// <paramref name="maxInterpolatedGap"/> &gt; 0, frames where a track was missed for at most that many frames between
    /// two detections get a linearly interpolated box, as ByteTrack's offline interpolation does (possible offline
    /// only: the live pipeline never waits for the future). Returns the rows written.
    /// </summary>
    public static long Run(MotSequence detections, TrackerOptions options, MotTrackWriter output, int maxInterpolatedGap = DefaultMaxInterpolatedGap)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(maxInterpolatedGap);
        var rows = new List<MotRecord>();
        var tracker = new ByteTracker(options);
        var frameDets = new List<Detection>(options.MaxDetections);
        var classes = new List<int>(options.MaxDetections);
        var assignments = new TrackInfo[options.MaxDetections];
        for (int frame = 1; frame <= detections.FrameCount; frame++)
        {
            frameDets.Clear();
            classes.Clear();
            foreach (MotRecord r in detections.RecordsInFrame(frame))
            {
                if (frameDets.Count == options.MaxDetections)
                {
                    break;
                }
                var box = BoundingBox.FromXywh((float)r.X, (float)r.Y, (float)r.Width, (float)r.Height);
                frameDets.Add(new Detection(box, Math.Max(0, r.ClassId), (float)Math.Clamp(r.Confidence, 0, 1), -1));
                classes.Add(r.ClassId);
            }
            Span<TrackInfo> tracks = assignments.AsSpan(0, frameDets.Count);
            tracker.Update(CollectionsMarshal.AsSpan(frameDets), frame, tracks);
            for (int i = 0; i < frameDets.Count; i++)
            {
                if (tracks[i].TrackId > 0)
                {
                    BoundingBox b = frameDets[i].Box;
                    rows.Add(new MotRecord(frame, tracks[i].TrackId, b.X1, b.Y1, b.Width, b.Height, frameDets[i].Score, classes[i], -1));
                }
            }
        }
        if (maxInterpolatedGap > 0)
        {
            Interpolate(rows, maxInterpolatedGap);
        }
        rows.Sort(static (a, b) => a.Frame != b.Frame ? a.Frame.CompareTo(b.Frame) : a.Id.CompareTo(b.Id));
        foreach (MotRecord r in rows)
        {
            if (r.ClassId > 0)
            {
                output.WriteTrack(r.Frame, r.Id, r.X, r.Y, r.Width, r.Height, r.Confidence, r.ClassId);
            }
            else
            {
                output.WriteTrack(r.Frame, r.Id, r.X, r.Y, r.Width, r.Height, r.Confidence);
            }
        }
        return rows.Count;
    }

    /// <summary>Adds linearly interpolated rows inside each track's gaps of 2…<paramref name="maxGap"/>+1 frames.</summary>
    internal static void Interpolate(List<MotRecord> rows, int maxGap)
    {
        var byTrack = new Dictionary<int, List<MotRecord>>();
        foreach (MotRecord r in rows)
        {
            if (!byTrack.TryGetValue(r.Id, out List<MotRecord>? list))
            {
                byTrack[r.Id] = list = [];
            }
            list.Add(r);
        }
        foreach (List<MotRecord> track in byTrack.Values)
        {
            track.Sort(static (a, b) => a.Frame.CompareTo(b.Frame));
            for (int k = 1; k < track.Count; k++)
            {
                MotRecord a = track[k - 1], b = track[k];
                int gap = b.Frame - a.Frame - 1;
                if (gap < 1 || gap > maxGap)
                {
                    continue;
                }
                for (int f = a.Frame + 1; f < b.Frame; f++)
                {
                    double t = (double)(f - a.Frame) / (b.Frame - a.Frame);
                    rows.Add(new MotRecord(f, a.Id, Lerp(a.X, b.X, t), Lerp(a.Y, b.Y, t), Lerp(a.Width, b.Width, t), Lerp(a.Height, b.Height, t),
                        Math.Min(a.Confidence, b.Confidence), a.ClassId, -1));
                }
            }
        }

        static double Lerp(double a, double b, double t) => a + (b - a) * t;
    }
}
