using System.Diagnostics;

namespace RealtimeSeg.Formats.Mot;

/// <summary>
/// The rows of one MOTChallenge file (ground truth or tracker output) for one sequence, in file order — the order
/// matters: TrackEval builds each frame's IoU matrix in file order and its matchings break ties by position.
/// Immutable once built. An id may appear more than once in a frame (a detections file has id −1 throughout);
/// the evaluator refuses that, as TrackEval does.
/// </summary>
public sealed class MotSequence
{
    private readonly MotRecord[] _records;
    private readonly int[]? _lines;
    private readonly Lazy<MotRecord[][]> _byFrame;

    /// <summary>Builds a sequence from rows made in code (e.g. the offline tracker's output).</summary>
    /// <param name="name">Sequence name used in reports, e.g. <c>TUD-Campus</c>.</param>
    /// <param name="records">Rows; frames are 1-based and an id appears at most once per frame.</param>
    /// <param name="frameCount">
    /// The sequence length (<c>seqLength</c> of <c>seqinfo.ini</c>) when known; otherwise the highest frame present.
    /// </param>
    /// <exception cref="ArgumentException">A frame outside 1…<paramref name="frameCount"/> or a non-finite box.</exception>
    public MotSequence(string name, IEnumerable<MotRecord> records, int? frameCount = null)
        : this(name, null, [.. records], null, frameCount)
    {
    }

    internal MotSequence(string name, string? sourcePath, MotRecord[] records, int[]? lines, int? frameCount)
    {
        ArgumentNullException.ThrowIfNull(name);
        Debug.Assert(lines is null || lines.Length == records.Length, "one line number per record");
        if (frameCount is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frameCount), frameCount, "frame count must be ≥ 0");
        }
        Name = name;
        SourcePath = sourcePath;
        _records = records;
        _lines = lines;
        HasDeclaredFrameCount = frameCount.HasValue;
        int highest = 0;
        for (int k = 0; k < records.Length; k++)
        {
            ref readonly MotRecord r = ref records[k];
            if (r.Frame < 1)
            {
                Fail(k, $"frame {r.Frame} is not a 1-based frame number");
            }
            if (frameCount is int declared && r.Frame > declared)
            {
                Fail(k, $"frame {r.Frame} is beyond the sequence length {declared}");
            }
            if (!double.IsFinite(r.X) || !double.IsFinite(r.Y) || !double.IsFinite(r.Width) || !double.IsFinite(r.Height))
            {
                Fail(k, "box coordinates must be finite numbers");
            }
            highest = Math.Max(highest, r.Frame);
        }
        FrameCount = frameCount ?? highest;
        _byFrame = new Lazy<MotRecord[][]>(GroupByFrame);
    }

    /// <summary>Sequence name used in reports.</summary>
    public string Name { get; }

    /// <summary>The file the rows were read from; null for sequences built in code.</summary>
    public string? SourcePath { get; }

    /// <summary>All rows in file order.</summary>
    public IReadOnlyList<MotRecord> Records => _records;

    /// <summary>Number of frames: the declared length when given, else the highest frame present (0 when empty).</summary>
    public int FrameCount { get; }

    /// <summary>True when <see cref="FrameCount"/> came from <c>seqinfo.ini</c> or the caller rather than the rows.</summary>
    public bool HasDeclaredFrameCount { get; }

    /// <summary>All rows in file order, without a copy.</summary>
    public ReadOnlySpan<MotRecord> Span => _records;

    /// <summary>The rows of one frame (1…<see cref="FrameCount"/>) in file order; empty for a frame without rows.</summary>
    public IReadOnlyList<MotRecord> RecordsInFrame(int frame)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frame, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame, FrameCount);
        return _byFrame.Value[frame - 1];
    }

    /// <summary>The rows of one class only (column 8), keeping the frame count.</summary>
    public MotSequence WhereClass(int classId)
    {
        var records = new List<MotRecord>();
        var lines = _lines is null ? null : new List<int>();
        for (int k = 0; k < _records.Length; k++)
        {
            if (_records[k].ClassId == classId)
            {
                records.Add(_records[k]);
                lines?.Add(_lines![k]);
            }
        }
        return new MotSequence(Name, SourcePath, [.. records], lines?.ToArray(), HasDeclaredFrameCount ? FrameCount : null);
    }

    /// <summary>The same rows with a declared length (e.g. <c>seqLength</c> read separately).</summary>
    public MotSequence WithFrameCount(int frameCount) => new(Name, SourcePath, _records, _lines, frameCount);

    /// <summary>The same rows under another report name.</summary>
    public MotSequence WithName(string name) => new(name, SourcePath, _records, _lines, HasDeclaredFrameCount ? FrameCount : null);

    /// <summary>1-based line of a record in its file; 0 for sequences built in code.</summary>
    public int LineOf(int recordIndex) => _lines is null ? 0 : _lines[recordIndex];

    /// <summary>An error about one record: a <see cref="MotFormatException"/> naming file and line for file data.</summary>
    public Exception ErrorAt(int recordIndex, string problem)
        => SourcePath is null
            ? new ArgumentException($"{Name}: {problem}")
            : new MotFormatException(SourcePath, LineOf(recordIndex), problem);

    [StackTraceHidden]
    private void Fail(int recordIndex, string problem) => throw ErrorAt(recordIndex, problem);

    private MotRecord[][] GroupByFrame()
    {
        var counts = new int[FrameCount];
        foreach (MotRecord r in _records)
        {
            counts[r.Frame - 1]++;
        }
        var frames = new MotRecord[FrameCount][];
        for (int f = 0; f < FrameCount; f++)
        {
            frames[f] = counts[f] == 0 ? [] : new MotRecord[counts[f]];
            counts[f] = 0;
        }
        foreach (MotRecord r in _records)
        {
            frames[r.Frame - 1][counts[r.Frame - 1]++] = r;
        }
        return frames;
    }
}
