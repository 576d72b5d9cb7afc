namespace RealtimeSeg.Inference.Preprocessing;

/// <summary>
/// Where the preprocessing may also write the frame at half size (BGR bytes, <see cref="Height"/> rows of
/// <see cref="Stride"/> bytes) — the picture for images and overlays, made from the source rows the letterbox reads
/// anyway. <see cref="None"/>: no picture wanted.
/// </summary>
public readonly record struct PictureTarget(IntPtr Data, int Width, int Height, int Stride)
{
    public static PictureTarget None => default;

    public bool IsNone => Data == IntPtr.Zero;
}
