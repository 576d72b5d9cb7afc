namespace RealtimeSeg.Recording.Mcap;

/// <summary>What <see cref="McapRecovery.Recover"/> kept and dropped.</summary>
/// <param name="InputWasComplete">The input already had its footer (it was rewritten all the same).</param>
/// <param name="MessagesKept">Messages written to the output.</param>
/// <param name="ChunksKept">Complete, intact chunks read from the input.</param>
/// <param name="MessagesByTopic">Messages kept per topic.</param>
/// <param name="CompleteUpTo">Input bytes up to the end of the last complete record.</param>
/// <param name="BytesDropped">Input bytes after that (a torn chunk, a partial record).</param>
/// <param name="StopReason">Why reading the input stopped before a footer; null if it was complete.</param>
/// <param name="Problems">Corrupt chunks stepped over (their messages are lost).</param>
/// <param name="StartTimeNs">Log time of the earliest kept message (0 if none).</param>
/// <param name="EndTimeNs">Log time of the latest kept message (0 if none).</param>
public sealed record McapRecoveryReport(
    bool InputWasComplete,
    long MessagesKept,
    int ChunksKept,
    IReadOnlyDictionary<string, long> MessagesByTopic,
    long CompleteUpTo,
    long BytesDropped,
    string? StopReason,
    IReadOnlyList<McapProblem> Problems,
    long StartTimeNs,
    long EndTimeNs);
