using System.Globalization;
using System.Text;

namespace RealtimeSeg.Inference;

/// <summary>One model input or output as ONNX Runtime reports it.</summary>
/// <param name="Name">Tensor name, e.g. "output0".</param>
/// <param name="ElementType">numpy-style element type, e.g. "float32", "uint8".</param>
/// <param name="Shape">Dimensions; -1 where the model leaves one dynamic.</param>
/// <param name="SymbolicShape">The names of dynamic dimensions ("batch", "height"), empty where static.</param>
public sealed record TensorInfo(string Name, string ElementType, IReadOnlyList<long> Shape, IReadOnlyList<string> SymbolicShape)
{
    public int Rank => Shape.Count;

    public bool IsFloat32 => ElementType == "float32";

    /// <summary>e.g. "[1,116,2100]", or "[batch,3,?,?]" for dynamic dimensions.</summary>
    public string ShapeText
    {
        get
        {
            var sb = new StringBuilder("[");
            for (int i = 0; i < Shape.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }
                if (Shape[i] >= 0)
                {
                    sb.Append(Shape[i].ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    string symbol = i < SymbolicShape.Count ? SymbolicShape[i] : "";
                    sb.Append(string.IsNullOrEmpty(symbol) ? "?" : symbol);
                }
            }
            return sb.Append(']').ToString();
        }
    }

    public override string ToString() => $"'{Name}' {ElementType} {ShapeText}";
}
