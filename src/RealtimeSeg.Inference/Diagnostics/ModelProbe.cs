using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime.Tensors;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Diagnostics;

/// <summary>
/// Runs a loaded model once on one frame and keeps everything a person (or a reference script) needs to check it:
/// the letterbox, each raw output and the decoded detections. Diagnostic use (<c>models run</c>), not the hot path.
/// </summary>
public static class ModelProbe
{
    /// <summary>Preprocesses, runs and decodes <paramref name="frame"/>; <paramref name="saveDirectory"/>, when given,
    /// receives input.npy, one .npy per output (by output name) and frame.json (image size, letterbox, input spec).</summary>
    public static DetectionSet Run(SegmentationModel model, StillFrame frame, string? saveDirectory)
        => Run(model, frame, saveDirectory, null);

    /// <summary>As <see cref="Run(SegmentationModel, StillFrame, string?)"/>, also filling <paramref name="semantic"/> for models with a semantic output.</summary>
    public static DetectionSet Run(SegmentationModel model, StillFrame frame, string? saveDirectory, SemanticMap? semantic)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(frame);
        using InferenceSlot slot = model.CreateSlot();
        DetectionSet set = model.CreateDetectionSet();
        model.Preprocess(frame.Pointer, frame.Width, frame.Height, frame.Stride, slot);
        model.Run(slot);
        model.Decode(slot, set, semantic);
        if (saveDirectory is not null)
        {
            Save(model, slot, saveDirectory);
        }
        return set;
    }

    private static void Save(SegmentationModel model, InferenceSlot slot, string directory)
    {
        Directory.CreateDirectory(directory);
        NpyWriter.Write(Path.Combine(directory, "input.npy"), slot.Input, model.Input.Shape);
        var names = new List<string>();
        for (int i = 0; i < slot.OutputCount; i++)
        {
            TensorInfo info = model.OutputInfo(i);
            string file = Path.Combine(directory, FileName(info.Name) + ".npy");
            long[] shape = slot.OutputShape(i);
            switch (slot.OutputElementType(i))
            {
                case TensorElementType.Float:
                    NpyWriter.Write(file, slot.Output(i), shape);
                    break;
                case TensorElementType.Int64:
                    NpyWriter.Write(file, slot.Output<long>(i), shape);
                    break;
                case TensorElementType.Int32:
                    NpyWriter.Write(file, Widen(slot.Output<int>(i)), shape);
                    break;
                case TensorElementType.UInt8:
                    NpyWriter.Write(file, Widen(slot.Output<byte>(i)), shape);
                    break;
                default:
                    NpyWriter.Write(file, Widen(slot.Output<sbyte>(i)), shape);
                    break;
            }
            names.Add(info.Name);
        }
        LetterboxTransform t = slot.Transform;
        using FileStream f = File.Create(Path.Combine(directory, "frame.json"));
        using var w = new Utf8JsonWriter(f, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("model", Path.GetFileName(model.Path));
        w.WriteString("decoder", model.DecoderName);
        w.WriteString("input", model.InputDescription);
        w.WriteNumber("image_width", t.SourceWidth);
        w.WriteNumber("image_height", t.SourceHeight);
        w.WriteNumber("input_width", t.InputWidth);
        w.WriteNumber("input_height", t.InputHeight);
        w.WriteString("resize", model.Input.Resize == ResizeMode.Stretch ? "stretch" : "letterbox");
        w.WriteStartArray("outputs");
        foreach (string n in names)
        {
            w.WriteStringValue(n);
        }
        w.WriteEndArray();
        w.WriteString("note", string.Create(CultureInfo.InvariantCulture,
            $"letterbox scale {t.Scale}, pad {t.PadX},{t.PadY} (recomputed independently by the reference script)"));
        w.WriteEndObject();
    }

    /// <summary>Integer class maps are saved as int64, which every numpy reads the same way.</summary>
    private static long[] Widen<T>(ReadOnlySpan<T> values)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        var wide = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            wide[i] = long.CreateTruncating(values[i]);
        }
        return wide;
    }

    /// <summary>Output names such as "tf.identity" or "ResizeBilinear_3" are safe; anything else becomes '_'.</summary>
    internal static string FileName(string name)
    {
        char[] chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '_' or '-' or '.'))
            {
                chars[i] = '_';
            }
        }
        return new string(chars);
    }
}
