using System.Globalization;
using RealtimeSeg.Core;
using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Synthetic.Detections;

/// <summary>
/// <c>realtimeseg synth detections</c>: simulated detections for every sequence of a ground truth, written as a
/// benchmark folder in MOTChallenge layout that <c>realtimeseg track</c> and <c>realtimeseg eval mot</c> read directly:
/// <code>
/// OUT/&lt;seq&gt;/det/det.txt     frame,-1,x,y,w,h,score,class,-1,-1 (the simulated detector)
/// OUT/&lt;seq&gt;/gt/gt.txt       the ground truth, copied unchanged
/// OUT/&lt;seq&gt;/seqinfo.ini     copied, or written (name, frameRate, seqLength) when the ground truth has none
/// </code>
/// </summary>
public static class DetectorSimulationExporter
{
    /// <summary>Simulates and writes every sequence found at <paramref name="groundTruth"/>.</summary>
    /// <param name="groundTruth">
    /// A folder of sequences (<c>ROOT/&lt;seq&gt;/gt/gt.txt</c>), one sequence folder (<c>SEQ/gt/gt.txt</c>), or a
    /// ground-truth file (the sequence is named after its folder).
    /// </param>
    /// <param name="outputRoot">Where the sequences go.</param>
    /// <param name="options">The simulated detector.</param>
    /// <param name="frameRate">The frame rate when a sequence has no <c>seqinfo.ini</c> with <c>frameRate</c>; null: 30, said in <paramref name="log"/>.</param>
    /// <param name="log">One line per sequence.</param>
    /// <exception cref="ConfigurationException">Nothing found at <paramref name="groundTruth"/>.</exception>
    public static IReadOnlyList<DetectorSimulation> Export(string groundTruth, string outputRoot, DetectorSimulatorOptions options, double? frameRate, IPipelineLog log)
    {
        ArgumentException.ThrowIfNullOrEmpty(groundTruth);
        ArgumentException.ThrowIfNullOrEmpty(outputRoot);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        var results = new List<DetectorSimulation>();
        foreach ((string name, string gtPath) in FindSequences(groundTruth))
        {
            string? infoPath = MotSeqInfo.FindFor(gtPath);
            MotSeqInfo? info = infoPath is null ? null : MotSeqInfo.ReadFile(infoPath);
            MotSequence gt = MotTextReader.ReadFile(gtPath, name, info?.SeqLength);
            double fps = info?.FrameRate ?? frameRate ?? TrackingFrameRate;
            DetectorSimulation sim = DetectorSimulator.Simulate(gt, fps, info?.ImageWidth, info?.ImageHeight, options);
            string seqDir = Path.Combine(outputRoot, name);
            Directory.CreateDirectory(Path.Combine(seqDir, "gt"));
            File.Copy(gtPath, Path.Combine(seqDir, "gt", "gt.txt"), overwrite: true);
            string infoOut = Path.Combine(seqDir, "seqinfo.ini");
            if (infoPath is not null)
            {
                File.Copy(infoPath, infoOut, overwrite: true);
            }
            else
            {
                File.WriteAllText(infoOut, string.Create(CultureInfo.InvariantCulture,
                    $"[Sequence]\nname={name}\nframeRate={fps}\nseqLength={gt.FrameCount}\n"));
            }
            using (MotTrackWriter writer = MotTrackWriter.Create(Path.Combine(seqDir, "det", "det.txt")))
            {
                foreach (MotRecord d in sim.Detections)
                {
                    writer.WriteDetection(d.Frame, d.X, d.Y, d.Width, d.Height, d.Confidence, d.ClassId);
                }
            }
            string rate = info?.FrameRate is not null ? "seqinfo.ini" : frameRate is not null ? "--frame-rate" : "assumed";
            log.Info(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {sim.GroundTruthBoxes} objects to detect ({fps:0.###} fps, {rate}) → {sim.TruePositives} true detections ({Share(sim.TruePositives, sim.GroundTruthBoxes)}), {sim.FalsePositives} false ({Share(sim.FalsePositives, sim.Detections.Count)} of detections), {Share(sim.LowScore, sim.Detections.Count)} under score 0.5"));
            results.Add(sim);
        }
        return results;
    }

    /// <summary>The rate assumed for a sequence that states none (as <c>realtimeseg track</c> does).</summary>
    public const double TrackingFrameRate = 30;

    private static string Share(int part, int whole) => whole == 0 ? "–" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static List<(string Name, string GtPath)> FindSequences(string path)
    {
        var found = new List<(string, string)>();
        if (File.Exists(path))
        {
            string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            string name = Path.GetFileName(dir) == "gt" ? Path.GetFileName(Path.GetDirectoryName(dir)!) : Path.GetFileName(dir);
            found.Add((name, path));
            return found;
        }
        if (!Directory.Exists(path))
        {
            throw new ConfigurationException($"--gt: no such file or folder: {path}");
        }
        string folderName = Path.GetFileName(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar));
        foreach (string own in new[] { Path.Combine(path, "gt", "gt.txt"), Path.Combine(path, "gt.txt") })
        {
            if (File.Exists(own))
            {
                found.Add((folderName, own));
                return found;
            }
        }
        foreach (string dir in Directory.EnumerateDirectories(path).Order(StringComparer.Ordinal))
        {
            string gt = Path.Combine(dir, "gt", "gt.txt");
            string flat = Path.Combine(dir, "gt.txt");
            if (File.Exists(gt))
            {
                found.Add((Path.GetFileName(dir), gt));
            }
            else if (File.Exists(flat))
            {
                found.Add((Path.GetFileName(dir), flat));
            }
        }
        if (found.Count == 0)
        {
            throw new ConfigurationException($"--gt: no ground truth in {path}: expected a gt.txt file, SEQ/gt/gt.txt, or a folder of such sequences");
        }
        return found;
    }
}
