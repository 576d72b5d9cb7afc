namespace RealtimeSeg.Inference;

/// <summary>The channel order a model was trained on. Frames arrive as BGR (OpenCV's order).</summary>
public enum ColorOrder
{
    Rgb = 0,
    Bgr = 1,
}
