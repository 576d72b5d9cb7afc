using System.Globalization;
using System.Text;

namespace RealtimeSeg.Inference;

/// <summary>
/// What a model's image input expects, resolved at load time from its shape, its metadata and the options:
/// tensor name and layout, size, channel order, and per-channel normalisation
/// <c>value = (pixel − Mean[c]) / Std[c]</c> with <c>c</c> in the model's channel order. Frames are letterboxed
/// into it, padding with <see cref="PadValue"/> (114 grey, like Ultralytics).
/// </summary>
public sealed class InputSpec
{
    public InputSpec(string name, TensorLayout layout, int width, int height, ColorOrder colorOrder, IReadOnlyList<float> mean, IReadOnlyList<float> std, byte padValue = 114, bool batched = true, ResizeMode resize = ResizeMode.Letterbox)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count != 3 || std.Count != 3)
        {
            throw new ArgumentException($"mean and std need 3 values (one per channel); got {mean.Count} and {std.Count}", nameof(mean));
        }
        for (int c = 0; c < 3; c++)
        {
            if (!(std[c] != 0f && float.IsFinite(std[c]) && float.IsFinite(mean[c])))
            {
                throw new ArgumentException($"std[{c}] = {std[c]} and mean[{c}] = {mean[c]}: std must be finite and non-zero", nameof(std));
            }
        }
        Name = name;
        Layout = layout;
        Width = width;
        Height = height;
        ColorOrder = colorOrder;
        Mean = [mean[0], mean[1], mean[2]];
        Std = [std[0], std[1], std[2]];
        PadValue = padValue;
        Batched = batched;
        Resize = resize;
    }

    /// <summary>Ultralytics' convention: RGB, /255, letterboxed with 114 grey.</summary>
    public static InputSpec Ultralytics(string name, TensorLayout layout, int width, int height)
        => new(name, layout, width, height, ColorOrder.Rgb, [0f, 0f, 0f], [255f, 255f, 255f]);

    public string Name { get; }
    public TensorLayout Layout { get; }
    public int Width { get; }
    public int Height { get; }
    public ColorOrder ColorOrder { get; }
    public IReadOnlyList<float> Mean { get; }
    public IReadOnlyList<float> Std { get; }
    public byte PadValue { get; }

    /// <summary>
    /// False for inputs without a batch dimension ([3, H, W]: torchvision detection exports, which take one image
    /// per call); the memory layout is the same as NCHW with batch 1.
    /// </summary>
    public bool Batched { get; }

    /// <summary>Letterbox (aspect kept, padded) or stretch (each axis scaled to the input).</summary>
    public ResizeMode Resize { get; }

    /// <summary>The tensor shape, batch 1.</summary>
    public long[] Shape => !Batched ? [3, Height, Width] : Layout == TensorLayout.Nchw ? [1, 3, Height, Width] : [1, Height, Width, 3];

    public int ElementCount => 3 * Width * Height;

    /// <summary>e.g. "images float32 [1,3,320,320] NCHW RGB /255 letterbox".</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(Name).Append(" float32 [");
        long[] shape = Shape;
        for (int i = 0; i < shape.Length; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }
        sb.Append("] ").Append(Layout == TensorLayout.Nchw ? "NCHW" : "NHWC")
            .Append(' ').Append(ColorOrder == ColorOrder.Rgb ? "RGB" : "BGR")
            .Append(' ').Append(DescribeNormalization())
            .Append(Resize == ResizeMode.Stretch ? " stretch" : " letterbox");
        return sb.ToString();
    }

    private string DescribeNormalization()
    {
        bool uniform = Mean[0] == Mean[1] && Mean[1] == Mean[2] && Std[0] == Std[1] && Std[1] == Std[2];
        if (uniform && Mean[0] == 0f)
        {
            return Std[0] == 1f ? "raw 0..255" : "/" + Format(Std[0]);
        }
        if (uniform)
        {
            return $"(x-{Format(Mean[0])})/{Format(Std[0])}";
        }
        return $"(x-[{Format(Mean[0])},{Format(Mean[1])},{Format(Mean[2])}])/[{Format(Std[0])},{Format(Std[1])},{Format(Std[2])}]";

        static string Format(float v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
