namespace RealtimeSeg.Pipeline.Bench;

/// <summary>One budget: what was measured against what DESIGN §7 allows.</summary>
public sealed record BenchBudget(string Name, string Target, double Measured, string Unit, bool Met);
