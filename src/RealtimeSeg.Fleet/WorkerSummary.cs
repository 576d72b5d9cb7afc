namespace RealtimeSeg.Fleet;

/// <summary>What one worker process did.</summary>
public sealed record WorkerSummary(int Completed, int Skipped, int Retried, int DeadLettered, long Frames, double Seconds);
