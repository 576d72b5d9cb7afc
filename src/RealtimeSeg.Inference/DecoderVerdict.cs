namespace RealtimeSeg.Inference;

/// <summary>Whether one decoder family fits a model, and why (or why not: the tensor and expected vs actual shape).</summary>
public sealed record DecoderVerdict(string Decoder, bool Fits, string Reason);
