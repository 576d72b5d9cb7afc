namespace RealtimeSeg.Pipeline.Bench;

/// <summary>Where the figures were taken (the load average matters on a shared machine: start → end of the run).</summary>
public sealed record BenchMachine(string Cpu, int Cores, string Os, string Runtime, string LoadAverage);
