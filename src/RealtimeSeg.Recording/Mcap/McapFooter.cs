namespace RealtimeSeg.Recording.Mcap;

/// <summary>The Footer record: where the summary and summary offsets start (0: absent) and the summary CRC.</summary>
internal readonly record struct McapFooter(long SummaryStart, long SummaryOffsetStart, uint SummaryCrc);
