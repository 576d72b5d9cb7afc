using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// One 200-frame recording the record/replay tests share: the bundled model on the synthetic drive (seed 1, 640×360),
/// in lockstep so every frame is published, recorded with <c>--record</c> beside <c>--dump-mot</c>; and that drive's
/// exact ground truth from <c>synth export</c>.
/// </summary>
public sealed class RecordedDrive : IDisposable
{
    public const int Frames = 200;
    public const string Source = "synthetic:drive?seed=1&size=640x360&fps=30";

    public RecordedDrive()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("rseg-recorded-").FullName;
        Recording = Path.Combine(Directory, "drive.mcap");
        DumpMot = Path.Combine(Directory, "tracks.txt");
        string stats = Path.Combine(Directory, "stats.json");
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(8), "run", "--config", Path.Combine(TestAssets.RepositoryRoot, "configs", "demo.yaml"),
            "--source", Source, "--pace", "lockstep", "--max-frames", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--record", Recording, "--dump-mot", DumpMot, "--stats", stats, "--publish", CliProcess.AnyPort, "-q");
        if (code != 0)
        {
            throw new InvalidOperationException($"recording the drive failed, exit {code}: {stderr}");
        }
        using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats)))
        {
            FramesPublished = doc.RootElement.GetProperty("frames_published").GetInt64();
        }

        var (synthCode, stdout, synthErr) = CliProcess.Run(TimeSpan.FromMinutes(5), "synth", "export", "--seed", "1", "--frames", "200", "--size", "640x360",
            "--fps", "30", "--out", Path.Combine(Directory, "truth"));
        if (synthCode != 0)
        {
            throw new InvalidOperationException($"synth export failed, exit {synthCode}: {synthErr}");
        }
        GroundTruth = Path.Combine(stdout.Trim(), "gt", "gt.txt");
    }

    public string Directory { get; }

    /// <summary>The run's recording (closed cleanly).</summary>
    public string Recording { get; }

    /// <summary>The same run's <c>--dump-mot</c> file.</summary>
    public string DumpMot { get; }

    /// <summary>The drive's MOTChallenge ground truth.</summary>
    public string GroundTruth { get; }

    /// <summary><c>frames_published</c> from the run's stats.</summary>
    public long FramesPublished { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
