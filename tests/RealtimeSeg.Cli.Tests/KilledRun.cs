using System.Globalization;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// One run the crash-safety tests share: the bundled model on the synthetic drive (seed 1, 640×360) in lockstep, with
/// <c>--dump-mot</c>, <c>--dump-panoptic</c> and <c>--stats</c>, killed with SIGKILL (as <c>kill -9</c>, the OOM
/// killer) as soon as the panoptic dump's PNG of frame <see cref="KillAfterFrame"/> appears — a moment chosen by the
/// dump, independent of when the stats file is rewritten. Plus the drive's ground truth from <c>synth export</c>.
/// </summary>
public sealed class KilledRun : IDisposable
{
    public const int KillAfterFrame = 45;
    public const int TruthFrames = 400;
    private const string Source = "synthetic:drive?seed=1&size=640x360&fps=30";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly TempFolder _folder = new();

    public KilledRun()
    {
        var (synthCode, stdout, synthErr) = CliProcess.Run(Timeout, "synth", "export", "--seed", "1", "--frames", TruthFrames.ToString(CultureInfo.InvariantCulture),
            "--size", "640x360", "--fps", "30", "--out", Path.Combine(_folder.Path, "truth"));
        if (synthCode != 0)
        {
            throw new InvalidOperationException($"synth export failed, exit {synthCode}: {synthErr}");
        }
        TruthDirectory = stdout.Trim();

        Mot = Path.Combine(_folder.Path, "tracks.txt");
        Panoptic = Path.Combine(_folder.Path, "pan");
        Stats = Path.Combine(_folder.Path, "stats.json");
        string killPng = Path.Combine(Panoptic, "panoptic", KillAfterFrame.ToString("D6", CultureInfo.InvariantCulture) + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(killPng)!);
        using var appeared = new ManualResetEventSlim();
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(killPng)!, Path.GetFileName(killPng));
        watcher.Renamed += (_, _) => appeared.Set();
        watcher.Created += (_, _) => appeared.Set();
        watcher.EnableRaisingEvents = true;
        // Beyond the ground truth's frames only if the kill never comes (a guard, not the test's end).
        using CliProcess run = CliProcess.Start("run", "--config", Path.Combine(TestAssets.RepositoryRoot, "configs", "demo.yaml"), "--source", Source,
            "--pace", "lockstep", "--max-frames", TruthFrames.ToString(CultureInfo.InvariantCulture),
            "--dump-mot", Mot, "--dump-panoptic", Panoptic, "--stats", Stats, "--publish", CliProcess.AnyPort, "-q");
        // The PNG's arrival wakes the wait; the bound only lets a process that ended by itself be noticed.
        long deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
        while (!appeared.Wait(TimeSpan.FromSeconds(1)) && !File.Exists(killPng))
        {
            if (run.HasExited)
            {
                throw new InvalidOperationException($"the run ended before frame {KillAfterFrame}'s PNG appeared; stderr:\n{run.Stderr}");
            }
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"frame {KillAfterFrame}'s PNG did not appear within {Timeout}; stderr:\n{run.Stderr}");
            }
        }
        KilledAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        run.Kill();
        Stderr = run.Stderr;
    }

    /// <summary><c>synth export</c>'s sequence folder (<c>gt/gt.txt</c>, <c>panoptic.json</c>).</summary>
    public string TruthDirectory { get; }

    public string Mot { get; }

    /// <summary>The <c>--dump-panoptic</c> folder.</summary>
    public string Panoptic { get; }

    public string Stats { get; }

    /// <summary>Wall-clock time just before the SIGKILL.</summary>
    public long KilledAtUnixMs { get; }

    public string Stderr { get; }

    public void Dispose() => _folder.Dispose();
}
