namespace RealtimeSeg.Protocol;

/// <summary>
/// What a v2 image message says besides its bytes: the camera frame the model saw, matched to its panoptic frame by
/// stream and <paramref name="Sequence"/>.
/// </summary>
/// <param name="Stream">The stream's name.</param>
/// <param name="Run">The run that published it.</param>
/// <param name="Sequence">The frame's <c>seq</c> (the same as its panoptic frame's).</param>
/// <param name="UtcNs">Capture time, ns since the Unix epoch.</param>
/// <param name="MonoNs">Capture time on the publisher's monotonic clock.</param>
/// <param name="MediaNs">Presentation time in the source, ns; -1 when unknown.</param>
/// <param name="Width">The encoded image's width (possibly scaled down: <c>max_width</c>).</param>
/// <param name="Height">The encoded image's height.</param>
/// <param name="SourceWidth">The frame's width as captured (the panoptic frame's <c>w</c>; boxes are in these pixels).</param>
/// <param name="SourceHeight">The frame's height as captured.</param>
public readonly record struct ImageHeader(string Stream, string Run, long Sequence, long UtcNs, long MonoNs, long MediaNs,
    int Width, int Height, int SourceWidth, int SourceHeight);
