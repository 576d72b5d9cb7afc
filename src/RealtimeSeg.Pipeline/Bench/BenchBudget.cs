namespace RealtimeSeg.Pipeline.Bench;

/// <summary>One budget: what was measured against what DESIGN §7 allows.</summary>
public sealed record BenchBudget(string Name, string Target, double Measured, string Unit, bool Met)
{
    /// <summary>False when the run gave nothing to judge (e.g. the phase never passed warm-up): neither met nor missed.</summary>
    public bool Measurable => !double.IsNaN(Measured);

    /// <summary>"met", "missed" or "not measured".</summary>
    public string Verdict => !Measurable ? "not measured" : Met ? "met" : "missed";
}
