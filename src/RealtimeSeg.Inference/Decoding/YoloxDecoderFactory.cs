using System.Diagnostics.CodeAnalysis;
using System.Text;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Recognises the YOLOX detection family (official ONNX exports, no metadata) by its single
/// [1, Σ(H/s)(W/s), 5+nc] output, which the input size pins down exactly. Exports take BGR 0..255.
/// </summary>
internal sealed class YoloxDecoderFactory : IOutputDecoderFactory
{
    public const string DecoderName = "yolox";

    private static readonly InputConvention Bgr255 = new(ColorOrder.Bgr, 0f, 1f, "YOLOX convention (BGR, 0..255)");

    public string Name => DecoderName;

    public InputConvention? Convention => Bgr255;

    public bool RunsNms => true;

    public string Expects => "one output [1, Σ(H/s)·(W/s) for s = 8, 16, 32, 5+nc]";

    public bool TryMatch(ModelSignature signature, InputSpec input, [NotNullWhen(true)] out IDecoderLayout? layout, out string reason)
    {
        layout = null;
        int expectedAnchors = YoloxLayout.AnchorsFor(input.Width, input.Height, YoloxLayout.DefaultStrides);
        string needs = $"a YOLOX model with a {input.Height}x{input.Width} input needs one output [1, {expectedAnchors}, 5+nc] ({Grids(input)})";
        if (signature.IsUltralytics)
        {
            reason = "an Ultralytics export (its metadata says so), not YOLOX";
            return false;
        }
        if (signature.Outputs.Count != 1)
        {
            reason = $"the model has {signature.Outputs.Count} outputs ({string.Join(", ", signature.Outputs)}); {needs}";
            return false;
        }
        TensorInfo o = signature.Outputs[0];
        if (!o.IsFloat32)
        {
            reason = $"output '{o.Name}' is {o.ElementType}; {needs} as float32";
            return false;
        }
        if (input.Width % 32 != 0 || input.Height % 32 != 0)
        {
            reason = $"the input is {input.Height}x{input.Width}; YOLOX inputs are multiples of 32";
            return false;
        }
        if (o.Rank != 3 || o.Shape[0] != 1 || o.Shape[1] != expectedAnchors || o.Shape[2] < 6)
        {
            reason = $"output '{o.Name}' has shape {o.ShapeText}; {needs}";
            return false;
        }
        int nc = (int)o.Shape[2] - 5;
        if (signature.ClassNames is { } names && names.Count != nc)
        {
            reason = $"output '{o.Name}' has shape {o.ShapeText} ({nc} classes) but metadata 'names' lists {names.Count}";
            return false;
        }
        var resolved = new YoloxLayout(0, nc, expectedAnchors, input.Width, input.Height, YoloxLayout.DefaultStrides);
        resolved.AssertInvariants();
        layout = resolved;
        reason = $"'{o.Name}' {o.ShapeText} = {expectedAnchors} grid candidates ({Grids(input)}) x (4 box + objectness + {nc} classes)";
        return true;
    }

    public IOutputDecoder Create(IDecoderLayout layout, DecoderOptions options) => new YoloxDecoder((YoloxLayout)layout, options);

    private static string Grids(InputSpec input)
    {
        var sb = new StringBuilder();
        foreach (int s in YoloxLayout.DefaultStrides)
        {
            sb.Append(sb.Length == 0 ? "" : " + ").Append(input.Height / s).Append('x').Append(input.Width / s);
        }
        return sb.Append(" at strides 8, 16, 32").ToString();
    }
}
