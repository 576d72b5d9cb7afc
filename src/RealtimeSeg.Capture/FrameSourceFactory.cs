using RealtimeSeg.Capture.Cameras;
using RealtimeSeg.Capture.Images;
using RealtimeSeg.Capture.Network;
using RealtimeSeg.Capture.Synthetic;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture;

/// <summary>Opens a frame source from its URI (the CLI's <c>--source</c>; see DESIGN.md §5).</summary>
public static class FrameSourceFactory
{
    /// <summary>
    /// Parses <paramref name="uri"/> and opens the source, so a missing file or an unreadable stream fails here, before
    /// any pipeline stage starts. URI forms: a plain path or <c>file:PATH</c> (a video file);
    /// <c>synthetic:drive?seed=S&amp;size=WxH&amp;fps=F&amp;density=D</c> (<see cref="SyntheticFrameSource"/>);
    /// <c>images:DIR</c> (an image sequence); <c>rtsp://</c>, <c>http(s)://</c>, <c>udp://</c>, <c>srt://</c>, … (a network
    /// stream through an ffmpeg child process); <c>camera:N</c> / <c>/dev/videoN</c> (a V4L2 camera). docs/sources.md
    /// describes each with its options and failure behaviour.
    /// </summary>
    /// <exception cref="SourceUnavailableException">The source cannot be opened; the message names it and says why.</exception>
    /// <exception cref="ConfigurationException">The URI is empty or an option is invalid.</exception>
    public static IFrameSource Open(string uri, int streamIndex, SourceOptions options, IPipelineLog log)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentOutOfRangeException.ThrowIfNegative(streamIndex);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();

        SourceUri parsed = SourceUri.Parse(uri);
        return parsed.Kind switch
        {
            SourceKind.File => FileFrameSource.Open(parsed, streamIndex, options, log),
            SourceKind.Images => ImageSequenceFrameSource.Open(parsed, streamIndex, options, log),
            SourceKind.Network => NetworkFrameSource.Open(parsed, streamIndex, options, log),
            SourceKind.Camera => CameraSource.Open(parsed, streamIndex, options, log),
            SourceKind.Synthetic => SyntheticFrameSource.Open(parsed, streamIndex, options, log),
            _ => throw new SourceUnavailableException(uri, $"source kind {parsed.Kind} has no implementation"),
        };
    }

    /// <summary>
    /// <paramref name="uri"/> as logs, errors, stats and recordings may show it: a password in a URL's user info is
    /// replaced by <c>***</c> (<c>rtsp://user:***@host/path</c>); anything else is returned as is.
    /// </summary>
    public static string Redact(string uri) => Network.NetworkUrl.Redact(uri);
}
