using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RealtimeSeg.Fleet;

/// <summary>
/// Splits a recorded source of <c>frameCount</c> frames into segments of <c>segmentSeconds</c>, each (but the first)
/// starting <c>overlapSeconds</c> early so its tracker is warm and its ids can be joined to the previous segment's.
/// Pure: the same inputs give the same jobs and job ids.
/// </summary>
internal static class SegmentPlanner
{
    public static SourcePlan Plan(string source, long frameCount, double fps, double segmentSeconds, double overlapSeconds,
        string? config, string? model, string configHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (frameCount <= 0)
        {
            throw new ArgumentException($"source '{source}' has no frames to process", nameof(frameCount));
        }
        if (!(double.IsFinite(fps) && fps > 0))
        {
            throw new ArgumentException($"source '{source}' reports {fps} fps; cannot turn seconds into frames", nameof(fps));
        }
        if (!(double.IsFinite(segmentSeconds) && segmentSeconds > 0))
        {
            throw new ArgumentException($"--segment-seconds must be > 0 (got {segmentSeconds})", nameof(segmentSeconds));
        }
        if (!(double.IsFinite(overlapSeconds) && overlapSeconds >= 0 && overlapSeconds < segmentSeconds))
        {
            throw new ArgumentException($"--overlap-seconds must be ≥ 0 and below --segment-seconds ({segmentSeconds}) (got {overlapSeconds})", nameof(overlapSeconds));
        }
        long segmentFrames = Math.Max(1, (long)Math.Round(segmentSeconds * fps));
        long overlapFrames = (long)Math.Round(overlapSeconds * fps);
        int segments = checked((int)((frameCount + segmentFrames - 1) / segmentFrames));
        string sourceKey = SourceKey(source);
        string run = Hash($"{source}\n{frameCount}\n{segmentFrames}\n{overlapFrames}\n{configHash}")[..8];
        var jobs = new FleetJob[segments];
        for (int i = 0; i < segments; i++)
        {
            long start = i * segmentFrames;
            jobs[i] = new FleetJob
            {
                JobId = string.Create(CultureInfo.InvariantCulture, $"{sourceKey}-{run}-{i:D5}"),
                Source = source,
                SourceKey = sourceKey,
                Segment = i,
                Segments = segments,
                FirstFrame = Math.Max(0, start - overlapFrames),
                StartFrame = start,
                EndFrame = Math.Min(frameCount, start + segmentFrames),
                Fps = fps,
                Config = config,
                Model = model,
                ConfigHash = configHash,
            };
        }
        return new SourcePlan
        {
            Source = source,
            SourceKey = sourceKey,
            FrameCount = frameCount,
            Fps = fps,
            SegmentSeconds = segmentSeconds,
            OverlapSeconds = overlapSeconds,
            ConfigHash = configHash,
            SubmittedAt = now,
            Jobs = jobs,
        };
    }

    /// <summary>The ledger key of a source: 16 hex digits of the SHA-256 of its URI (KV keys allow no slashes or colons).</summary>
    public static string SourceKey(string source) => Hash(source)[..16];

    /// <summary>
    /// What a job's results depend on besides the frames: the config file's bytes and the model path. A worker
    /// recomputes it and refuses a job whose config changed after it was submitted.
    /// </summary>
    public static string ConfigHash(string? configPath, string? modelPath)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (configPath is not null)
        {
            sha.AppendData(File.ReadAllBytes(configPath));
        }
        sha.AppendData(Encoding.UTF8.GetBytes("\nmodel:" + (modelPath ?? "")));
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
