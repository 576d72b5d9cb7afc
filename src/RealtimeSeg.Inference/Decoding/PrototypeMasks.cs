using System.Diagnostics;
using System.Numerics.Tensors;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// The YOLO-style mask of one instance: sigmoid(coefficients · prototypes), computed only over the prototype cells
/// whose centres lie inside the instance's box and stored at prototype resolution in the detection set's arena.
/// Shared by every family whose masks are prototype mixtures (raw YOLO heads and end-to-end exports).
/// </summary>
internal static class PrototypeMasks
{
    /// <summary>Writes the mask; returns its index in <paramref name="output"/>, or -1 when the arena is full.</summary>
    /// <param name="protos">[nm, protoHeight, protoWidth] prototypes.</param>
    /// <param name="coefficients">The instance's nm coefficients.</param>
    /// <param name="imageBox">The instance's box in image pixels, already clamped to the image.</param>
    public static int Write(
        ReadOnlySpan<float> protos, int protoHeight, int protoWidth, int inputWidth, int inputHeight,
        ReadOnlySpan<float> coefficients, in BoundingBox imageBox, in LetterboxTransform t, DetectionSet output)
    {
        float cw = (float)inputWidth / protoWidth, ch = (float)inputHeight / protoHeight;
        // The clamped image box back in input pixels (so never into the letterbox padding), then the prototype cells
        // whose centres lie inside it: the mask never extends past its box, and nothing outside it is computed.
        (int u0, int u1) = CellsInside(t.ImageToInputX(imageBox.X1) / cw, t.ImageToInputX(imageBox.X2) / cw, protoWidth);
        (int v0, int v1) = CellsInside(t.ImageToInputY(imageBox.Y1) / ch, t.ImageToInputY(imageBox.Y2) / ch, protoHeight);
        int gw = u1 - u0, gh = v1 - v0;

        int index = output.TryAllocateMask(
            gw, gh,
            originX: (u0 * cw - t.PadX) / t.Scale,
            originY: (v0 * ch - t.PadY) / t.ScaleY,
            cellWidth: cw / t.Scale,
            cellHeight: ch / t.ScaleY,
            out Span<float> cells);
        if (index < 0)
        {
            return -1;
        }
        int plane = protoHeight * protoWidth;
        for (int r = 0; r < gh; r++)
        {
            Span<float> dst = cells.Slice(r * gw, gw);
            int rowStart = (v0 + r) * protoWidth + u0;
            TensorPrimitives.Multiply(protos.Slice(rowStart, gw), coefficients[0], dst);
            for (int k = 1; k < coefficients.Length; k++)
            {
                TensorPrimitives.MultiplyAdd(protos.Slice(k * plane + rowStart, gw), coefficients[k], dst, dst);
            }
        }
        TensorPrimitives.Sigmoid(cells, cells);
        Debug.Assert(cells.Length == gw * gh);
        return index;
    }

    /// <summary>
    /// Cells [first, end) whose centres (c + 0.5) lie in [lo, hi), in cell units; a box narrower than a cell gets the
    /// one cell under its centre.
    /// </summary>
    public static (int First, int End) CellsInside(float lo, float hi, int cellCount)
    {
        int first = Math.Max(0, (int)MathF.Ceiling(lo - 0.5f));
        int end = Math.Min(cellCount, (int)MathF.Ceiling(hi - 0.5f));
        if (end <= first)
        {
            first = Math.Clamp((int)MathF.Floor((lo + hi) * 0.5f), 0, cellCount - 1);
            end = first + 1;
        }
        return (first, end);
    }
}
