namespace RealtimeSeg.Pipeline.Stats;

/// <summary>A loaded model as reported under <c>models</c> in <c>--stats</c>.</summary>
public sealed record ModelSummary(string Path, string Decoder, string Input, string ExecutionProvider);
