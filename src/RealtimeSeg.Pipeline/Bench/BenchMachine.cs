namespace RealtimeSeg.Pipeline.Bench;

/// <summary>Where the figures were taken.</summary>
public sealed record BenchMachine(string Cpu, int Cores, string Os, string Runtime, string LoadAverage);
