namespace RealtimeSeg.Evaluation.Mot;

/// <summary>The per-sequence results of a folder, in sequence-name order, and their combination.</summary>
public sealed class MotFolderResult
{
    internal MotFolderResult(IReadOnlyList<MotMetrics> sequences, MotMetrics combined)
    {
        Sequences = sequences;
        Combined = combined;
    }

    public IReadOnlyList<MotMetrics> Sequences { get; }

    /// <summary>All sequences combined as TrackEval's <c>COMBINED_SEQ</c> row (named <c>COMBINED</c>).</summary>
    public MotMetrics Combined { get; }

    /// <summary>The sequences' rows then the combined row (<see cref="MotReport.FormatTable"/>).</summary>
    public string FormatTable() => MotReport.FormatTable([.. Sequences, Combined]);

    /// <summary><c>{ "sequences": [ … ], "combined": { … } }</c> (<see cref="MotReport.ToJson"/>).</summary>
    public string ToJson(bool indented = true) => MotReport.ToJson(Sequences, Combined, indented);
}
