using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using RealtimeSeg.Core;
using RealtimeSeg.Evaluation.Mot;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.Tracking;

// tracker-tune --source NAME=ROOT[:all|:model] ... [--set key=v1;v2 ... (a list value: a/b/c)] [--interp N] [--filtered] [--detail: DetA, AssA] [--only SEQ,SEQ] [--skip SEQ,SEQ]
var sources = new List<(string Name, string Root, bool All, bool Model)>();
var sets = new List<(string Key, string[] Values)>();
int interp = 0;
bool perSeq = false;
bool detail = false;
bool filtered = false;
var skip = new HashSet<string>();
var only = new HashSet<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--source":
            string s = args[++i];
            int eq = s.IndexOf('=');
            string root = s[(eq + 1)..];
            // :model = what `run` tracks through a model: SEQ/model.txt rows "frame,index,x1,y1,x2,y2,score,class,sx,sy,sw,sh"
            // (each detection in the tracker's input order, then the bbox of the thing segment it became, -1 when none),
            // scored like `eval mot --class all` on the segment boxes, as `run --dump-mot` writes them.
            bool model = root.EndsWith(":model");
            if (model) root = root[..^6];
            bool all = model || root.EndsWith(":all");
            if (all && !model) root = root[..^4];
            sources.Add((s[..eq], root, all, model));
            break;
        case "--set":
            string kv = args[++i];
            int e2 = kv.IndexOf('=');
            sets.Add((kv[..e2], kv[(e2 + 1)..].Split(';')));
            break;
        case "--interp": interp = int.Parse(args[++i]); break;
        case "--per-seq": perSeq = true; break;
        case "--detail": detail = true; break;
        case "--filtered": filtered = true; break;
        case "--skip": foreach (var x in args[++i].Split(',')) skip.Add(x); break;
        case "--only": foreach (var x in args[++i].Split(',')) only.Add(x); break;
        default: throw new ArgumentException("unknown " + args[i]);
    }
}

