namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// The colour order and normalisation a decoder family's reference exports are trained with, used when neither the
/// options nor the model's metadata say (YOLOX exports carry no metadata but always take BGR 0..255).
/// </summary>
internal sealed record InputConvention(ColorOrder ColorOrder, float Mean, float Std, string Source)
{
    public static readonly InputConvention Ultralytics = new(ColorOrder.Rgb, 0f, 255f, "Ultralytics convention");
}
