namespace RealtimeSeg.Recording.Foxglove;

/// <summary>
/// One object to draw over an image: its box outlined in <paramref name="Color"/> and a label
/// "<paramref name="Label"/> #<paramref name="TrackId"/>" at its top-left corner.
/// </summary>
/// <param name="X">Left edge, image pixels.</param>
/// <param name="Y">Top edge, image pixels.</param>
/// <param name="Width">Box width, pixels.</param>
/// <param name="Height">Box height, pixels.</param>
/// <param name="TrackId">Persistent track id; 0 or less for none (tentative tracks, "stuff"), then only the label is shown.</param>
/// <param name="Label">Class name, e.g. <c>car</c>.</param>
/// <param name="Color">Outline colour and label background.</param>
public readonly record struct ImageAnnotationBox(float X, float Y, float Width, float Height, long TrackId, string Label, AnnotationColor Color);
