using System.Collections.Immutable;
using RealtimeSeg.Core;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// The decoder families this build knows, in the order auto-selection tries them. A model gets the first family
/// whose layout its outputs match, or the one named by <see cref="ModelOptions.Decoder"/> (<c>--decoder</c>).
/// </summary>
internal static class DecoderRegistry
{
    // Order matters only where layouts could be confused without metadata: raw heads before end-to-end ones, which
    // in turn refuse a row count equal to a stride 8/16/32 grid (YOLOX with one class).
    private static readonly ImmutableArray<IOutputDecoderFactory> Families =
        [new PanopticDecoderFactory(), new YoloSegDecoderFactory(), new YoloDetectDecoderFactory(), new YoloEndToEndDecoderFactory(), new YoloxDecoderFactory(), new MaskRcnnDecoderFactory(), new SemanticDecoderFactory()];

    public static ImmutableArray<string> Names { get; } = [.. Families.Select(f => f.Name)];

    public static string KnownNames => string.Join(", ", Names);

    public static bool IsKnown(string name) => Find(name) is not null;

    public static IOutputDecoderFactory? Find(string name)
    {
        foreach (IOutputDecoderFactory f in Families)
        {
            if (string.Equals(f.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return f;
            }
        }
        return null;
    }

    /// <summary>Every family's verdict on the model (for <c>models inspect</c>), plus the one that would be used.</summary>
    public static (IOutputDecoderFactory? Chosen, IDecoderLayout? Layout, ImmutableArray<DecoderVerdict> Verdicts) Evaluate(
        ModelSignature signature, InputSpec? input, string? inputProblem, string? forced)
    {
        IOutputDecoderFactory? chosen = null;
        IDecoderLayout? chosenLayout = null;
        var verdicts = ImmutableArray.CreateBuilder<DecoderVerdict>(Families.Length);
        foreach (IOutputDecoderFactory f in Families)
        {
            if (input is null)
            {
                verdicts.Add(new DecoderVerdict(f.Name, false, $"the input cannot be fed: {inputProblem}"));
                continue;
            }
            bool fits = f.TryMatch(signature, input, out IDecoderLayout? layout, out string reason);
            verdicts.Add(new DecoderVerdict(f.Name, fits, reason));
            bool wanted = forced is null || string.Equals(f.Name, forced.Trim(), StringComparison.OrdinalIgnoreCase);
            if (fits && wanted && chosen is null)
            {
                (chosen, chosenLayout) = (f, layout);
            }
        }
        return (chosen, chosenLayout, verdicts.MoveToImmutable());
    }

    /// <summary>The family and layout for a model, or <see cref="ModelLoadException"/> naming what does not fit.</summary>
    public static (IOutputDecoderFactory Family, IDecoderLayout Layout) Resolve(ModelSignature signature, InputSpec input, string? forced)
    {
        if (forced is not null && Find(forced) is null)
        {
            throw new ConfigurationException($"model.decoder: unknown decoder '{forced}' (known: {KnownNames})");
        }
        (IOutputDecoderFactory? chosen, IDecoderLayout? layout, ImmutableArray<DecoderVerdict> verdicts) = Evaluate(signature, input, null, forced);
        if (chosen is not null && layout is not null)
        {
            return (chosen, layout);
        }
        if (forced is not null)
        {
            foreach (DecoderVerdict v in verdicts)
            {
                if (string.Equals(v.Decoder, forced.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    throw new ModelLoadException(signature.Path, v.Reason);
                }
            }
        }
        throw new ModelLoadException(signature.Path, "no decoder fits its outputs: " + string.Join("; ", verdicts.Select(v => $"{v.Decoder}: {v.Reason}")));
    }

    /// <summary>The decoder for a model (see <see cref="Resolve"/>).</summary>
    public static IOutputDecoder Create(ModelSignature signature, InputSpec input, string? forced, DecoderOptions options)
    {
        (IOutputDecoderFactory family, IDecoderLayout layout) = Resolve(signature, input, forced);
        return family.Create(layout, options);
    }
}
