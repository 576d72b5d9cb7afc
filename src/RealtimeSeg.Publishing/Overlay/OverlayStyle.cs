namespace RealtimeSeg.Publishing.Overlay;

/// <summary>
/// The drawing style every overlay follows — this renderer (video, stills) and the browser viewer's JavaScript —
/// so that an object looks the same in every output (docs/viewer.md, "Overlay video"). Colours come from
/// <see cref="Core.PanopticColorizer.ColorOf"/>.
/// </summary>
internal static class OverlayStyle
{
    /// <summary>Stuff: the category colour over the camera image at alpha 0.40, in 1/256 steps (102/256 = 0.398).</summary>
    public const int StuffAlpha256 = 102;

    /// <summary>Tracked things: filled in the track colour at alpha 0.25 (64/256).</summary>
    public const int ThingAlpha256 = 64;

    /// <summary>Outline of a thing: its pixels with a pixel of another segment within this distance, opaque.</summary>
    public const int OutlineWidth = 2;

    /// <summary>Centroids per track in its motion trail, oldest first.</summary>
    public const int TrailLength = 20;

    /// <summary>Trail line width, pixels.</summary>
    public const int TrailWidth = 2;

    /// <summary>A track not seen for this many frames of its stream loses its trail.</summary>
    public const int TrailForgetFrames = 30;

    /// <summary>The heads-up box behind the stream's status text: black at this alpha (1/256 steps).</summary>
    public const int HudBoxAlpha256 = 128;

    /// <summary>Padding around label and heads-up text, pixels.</summary>
    public const int TextPadding = 2;

    /// <summary>Background where a frame has no camera image (a recording without images): dark grey.</summary>
    public const byte EmptyBackground = 32;

    /// <summary>OpenCV Hershey-simplex scale for a canvas <paramref name="height"/> pixels high: 0.36 at 360 px, 0.72 at 720 px.</summary>
    public static double FontScale(int height) => Math.Max(0.35, height / 1000.0);
}