// Load data once.
var data = new List<(string Source, string Seq, MotSequence Gt, MotSequence Dets, MotSeqInfo? Info, bool All, ModelFrames? Model)>();
foreach (var (name, root, all, modelSource) in sources)
{
    foreach (string dir in Directory.EnumerateDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
    {
        string seq = Path.GetFileName(dir);
        if (skip.Contains(seq) || (only.Count > 0 && !only.Contains(seq))) continue;
        string gt = Path.Combine(dir, "gt", "gt.txt");
        string det = Path.Combine(dir, modelSource ? "model.txt" : Path.Combine("det", "det.txt"));
        if (!File.Exists(gt) || !File.Exists(det)) continue;
        string ini = Path.Combine(dir, "seqinfo.ini");
        MotSeqInfo? info = File.Exists(ini) ? MotSeqInfo.ReadFile(ini) : null;
        var g = MotTextReader.ReadFile(gt, seq, info?.SeqLength);
        if (modelSource)
        {
            data.Add((name, seq, g, g, info, all, ModelFrames.Read(det, g.FrameCount)));
            continue;
        }
        var d = MotTextReader.ReadFile(det, seq, info?.SeqLength ?? g.FrameCount);
        data.Add((name, seq, g, d, info, all, null));
    }
}

// Grid of option variants.
var variants = new List<List<(string, string)>> { new() };
foreach (var (key, values) in sets)
{
    var next = new List<List<(string, string)>>();
    foreach (var v in variants)
        foreach (var val in values)
            next.Add([.. v, (key, val)]);
    variants = next;
}

foreach (var variant in variants)
{
    TrackerOptions options = new();
    string label = string.Join(" ", variant.Select(p => $"{p.Item1}={p.Item2}"));
    foreach (var (key, val) in variant) options = Apply(options, key, val);
    var results = new ConcurrentDictionary<int, MotMetrics>();
    Parallel.For(0, data.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, k =>
    {
        var item = data[k];
        double fps = item.Info?.FrameRate ?? 30;
        var pred = item.Model is { } m ? TrackModel(m, options.ForFrameRate(fps), item.Seq) : Track(item.Dets, options.ForFrameRate(fps), interp, item.Seq, filtered);
        var opts = item.All ? new MotEvaluationOptions { Rules = MotBenchmarkRules.Mot15, IgnoreClasses = true } : MotEvaluationOptions.Default;
        results[k] = MotEvaluator.Evaluate(item.Gt, pred, opts);
    });
    var line = new List<string>();
    double sumH = 0; int nSrc = 0;
    foreach (var src in data.Select(d => d.Source).Distinct())
    {
        var idx = Enumerable.Range(0, data.Count).Where(k => data[k].Source == src).ToList();
        var m = MotEvaluator.Combine(idx.Select(k => results[k]).ToList(), src);
        line.Add(detail ? $"{src} {m.Hota:0.00} (D{m.DetA:0.0} A{m.AssA:0.0}) sw{m.IdSwitches}" : $"{src} {m.Hota:0.00} sw{m.IdSwitches}");
        sumH += m.Hota; nSrc++;
        if (src.StartsWith("kitti", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var cls in new[] { "car", "pedestrian" })
            {
                var ci = idx.Where(k => data[k].Seq.EndsWith(cls)).ToList();
                if (ci.Count == 0) continue;
                var cm = MotEvaluator.Combine(ci.Select(k => results[k]).ToList(), cls);
                line.Add($"{cls[..3]} {cm.Hota:0.00}");
            }
        }
        if (perSeq)
            foreach (int k in idx) Console.WriteLine($"   {data[k].Seq} {results[k].Hota:0.00} sw{results[k].IdSwitches} ids {results[k].PredIds}/{results[k].GtIds}");
    }
    Console.WriteLine($"{label}\n    mean {sumH / nSrc:0.00} | {string.Join(" | ", line)}");
}

static TrackerOptions Apply(TrackerOptions o, string key, string val)
{
    string prop = string.Concat(key.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    PropertyInfo pi = typeof(TrackerOptions).GetProperty(prop) ?? throw new ArgumentException("no option " + prop);
    var clone = o with { };
    Type t = Nullable.GetUnderlyingType(pi.PropertyType) ?? pi.PropertyType;
    // Lists (match_iou_threshold_by_class): values separated by '/', e.g. 0.08/0.12 (class 0, class 1).
    object? v = val == "null" ? null
        : t == typeof(IReadOnlyList<float>) ? val.Split('/').Select(x => float.Parse(x, CultureInfo.InvariantCulture)).ToArray()
        : t.IsEnum ? Enum.Parse(t, val, true) : Convert.ChangeType(val, t, CultureInfo.InvariantCulture);
    pi.SetValue(clone, v);
    return clone;
}

static MotSequence Track(MotSequence detections, TrackerOptions options, int interp, string name, bool filtered)
{
    var rows = new List<MotRecord>();
    var tracker = new ByteTracker(options);
    var frameDets = new List<Detection>();
    var assignments = new TrackInfo[options.MaxDetections];
    for (int frame = 1; frame <= detections.FrameCount; frame++)
    {
        frameDets.Clear();
        foreach (MotRecord r in detections.RecordsInFrame(frame))
        {
            if (frameDets.Count == options.MaxDetections) break;
            var box = BoundingBox.FromXywh((float)r.X, (float)r.Y, (float)r.Width, (float)r.Height);
            frameDets.Add(new Detection(box, Math.Max(0, r.ClassId), (float)Math.Clamp(r.Confidence, 0, 1), -1));
        }
        var tracks = assignments.AsSpan(0, frameDets.Count);
        tracker.Update(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(frameDets), frame, tracks);
        for (int i = 0; i < frameDets.Count; i++)
        {
            if (tracks[i].TrackId > 0)
            {
                BoundingBox b = frameDets[i].Box;
                if (filtered)
                    foreach (var snap in tracker.ActiveTracks)
                        if (snap.TrackId == tracks[i].TrackId) b = snap.Box;
                rows.Add(MotRecord.Track(frame, tracks[i].TrackId, b.X1, b.Y1, b.Width, b.Height, frameDets[i].Score));
            }
        }
    }
    if (interp > 0) Interpolate(rows, interp);
    rows.Sort(static (a, b) => a.Frame != b.Frame ? a.Frame.CompareTo(b.Frame) : a.Id.CompareTo(b.Id));
    return new MotSequence(name, rows, detections.FrameCount);
}

static MotSequence TrackModel(ModelFrames model, TrackerOptions options, string name)
{
    var rows = new List<MotRecord>();
    var tracker = new ByteTracker(options);
    var assignments = new TrackInfo[options.MaxDetections];
    for (int frame = 1; frame <= model.FrameCount; frame++)
    {
        var (dets, segments) = model.Frames[frame];
        var tracks = assignments.AsSpan(0, dets.Length);
        tracker.Update(dets, frame, tracks);
        for (int i = 0; i < dets.Length; i++)
        {
            var (x, y, w, h) = segments[i];
            if (tracks[i].TrackId > 0 && w >= 0)
                rows.Add(MotRecord.Track(frame, tracks[i].TrackId, x, y, w, h, dets[i].Score));
        }
    }
    rows.Sort(static (a, b) => a.Frame != b.Frame ? a.Frame.CompareTo(b.Frame) : a.Id.CompareTo(b.Id));
    return new MotSequence(name, rows, model.FrameCount);
}

static void Interpolate(List<MotRecord> rows, int maxGap)
{
    foreach (var track in rows.GroupBy(r => r.Id).Select(g => g.OrderBy(r => r.Frame).ToList()).ToList())
    {
        for (int k = 1; k < track.Count; k++)
        {
            MotRecord a = track[k - 1], b = track[k];
            int gap = b.Frame - a.Frame - 1;
            if (gap < 1 || gap > maxGap) continue;
            for (int f = a.Frame + 1; f < b.Frame; f++)
            {
                double t = (double)(f - a.Frame) / (b.Frame - a.Frame);
                rows.Add(MotRecord.Track(f, a.Id, a.X + (b.X - a.X) * t, a.Y + (b.Y - a.Y) * t, a.Width + (b.Width - a.Width) * t, a.Height + (b.Height - a.Height) * t, 1));
            }
        }
    }
}

sealed class ModelFrames
{
    public required int FrameCount { get; init; }
    public required (Detection[] Dets, (float X, float Y, float W, float H)[] Segments)[] Frames { get; init; }

    public static ModelFrames Read(string path, int frameCount)
    {
        var dets = new List<Detection>[frameCount + 1];
        var segs = new List<(float, float, float, float)>[frameCount + 1];
        for (int f = 0; f <= frameCount; f++) { dets[f] = []; segs[f] = []; }
        foreach (string line in File.ReadLines(path))
        {
            string[] c = line.Split(',');
            int frame = int.Parse(c[0], CultureInfo.InvariantCulture);
            if (frame > frameCount) continue;
            float F(int k) => float.Parse(c[k], CultureInfo.InvariantCulture);
            int I(int k) => int.Parse(c[k], CultureInfo.InvariantCulture);
            dets[frame].Add(new Detection(new BoundingBox(F(2), F(3), F(4), F(5)), I(7), F(6), -1));
            segs[frame].Add((F(8), F(9), F(10), F(11)));
        }
        return new ModelFrames { FrameCount = frameCount, Frames = [.. Enumerable.Range(0, frameCount + 1).Select(f => (dets[f].ToArray(), segs[f].ToArray()))] };
    }
}
