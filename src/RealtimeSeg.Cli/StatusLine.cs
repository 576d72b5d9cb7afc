using RealtimeSeg.Pipeline.Stats;

namespace RealtimeSeg.Cli;

/// <summary>
/// The demo's live status: on a terminal one line rewritten in place (carriage return, padded to erase the previous
/// text); when stderr is redirected a plain line every ten intervals, so a log file gets a readable trace rather
/// than thousands of carriage returns. Frames/s is over the last interval; latencies are since the start.
/// </summary>
internal sealed class StatusLine : IDisposable
{
    private readonly TextWriter _out;
    private readonly bool _inPlace;
    private readonly string _suffix;
    private long _lastPublished;
    private long _lastTicks = Environment.TickCount64;
    private int _updates;
    private int _lastLength;
    private bool _wrote;

    /// <param name="viewer">The viewer's address, shown at the end of every status line; null without one.</param>
    public StatusLine(TextWriter output, bool inPlace, TimeSpan interval, Uri? viewer = null)
    {
        _out = output;
        _inPlace = inPlace;
        _suffix = viewer is null ? "" : $"  viewer {viewer}";
        Interval = interval;
    }

    public TimeSpan Interval { get; }

    public void Update(PipelineStatus status)
    {
        long now = Environment.TickCount64;
        double seconds = Math.Max(1e-3, (now - _lastTicks) / 1000.0);
        double fps = (status.FramesPublished - _lastPublished) / seconds;
        (_lastPublished, _lastTicks) = (status.FramesPublished, now);
        _updates++;
        if (!_inPlace && _updates % 10 != 0)
        {
            return;
        }
        string text = Format(status, fps) + _suffix;
        if (_inPlace)
        {
            _out.Write('\r' + text.PadRight(_lastLength));
            _lastLength = text.Length;
        }
        else
        {
            _out.WriteLine(text);
        }
        _out.Flush();
        _wrote = true;
    }

    internal static string Format(PipelineStatus status, double fps)
        => $"{status.FramesPublished,6} frames  {fps,5:0.0} frames/s  capture→publish p50 {status.CaptureToPublishP50,5:0} ms  p99 {status.CaptureToPublishP99,5:0} ms  "
            + $"dropped {status.FramesDropped}  tracks {status.ActiveTracks}  {status.ExecutionProvider}";

    /// <summary>Ends the in-place line so the summary starts on a fresh one.</summary>
    public void Finish()
    {
        if (_inPlace && _wrote)
        {
            _out.WriteLine();
            _wrote = false;
        }
    }

    public void Dispose() => Finish();
}
