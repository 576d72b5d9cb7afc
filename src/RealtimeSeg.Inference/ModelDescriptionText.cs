using System.Text;

namespace RealtimeSeg.Inference;

/// <summary>Renders a <see cref="ModelDescription"/> as the plain text <c>models inspect</c> prints.</summary>
public static class ModelDescriptionText
{
    /// <summary>Metadata values longer than this are cut (class-name dicts run to kilobytes); the names are listed separately.</summary>
    public const int MaxValueLength = 100;

    public static string Render(ModelDescription d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var sb = new StringBuilder();
        sb.Append("model:    ").AppendLine(d.Path);
        sb.Append("producer: ").AppendLine(string.IsNullOrEmpty(d.Producer) ? "(unknown)" : d.Producer);
        AppendTensors(sb, "inputs:", d.Inputs);
        AppendTensors(sb, "outputs:", d.Outputs);
        sb.AppendLine(d.Metadata.Count == 0 ? "metadata: (none)" : "metadata:");
        foreach (KeyValuePair<string, string> kv in d.Metadata)
        {
            string v = kv.Value.ReplaceLineEndings(" ");
            if (v.Length > MaxValueLength)
            {
                v = $"{v[..MaxValueLength]}… ({v.Length} chars)";
            }
            sb.Append("  ").Append(kv.Key).Append(": ").AppendLine(v);
        }
        sb.Append("input:    ").AppendLine(d.Input ?? $"cannot be fed: {d.InputProblem}");
        if (d.InputConvention is not null)
        {
            sb.Append("          (").Append(d.InputConvention).AppendLine(")");
        }
        sb.Append("decoder:  ").AppendLine(d.Decoder ?? "none fits");
        foreach (DecoderVerdict v in d.Decoders)
        {
            sb.Append("  ").Append(v.Decoder).Append(v.Fits ? ": fits — " : ": does not fit — ").AppendLine(v.Reason);
        }
        if (d.ClassCount is { } count)
        {
            sb.Append("classes:  ").Append(count);
            if (d.ClassNames is { Count: > 0 } names)
            {
                sb.Append(" (");
                int shown = Math.Min(names.Count, 10);
                for (int i = 0; i < shown; i++)
                {
                    sb.Append(i == 0 ? "" : ", ").Append(i).Append(' ').Append(names[i]);
                }
                sb.Append(names.Count > shown ? ", …)" : ")");
            }
            if (d.SemanticClassCount > 0)
            {
                sb.Append(count == 0 ? " instance classes, " : "; ").Append(d.SemanticClassCount).Append(" semantic classes");
            }
            sb.AppendLine();
        }
        sb.Append("execution providers in this build: ").AppendLine(string.Join(", ", d.AvailableProviders));
        return sb.ToString();
    }

    private static void AppendTensors(StringBuilder sb, string title, IReadOnlyList<TensorInfo> tensors)
    {
        sb.AppendLine(title);
        foreach (TensorInfo t in tensors)
        {
            sb.Append("  ").Append(t.Name).Append("  ").Append(t.ElementType).Append("  ").AppendLine(t.ShapeText);
        }
    }
}
