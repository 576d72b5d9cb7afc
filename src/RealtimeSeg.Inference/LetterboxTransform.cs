using System.Runtime.CompilerServices;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference;

/// <summary>
/// How a source image was placed into a model input: scaled by <see cref="Scale"/> (aspect kept), then
/// offset by (<see cref="PadX"/>, <see cref="PadY"/>) with the rest padded. Rounding follows Ultralytics'
/// <c>LetterBox</c> exactly (content size rounded, padding split as round(d/2 ∓ 0.1)), so boxes decoded from
/// Ultralytics models map back to the same pixels as in Python.
/// </summary>
public readonly record struct LetterboxTransform(
    float Scale,
    int PadX,
    int PadY,
    int SourceWidth,
    int SourceHeight,
    int InputWidth,
    int InputHeight,
    int ResizedWidth,
    int ResizedHeight)
{
    /// <summary>The letterbox of a <paramref name="sourceWidth"/>×<paramref name="sourceHeight"/> image into a <paramref name="inputWidth"/>×<paramref name="inputHeight"/> input.</summary>
    public static LetterboxTransform Compute(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputHeight);
        // Doubles and round-half-to-even, as Python computes it, so edge cases round the same way.
        double scale = Math.Min((double)inputHeight / sourceHeight, (double)inputWidth / sourceWidth);
        int resizedWidth = Math.Clamp((int)Math.Round(sourceWidth * scale), 1, inputWidth);
        int resizedHeight = Math.Clamp((int)Math.Round(sourceHeight * scale), 1, inputHeight);
        double dw = (inputWidth - resizedWidth) / 2.0;
        double dh = (inputHeight - resizedHeight) / 2.0;
        int padX = (int)Math.Round(dw - 0.1);
        int padY = (int)Math.Round(dh - 0.1);
        return new LetterboxTransform((float)scale, padX, padY, sourceWidth, sourceHeight, inputWidth, inputHeight, resizedWidth, resizedHeight);
    }

    /// <summary>
    /// Vertical scale when it differs from <see cref="Scale"/> (a <see cref="ResizeMode.Stretch"/> resize); 0 means the
    /// same as <see cref="Scale"/>, as for every letterbox. Use <see cref="ScaleY"/> to read it.
    /// </summary>
    public float StretchScaleY { get; init; }

    /// <summary>Input pixels per image pixel vertically.</summary>
    public float ScaleY => StretchScaleY > 0f ? StretchScaleY : Scale;

    /// <summary>Input pixels per image pixel horizontally (the same as <see cref="Scale"/>).</summary>
    public float ScaleX => Scale;

    /// <summary>
    /// A <paramref name="sourceWidth"/>×<paramref name="sourceHeight"/> image scaled to the whole input, each axis on its
    /// own (<see cref="ResizeMode.Stretch"/>): no padding, aspect ratio not kept.
    /// </summary>
    public static LetterboxTransform Stretch(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputHeight);
        float sx = (float)inputWidth / sourceWidth, sy = (float)inputHeight / sourceHeight;
        return new LetterboxTransform(sx, 0, 0, sourceWidth, sourceHeight, inputWidth, inputHeight, inputWidth, inputHeight)
        {
            StretchScaleY = sy == sx ? 0f : sy,
        };
    }

    /// <summary>The transform <paramref name="mode"/> gives.</summary>
    public static LetterboxTransform Compute(ResizeMode mode, int sourceWidth, int sourceHeight, int inputWidth, int inputHeight)
        => mode == ResizeMode.Stretch
            ? Stretch(sourceWidth, sourceHeight, inputWidth, inputHeight)
            : Compute(sourceWidth, sourceHeight, inputWidth, inputHeight);

    /// <summary>True once computed; <c>default</c> describes no frame.</summary>
    public bool IsValid => Scale > 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ImageToInputX(float x) => x * Scale + PadX;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ImageToInputY(float y) => y * ScaleY + PadY;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float InputToImageX(float x) => (x - PadX) / Scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float InputToImageY(float y) => (y - PadY) / ScaleY;

    /// <summary>A box in input pixels mapped to source-image pixels and clamped to the image.</summary>
    public BoundingBox InputToImage(in BoundingBox box)
        => new BoundingBox(InputToImageX(box.X1), InputToImageY(box.Y1), InputToImageX(box.X2), InputToImageY(box.Y2))
            .ClampTo(SourceWidth, SourceHeight);

    /// <summary>A box in source-image pixels mapped to input pixels (not clamped).</summary>
    public BoundingBox ImageToInput(in BoundingBox box)
        => new(ImageToInputX(box.X1), ImageToInputY(box.Y1), ImageToInputX(box.X2), ImageToInputY(box.Y2));
}
