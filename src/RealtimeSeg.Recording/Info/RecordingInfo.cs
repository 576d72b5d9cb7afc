using RealtimeSeg.Recording.Mcap;

namespace RealtimeSeg.Recording.Info;

/// <summary>
/// What <c>realtimeseg recording info</c> prints: channels with their encodings, schemas and counts, the time span,
/// gaps, and whether the file was closed cleanly or needs <c>recording recover</c>.
/// </summary>
/// <remarks>
/// A gap is a spacing between consecutive messages of one channel larger than <see cref="GapFactor"/> times that
/// channel's median spacing (3x by default): at 30 fps a gap is anything over 100 ms, i.e. two or more frames missing.
/// The median, not the mean, so that the gaps themselves do not raise the threshold. Channels with fewer than three
/// messages report no gaps.
/// </remarks>
public sealed record RecordingInfo(
    string Path,
    long FileLength,
    McapHeader Header,
    bool ClosedCleanly,
    bool NeedsRecovery,
    string? NotCleanReason,
    long ReadableUpTo,
    IReadOnlyList<RecordingChannelInfo> Channels,
    long MessageCount,
    int ChunkCount,
    long StartTimeNs,
    long EndTimeNs,
    double GapFactor,
    IReadOnlyList<McapProblem> Problems)
{
    /// <summary>Gaps are spacings above this multiple of a channel's median spacing.</summary>
    public const double DefaultGapFactor = 3.0;

    /// <summary>Time from the first to the last message.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks((EndTimeNs - StartTimeNs) / 100);

    /// <summary>
    /// Reads <paramref name="path"/>: through its summary when it was closed cleanly, otherwise by streaming it up to
    /// where it was cut (reporting that it needs recovery). Reads every message's log time to find gaps.
    /// </summary>
    public static RecordingInfo Read(string path, double gapFactor = DefaultGapFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(gapFactor, 1.0);
        using McapReader indexed = McapReader.Open(path);
        if (indexed.IsIndexed)
        {
            var times = new Dictionary<ushort, List<long>>();
            foreach (McapMessage message in indexed.ReadMessages())
            {
                Times(times, message.ChannelId).Add(message.LogTimeNs);
            }
            return Build(path, indexed.Length, indexed.Header, true, null, indexed.Length, indexed.Schemas, indexed.Channels,
                times, indexed.ChunkIndexes.Count, gapFactor, []);
        }

        using var stream = McapStreamReader.Open(path, skipCorruptChunks: true);
        var streamTimes = new Dictionary<ushort, List<long>>();
        foreach (McapMessage message in stream.ReadMessages())
        {
            Times(streamTimes, message.ChannelId).Add(message.LogTimeNs);
        }
        string reason = stream.Status == McapStreamStatus.Complete
            ? indexed.NotIndexedReason ?? "the file has no summary"
            : $"{indexed.NotIndexedReason}; {stream.StopReason}";
        return Build(path, indexed.Length, stream.Header ?? indexed.Header, false, reason, stream.CompleteUpTo, stream.Schemas,
            stream.Channels, streamTimes, stream.ChunkCount, gapFactor, stream.Problems);
    }

    private static List<long> Times(Dictionary<ushort, List<long>> times, ushort channel)
    {
        if (!times.TryGetValue(channel, out List<long>? list))
        {
            list = [];
            times[channel] = list;
        }
        return list;
    }

    private static RecordingInfo Build(
        string path, long length, McapHeader header, bool clean, string? reason, long readableUpTo,
        IReadOnlyDictionary<ushort, McapSchema> schemas, IReadOnlyDictionary<ushort, McapChannel> channels,
        Dictionary<ushort, List<long>> times, int chunkCount, double gapFactor, IReadOnlyList<McapProblem> problems)
    {
        var infos = new List<RecordingChannelInfo>();
        long total = 0, start = long.MaxValue, end = long.MinValue;
        foreach (McapChannel channel in channels.Values.OrderBy(static c => c.Id))
        {
            List<long> t = times.TryGetValue(channel.Id, out List<long>? list) ? list : [];
            t.Sort();
            schemas.TryGetValue(channel.SchemaId, out McapSchema? schema);
            (long median, List<RecordingGap> gaps) = FindGaps(channel.Topic, t, gapFactor);
            infos.Add(new RecordingChannelInfo(
                channel.Id, channel.Topic, channel.MessageEncoding, schema?.Name ?? string.Empty, schema?.Encoding ?? string.Empty,
                channel.Metadata, t.Count, t.Count > 0 ? t[0] : 0, t.Count > 0 ? t[^1] : 0, median, gaps));
            total += t.Count;
            if (t.Count > 0)
            {
                start = Math.Min(start, t[0]);
                end = Math.Max(end, t[^1]);
            }
        }
        if (total == 0)
        {
            start = end = 0;
        }
        return new RecordingInfo(path, length, header, clean, !clean, reason, readableUpTo, infos, total, chunkCount, start, end, gapFactor, problems);
    }

    private static (long Median, List<RecordingGap> Gaps) FindGaps(string topic, List<long> times, double gapFactor)
    {
        var gaps = new List<RecordingGap>();
        if (times.Count < 2)
        {
            return (0, gaps);
        }
        var spacings = new long[times.Count - 1];
        for (int i = 1; i < times.Count; i++)
        {
            spacings[i - 1] = times[i] - times[i - 1];
        }
        long[] sorted = (long[])spacings.Clone();
        Array.Sort(sorted);
        long median = sorted[sorted.Length / 2];
        if (times.Count < 3 || median <= 0)
        {
            return (median, gaps);
        }
        double threshold = median * gapFactor;
        for (int i = 0; i < spacings.Length; i++)
        {
            if (spacings[i] > threshold)
            {
                gaps.Add(new RecordingGap(topic, times[i], times[i + 1]));
            }
        }
        return (median, gaps);
    }
}
