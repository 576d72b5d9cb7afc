using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Fleet;

/// <summary>
/// Joins the tracks of consecutive segments into one track set, as if the source had been processed in one run. Each
/// segment owns its frames <c>StartFrame…EndFrame</c>; it also processed the overlap before them, which the previous
/// segment owns. For every pair (previous segment's track, this segment's track) the stitcher counts the shared frames
/// in which their boxes overlap by IoU ≥ <see cref="MinIou"/>; pairs are joined greedily, most such frames first,
/// each track at most once, when they agree on at least half the frames this segment's track was seen in the overlap.
/// A joined track keeps the previous segment's id; any other track gets a new id. Ids are numbered 1, 2, … in order of
/// first appearance.
/// </summary>
internal static class TrackStitcher
{
    public const double MinIou = 0.5;

    /// <summary>The stitched rows (owned frames of each segment, ids mapped), and one join report per boundary.</summary>
    public static (List<MotRecord> Rows, List<Dictionary<int, int>> IdMaps, List<SegmentJoin> Joins) Stitch(IReadOnlyList<StitchedSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var rows = new List<MotRecord>();
        var maps = new List<Dictionary<int, int>>(segments.Count);
        var joins = new List<SegmentJoin>();
        int nextId = 1;
        // The previous segment's rows with their stitched ids, by MOT frame: what the next overlap is compared with.
        Dictionary<int, List<MotRecord>> previous = [];
        for (int s = 0; s < segments.Count; s++)
        {
            FleetJob job = segments[s].Job;
            if (s > 0 && job.FirstFrame < segments[s - 1].Job.FirstFrame)
            {
                throw new FleetException($"segments out of order: {job.JobId} starts at frame {job.FirstFrame}, before {segments[s - 1].Job.JobId}");
            }
            int firstOwned = checked((int)job.StartFrame + 1);
            int end = checked((int)job.EndFrame); // last MOT frame (inclusive) = EndFrame - 1 + 1
            var map = new Dictionary<int, int>();
            if (s > 0)
            {
                joins.Add(Join(segments[s], previous, map));
            }
            var current = new Dictionary<int, List<MotRecord>>();
            int fresh = 0;
            foreach (MotRecord r in segments[s].Rows)
            {
                if (r.Frame < firstOwned || r.Frame > end)
                {
                    continue;
                }
                if (!map.TryGetValue(r.Id, out int id))
                {
                    id = nextId++;
                    map[r.Id] = id;
                    fresh++;
                }
                MotRecord mapped = r with { Id = id };
                rows.Add(mapped);
                if (!current.TryGetValue(r.Frame, out List<MotRecord>? list))
                {
                    current[r.Frame] = list = [];
                }
                list.Add(mapped);
            }
            if (s > 0)
            {
                joins[^1] = joins[^1] with { New = fresh };
            }
            maps.Add(map);
            previous = current;
        }
        return (rows, maps, joins);
    }

    /// <summary>Fills <paramref name="map"/> with the joins of <paramref name="segment"/>'s tracks to <paramref name="previous"/>'s stitched ids.</summary>
    private static SegmentJoin Join(StitchedSegment segment, Dictionary<int, List<MotRecord>> previous, Dictionary<int, int> map)
    {
        FleetJob job = segment.Job;
        int from = checked((int)job.FirstFrame + 1), to = checked((int)job.StartFrame); // the overlap, MOT frames
        var agree = new Dictionary<(int Local, int Global), (int Frames, double IouSum)>();
        var seen = new Dictionary<int, int>();
        foreach (MotRecord r in segment.Rows)
        {
            if (r.Frame < from || r.Frame > to)
            {
                continue;
            }
            seen[r.Id] = seen.GetValueOrDefault(r.Id) + 1;
            if (!previous.TryGetValue(r.Frame, out List<MotRecord>? others))
            {
                continue;
            }
            foreach (MotRecord o in others)
            {
                double iou = Iou(r, o);
                if (iou >= MinIou)
                {
                    (int frames, double sum) = agree.GetValueOrDefault((r.Id, o.Id));
                    agree[(r.Id, o.Id)] = (frames + 1, sum + iou);
                }
            }
        }
        var pairs = agree.OrderByDescending(p => p.Value.Frames).ThenByDescending(p => p.Value.IouSum).ThenBy(p => p.Key.Local).ThenBy(p => p.Key.Global);
        var usedGlobal = new HashSet<int>();
        int joined = 0;
        double iouSum = 0;
        long iouFrames = 0;
        foreach (KeyValuePair<(int Local, int Global), (int Frames, double IouSum)> p in pairs)
        {
            if (map.ContainsKey(p.Key.Local) || usedGlobal.Contains(p.Key.Global) || p.Value.Frames * 2 < seen[p.Key.Local])
            {
                continue;
            }
            map[p.Key.Local] = p.Key.Global;
            usedGlobal.Add(p.Key.Global);
            joined++;
            iouSum += p.Value.IouSum;
            iouFrames += p.Value.Frames;
        }
        return new SegmentJoin(job.Segment, Math.Max(0, to - from + 1), joined, 0, iouFrames == 0 ? 0 : iouSum / iouFrames);
    }

    internal static double Iou(in MotRecord a, in MotRecord b)
    {
        double x1 = Math.Max(a.X, b.X), y1 = Math.Max(a.Y, b.Y);
        double x2 = Math.Min(a.X + a.Width, b.X + b.Width), y2 = Math.Min(a.Y + a.Height, b.Y + b.Height);
        double inter = Math.Max(0, x2 - x1) * Math.Max(0, y2 - y1);
        double union = (a.Width * a.Height) + (b.Width * b.Height) - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
