using System.CommandLine;
using RealtimeSeg.Publishing.Overlay;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>--overlay FILE.mp4</c>, <c>--overlay-png DIR</c> and <c>--overlay-every N</c> (alias <c>--every</c>) of
/// <c>run</c>, <c>demo</c> and <c>replay</c>: every processed frame drawn over its camera picture into an H.264 MP4 and/or
/// PNG stills (the <c>overlay:</c> section; docs/viewer.md, "Overlay video").
/// </summary>
internal static class OverlayFlags
{
    private static readonly Option<string?> VideoOption = new("--overlay") { Description = "write the run drawn over its camera frames as an H.264 MP4 (needs ffmpeg); several streams: FILE-<stream>.mp4 each" };
    private static readonly Option<string?> StillsOption = new("--overlay-png") { Description = "write overlay stills as PNG into this folder (<stream>-<seq>.png), one every --overlay-every frames" };
    private static readonly Option<int?> EveryOption = new("--overlay-every", "--every") { Description = "a still for every N-th frame of a stream (default 30)" };

    public static IEnumerable<Option> All => [VideoOption, StillsOption, EveryOption];

    /// <summary>Applies the flags over <paramref name="overlay"/> (paths made absolute); ranges are checked by <see cref="OverlayOptions.Validate"/>.</summary>
    public static OverlayOptions Apply(ParseResult parse, OverlayOptions overlay)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(overlay);
        if (parse.GetValue(VideoOption) is { } video)
        {
            overlay = overlay with { Video = Path.GetFullPath(video) };
        }
        if (parse.GetValue(StillsOption) is { } stills)
        {
            overlay = overlay with { Stills = Path.GetFullPath(stills) };
        }
        if (parse.GetValue(EveryOption) is { } every)
        {
            overlay = overlay with { Every = every };
        }
        return overlay;
    }
}
