namespace RealtimeSeg.Fleet;

/// <summary>One worker's completed jobs: frames over the seconds its jobs ran (per job slot), and over its wall-clock span.</summary>
public sealed record WorkerThroughput(string Name, int Jobs, long Frames, double BusySeconds, double Fps, double WallFps);
