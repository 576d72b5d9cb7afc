using System.Diagnostics;
using System.Globalization;
using RealtimeSeg.Core;

namespace RealtimeSeg.Publishing.Overlay;

/// <summary>
/// Encodes BGR frames into an H.264 MP4 through the system's <c>ffmpeg</c> (libx264), fed raw frames on stdin: OpenCV's
/// bundled FFmpeg has no H.264 encoder (docs/benchmarks.md, "Overlay video"). The child gets SIGKILL if this process
/// dies (<see cref="ChildProcessLauncher"/>), tied to the thread that starts it — so start it on the thread that feeds it.
/// <para>The file is a fragmented MP4 (<c>empty_moov</c>, a fragment at each keyframe, one keyframe a second, no
/// encoder look-ahead): after a <c>kill -9</c> it plays up to its last complete fragment, losing at most about a second.</para>
/// One thread at a time.
/// </summary>
internal sealed class FfmpegVideoEncoder : IDisposable
{
    private const int StderrLines = 20;

    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly Queue<string> _stderr = new();
    private readonly int _frameBytes;
    private bool _finished;

    /// <summary>Starts ffmpeg writing <paramref name="path"/> (replaced) at <paramref name="framesPerSecond"/>.</summary>
    public FfmpegVideoEncoder(ChildProcessLauncher launcher, string ffmpeg, string path, int width, int height, double framesPerSecond, string preset, int crf)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentException($"H.264 (yuv420p) frames need even, positive sides; got {width}x{height}");
        }
        Path = path;
        _frameBytes = width * height * 3;
        try
        {
            _process = launcher.Start(ffmpeg, Arguments(path, width, height, framesPerSecond, preset, crf), redirectStandardInput: true);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SourceUnavailableException(ffmpeg, $"cannot start ffmpeg for the overlay video {path} ({e.Message}); install it (apt-get install ffmpeg) or set overlay.ffmpeg", e);
        }
        _process.ErrorDataReceived += OnStderr;
        _process.OutputDataReceived += static (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        _stdin = _process.StandardInput.BaseStream;
    }

    public string Path { get; }

    public long FramesWritten { get; private set; }

    /// <summary>The command line after the executable: raw BGR on stdin → libx264 → fragmented MP4.</summary>
    public static IReadOnlyList<string> Arguments(string path, int width, int height, double framesPerSecond, string preset, int crf)
    {
        string rate = framesPerSecond.ToString("R", CultureInfo.InvariantCulture);
        string gop = Math.Max(1, (int)Math.Round(framesPerSecond)).ToString(CultureInfo.InvariantCulture);
        return
        [
            "-hide_banner", "-loglevel", "error",
            "-f", "rawvideo", "-pix_fmt", "bgr24", "-video_size", string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"), "-framerate", rate, "-i", "pipe:0",
            "-an", "-c:v", "libx264", "-preset", preset, "-tune", "zerolatency", "-crf", crf.ToString(CultureInfo.InvariantCulture),
            "-pix_fmt", "yuv420p", "-g", gop,
            "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", "-y", path,
        ];
    }

    /// <summary>Writes one frame (<c>width × height × 3</c> bytes). Throws <see cref="IOException"/> naming ffmpeg's last words when it stopped taking frames.</summary>
    public void Write(ReadOnlySpan<byte> bgr)
    {
        if (bgr.Length != _frameBytes)
        {
            throw new ArgumentException($"a frame of this video is {_frameBytes} bytes; got {bgr.Length}", nameof(bgr));
        }
        try
        {
            _stdin.Write(bgr);
        }
        catch (IOException e)
        {
            throw new IOException($"ffmpeg stopped taking frames for {Path} after {FramesWritten}: {ExitDescription()}", e);
        }
        FramesWritten++;
    }

    /// <summary>Ends the video: closes ffmpeg's input and waits up to <paramref name="timeout"/> for it to write the last fragment.</summary>
    public void Finish(TimeSpan timeout)
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        try
        {
            _stdin.Dispose();
        }
        catch (IOException)
        {
            // ffmpeg is gone already: its exit code says why, below.
        }
        if (!_process.WaitForExit(timeout))
        {
            ChildProcessLauncher.KillQuietly(_process);
            throw new IOException($"ffmpeg did not finish {Path} within {timeout.TotalSeconds:0.#} s after its last frame; killed it (the file holds what it had written)");
        }
        _process.WaitForExit(); // flushes the redirected stderr
        if (_process.ExitCode != 0)
        {
            throw new IOException($"ffmpeg failed writing {Path}: {ExitDescription()}");
        }
    }

    public void Dispose()
    {
        if (!_finished)
        {
            // An abort: the fragments written so far stay playable.
            _finished = true;
            ChildProcessLauncher.KillQuietly(_process);
        }
        _process.Dispose();
    }

    private string ExitDescription()
    {
        string code = _process.WaitForExit(TimeSpan.FromSeconds(2)) ? "exit code " + _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "still running";
        lock (_stderr)
        {
            return _stderr.Count == 0 ? code + ", nothing on stderr" : code + ": " + string.Join(" | ", _stderr);
        }
    }

    private void OnStderr(object sender, DataReceivedEventArgs e)
    {
        if (string.IsNullOrWhiteSpace(e.Data))
        {
            return;
        }
        lock (_stderr)
        {
            if (_stderr.Count == StderrLines)
            {
                _stderr.Dequeue();
            }
            _stderr.Enqueue(e.Data);
        }
    }
}
