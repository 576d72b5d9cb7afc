using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// One real run shared by the overlay tests: <c>run --source &lt;video&gt; --model &lt;model&gt; --overlay o.mp4
/// --overlay-png DIR --every 8 --record r.mcap --pace lockstep --stats s.json</c> on the first 20 frames of the
/// 1280×720, 25 frames/s Udacity clip with the int8 YOLOv8n-seg (cheap), then <c>replay r.mcap --overlay</c> of it.
/// </summary>
public sealed class OverlayRun : IDisposable
{
    public const int Frames = 20;
    public const int Every = 8;

    private readonly TempFolder _folder = new();

    public OverlayRun()
    {
        if (!TestAssets.Available)
        {
            return;
        }
        Video = Path.Combine(_folder.Path, "o.mp4");
        Stills = Path.Combine(_folder.Path, "stills");
        Recording = Path.Combine(_folder.Path, "r.mcap");
        ReplayVideo = Path.Combine(_folder.Path, "replay.mp4");
        string stats = Path.Combine(_folder.Path, "s.json");
        (RunExit, _, RunStderr) = CliProcess.Run(TimeSpan.FromMinutes(5), "run", "--source", TestAssets.UdacityCars, "--model", TestAssets.YoloSeg,
            "--max-frames", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "--pace", "lockstep",
            "--overlay", Video, "--overlay-png", Stills, "--every", Every.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--record", Recording, "--stats", stats, "--publish", CliProcess.AnyPort);
        if (RunExit == 0)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats));
            FramesProcessed = doc.RootElement.GetProperty("frames_processed").GetInt64();
            (ReplayExit, _, ReplayStderr) = CliProcess.Run(TimeSpan.FromMinutes(3), "replay", Recording, "--overlay", ReplayVideo, "--speed", "100", "--publish", CliProcess.AnyPort);
        }
    }

    public string Video { get; } = "";
    public string Stills { get; } = "";
    public string Recording { get; } = "";
    public string ReplayVideo { get; } = "";
    public int RunExit { get; } = -1;
    public string RunStderr { get; } = "";
    public long FramesProcessed { get; }
    public int ReplayExit { get; } = -1;
    public string ReplayStderr { get; } = "";

    public void Dispose() => _folder.Dispose();
}
