using RealtimeSeg.Core;

namespace RealtimeSeg.Publishing.Overlay;

/// <summary>
/// The overlay outputs (the <c>overlay:</c> section; <c>--overlay</c>, <c>--overlay-png</c>, <c>--overlay-every</c>): each
/// processed frame drawn over its camera image (<see cref="OverlayRenderer"/>) as an H.264 MP4 and/or PNG stills. The
/// picture is the camera frame scaled to <c>images.max_width</c> (default 640; <c>--image-max-width</c>).
/// </summary>
public sealed record OverlayOptions
{
    /// <summary>The MP4 to write (<c>--overlay FILE.mp4</c>); with several streams one file each, <c>FILE-&lt;stream&gt;.mp4</c>. Null: no video.</summary>
    public string? Video { get; init; }

    /// <summary>Folder for PNG stills, <c>&lt;stream&gt;-&lt;seq&gt;.png</c> (<c>--overlay-png DIR</c>). Null: no stills.</summary>
    public string? Stills { get; init; }

    /// <summary>A still for every N-th frame of a stream, by sequence number (<c>--overlay-every N</c>). Default 30; 1…1 000 000.</summary>
    public int Every { get; init; } = 30;

    /// <summary>The ffmpeg executable that encodes the video (needs libx264). Default <c>ffmpeg</c> on the PATH.</summary>
    public string Ffmpeg { get; init; } = "ffmpeg";

    /// <summary>
    /// x264 preset. Default <c>ultrafast</c>: the encoder shares the cores with inference, and ultrafast costs a third of
    /// <c>veryfast</c>'s CPU per frame for a file about twice as large (docs/benchmarks.md, "Overlay video").
    /// </summary>
    public string Preset { get; init; } = "ultrafast";

    /// <summary>x264 constant rate factor, 0 (lossless) … 51. Default 23 (x264's own).</summary>
    public int Crf { get; init; } = 23;

    /// <summary>True when any overlay output is on.</summary>
    public bool Enabled => Video is not null || Stills is not null;

    private static readonly string[] Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    public void Validate()
    {
        if (Video is not null && !Video.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationException($"overlay.video: '{Video}' (--overlay) must be an MP4 file; name it *.mp4");
        }
        if (Every is < 1 or > 1_000_000)
        {
            throw new ConfigurationException($"overlay.every: {Every} (--overlay-every) is invalid; expected 1…1000000");
        }
        if (Array.IndexOf(Presets, Preset) < 0)
        {
            throw new ConfigurationException($"overlay.preset: '{Preset}' is not an x264 preset; expected one of {string.Join(", ", Presets)}");
        }
        if (Crf is < 0 or > 51)
        {
            throw new ConfigurationException($"overlay.crf: {Crf} is invalid; expected 0…51");
        }
        if (string.IsNullOrWhiteSpace(Ffmpeg))
        {
            throw new ConfigurationException("overlay.ffmpeg: empty; name the ffmpeg executable (a path, or a name on the PATH)");
        }
    }

    /// <summary>The video file of <paramref name="stream"/>: <see cref="Video"/> itself for a single stream, else <c>FILE-&lt;stream&gt;.mp4</c>.</summary>
    public string VideoFileFor(string stream, int streamCount)
    {
        ArgumentNullException.ThrowIfNull(Video);
        if (streamCount <= 1)
        {
            return Video;
        }
        string extension = Path.GetExtension(Video);
        return Video[..^extension.Length] + "-" + stream + extension;
    }
}
