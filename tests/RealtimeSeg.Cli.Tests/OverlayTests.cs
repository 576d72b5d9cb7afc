using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// <c>--overlay FILE.mp4</c> and <c>--overlay-png DIR --every N</c> as a user runs them, the MP4 checked by
/// <c>ffprobe</c> (frame count = frames processed, size, rate, codec) and ffmpeg's PSNR filter; the drawing itself is
/// tested pixel by pixel in RealtimeSeg.Publishing.Tests (OverlayRendererTests).
/// </summary>
public sealed class OverlayTests : IClassFixture<OverlayRun>
{
    private readonly OverlayRun _run;

    public OverlayTests(OverlayRun run)
    {
        _run = run;
    }

    [AssetFact]
    public void Run_OverlayLockstep_Mp4HoldsOneFramePerProcessedFrameAtTheSourceRate()
    {
        Assert.True(_run.RunExit == 0, _run.RunStderr);
        Assert.Equal(OverlayRun.Frames, _run.FramesProcessed);

        JsonElement stream = Probe(_run.Video);
        Assert.Equal("h264", stream.GetProperty("codec_name").GetString());
        Assert.Equal(_run.FramesProcessed, long.Parse(stream.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture));
        // 1280×720 scaled to images.max_width (640), the source's 25 frames/s.
        Assert.Equal(640, stream.GetProperty("width").GetInt32());
        Assert.Equal(360, stream.GetProperty("height").GetInt32());
        Assert.Equal("25/1", stream.GetProperty("r_frame_rate").GetString());
        Assert.Equal("yuv420p", stream.GetProperty("pix_fmt").GetString());
    }

    [AssetFact]
    public void Run_OverlayPngEvery8_WritesAStillForEveryEighthFrame()
    {
        Assert.True(_run.RunExit == 0, _run.RunStderr);

        string[] stills = [.. Directory.GetFiles(_run.Stills, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(["s0-000000.png", "s0-000008.png", "s0-000016.png"], stills);
        byte[] png = File.ReadAllBytes(Path.Combine(_run.Stills, stills[1]));
        // IHDR: width and height big-endian at bytes 16 and 20.
        Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(360, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [AssetFact]
    public void Replay_Overlay_DrawsTheRecordedCameraImagesLikeTheLiveRun()
    {
        Assert.True(_run.RunExit == 0, _run.RunStderr);
        Assert.True(_run.ReplayExit == 0, _run.ReplayStderr);

        JsonElement stream = Probe(_run.ReplayVideo);
        Assert.Equal(_run.FramesProcessed, long.Parse(stream.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal("25/1", stream.GetProperty("r_frame_rate").GetString());
        // The same drawing over the recorded JPEGs (lossy once more) instead of the live pixels: close, not equal. Over a
        // blank background instead of the camera image it would be far below 30 dB.
        double psnr = AveragePsnr(_run.Video, _run.ReplayVideo);
        Assert.True(psnr > 30, $"replay vs live overlay: PSNR {psnr:0.0} dB");
    }

    [Fact]
    public void Run_OverlayNotMp4_Exits2NamingTheFlag()
    {
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(1), "run", "--source", "synthetic:drive", "--overlay", "out.avi", "--max-frames", "1", "--publish", CliProcess.AnyPort);
        Assert.Equal(2, code);
        Assert.Contains("--overlay", stderr, StringComparison.Ordinal);
        Assert.Contains("out.avi", stderr, StringComparison.Ordinal);
    }

    [AssetFact]
    public void Run_OverlayWithoutFfmpeg_Exits3NamingWhatToInstall()
    {
        using var dir = new TempFolder();
        string config = dir.Write("c.yaml", $"""
            sources:
              - uri: synthetic:drive
            model:
              path: {TestAssets.YoloSeg}
            overlay:
              video: {Path.Combine(dir.Path, "o.mp4")}
              ffmpeg: {Path.Combine(dir.Path, "no-such-ffmpeg")}
            """);

        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromMinutes(2), "run", "--config", config, "--max-frames", "1", "--publish", CliProcess.AnyPort);
        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.Contains("no-such-ffmpeg", stderr, StringComparison.Ordinal);
        Assert.Contains("apt-get install ffmpeg", stderr, StringComparison.Ordinal);
    }

    private static JsonElement Probe(string video)
    {
        string json = Tool("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height,r_frame_rate,pix_fmt,nb_read_frames", "-of", "json", video).Stdout;
        using JsonDocument doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("streams")[0].Clone();
    }

    private static double AveragePsnr(string a, string b)
    {
        string stderr = Tool("ffmpeg", "-hide_banner", "-i", a, "-i", b, "-lavfi", "psnr", "-f", "null", "-").Stderr;
        int at = stderr.LastIndexOf("average:", StringComparison.Ordinal);
        Assert.True(at >= 0, "ffmpeg's psnr filter printed no average: " + stderr);
        string value = new([.. stderr[(at + "average:".Length)..].TakeWhile(c => char.IsDigit(c) || c == '.' || c == 'i' || c == 'n' || c == 'f')]);
        return value == "inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture);
    }

    private static (string Stdout, string Stderr) Tool(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} exited {p.ExitCode}: {stderr.Result}");
        return (stdout, stderr.Result);
    }
}
