using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime.Tensors;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Fills a <see cref="SemanticMap"/> from a semantic output described by a <see cref="SemanticLayout"/>, with the
/// geometry that maps its cells back through the letterbox onto the source image. Class indices outside
/// 0…<see cref="SemanticLayout.ClassCount"/>-1 become <see cref="SemanticMap.NoClass"/>. Allocates nothing.
/// </summary>
internal static class SemanticMapReader
{
    public static void Read(InferenceSlot slot, SemanticLayout layout, SemanticMap map)
    {
        LetterboxTransform t = slot.Transform;
        float cellW = (float)layout.InputWidth / layout.Width, cellH = (float)layout.InputHeight / layout.Height;
        map.Reset(layout.Width, layout.Height, -t.PadX / t.Scale, -t.PadY / t.ScaleY, cellW / t.Scale, cellH / t.ScaleY);
        Span<byte> classes = map.Classes;
        if (layout.Encoding == SemanticEncoding.Scores)
        {
            ReadScores(slot.Output(layout.Output), layout, classes);
            return;
        }
        switch (layout.ElementType)
        {
            case TensorElementType.UInt8:
                ReadIndices(slot.Output<byte>(layout.Output), layout.ClassCount, classes);
                break;
            case TensorElementType.Int8:
                ReadIndices(slot.Output<sbyte>(layout.Output), layout.ClassCount, classes);
                break;
            case TensorElementType.Int32:
                ReadIndices(slot.Output<int>(layout.Output), layout.ClassCount, classes);
                break;
            default:
                ReadIndices(slot.Output<long>(layout.Output), layout.ClassCount, classes);
                break;
        }
    }

    internal static void ReadIndices<T>(ReadOnlySpan<T> source, int classCount, Span<byte> classes)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        for (int i = 0; i < classes.Length; i++)
        {
            long c = long.CreateTruncating(source[i]);
            classes[i] = (ulong)c < (ulong)classCount ? (byte)c : SemanticMap.NoClass;
        }
    }

    /// <summary>
    /// NHWC arg-max. Class counts are small (4 for road segmentation, 21 for VOC): a plain compare loop per cell beats a
    /// vectorised IndexOfMax call per cell, whose set-up costs more than the few compares it saves.
    /// </summary>
    private static void ReadInterleaved(ReadOnlySpan<float> scores, int plane, int n, Span<byte> classes)
    {
        ref float s0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(scores);
        for (int i = 0; i < plane; i++)
        {
            ref float cell = ref System.Runtime.CompilerServices.Unsafe.Add(ref s0, i * n);
            float best = float.NegativeInfinity;
            int bestClass = SemanticMap.NoClass;
            for (int c = 0; c < n; c++)
            {
                float v = System.Runtime.CompilerServices.Unsafe.Add(ref cell, c);
                if (v > best)
                {
                    best = v;
                    bestClass = c;
                }
            }
            classes[i] = (byte)bestClass;
        }
    }

    /// <summary>Arg-max over the class axis; NaN scores never win, a cell whose scores are all NaN gets no class.</summary>
    internal static void ReadScores(ReadOnlySpan<float> scores, SemanticLayout layout, Span<byte> classes)
    {
        int plane = layout.Width * layout.Height, n = layout.ClassCount;
        if (scores.Length < plane * n || classes.Length < plane)
        {
            ThrowHelper.ThrowArgument(nameof(scores), $"a {layout.Width}x{layout.Height} map of {n} classes needs {plane * n} scores and {plane} cells; got {scores.Length} and {classes.Length}");
        }
        if (layout.Layout == TensorLayout.Nhwc)
        {
            ReadInterleaved(scores, plane, n, classes);
            return;
        }
        // NCHW: class-major planes; a running max over planes keeps the reads sequential.
        Span<byte> best8 = classes;
        best8.Fill(SemanticMap.NoClass);
        float[]? rented = null;
        Span<float> max = plane <= 4096 ? stackalloc float[plane] : (rented = System.Buffers.ArrayPool<float>.Shared.Rent(plane)).AsSpan(0, plane);
        max.Fill(float.NegativeInfinity);
        for (int c = 0; c < n; c++)
        {
            ReadOnlySpan<float> p = scores.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                if (p[i] > max[i])
                {
                    max[i] = p[i];
                    best8[i] = (byte)c;
                }
            }
        }
        if (rented is not null)
        {
            System.Buffers.ArrayPool<float>.Shared.Return(rented);
        }
    }
}
