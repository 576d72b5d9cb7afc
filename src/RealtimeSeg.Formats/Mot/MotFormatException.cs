namespace RealtimeSeg.Formats.Mot;

/// <summary>
/// A MOTChallenge file (tracks, ground truth, <c>seqinfo.ini</c>) that cannot be evaluated: the message names the
/// file and, where there is one, the 1-based line. The <c>realtimeseg</c> command maps it to exit code 2 (bad input).
/// </summary>
public sealed class MotFormatException : FormatException
{
    public MotFormatException()
    {
    }

    public MotFormatException(string message) : base(message)
    {
    }

    public MotFormatException(string message, Exception inner) : base(message, inner)
    {
    }

    public MotFormatException(string filePath, int line, string problem)
        : base(line > 0 ? $"{filePath}:{line}: {problem}" : $"{filePath}: {problem}")
    {
        FilePath = filePath;
        LineNumber = line;
    }

    /// <summary>The file (or the name given to the reader) the problem is in; null when unknown.</summary>
    public string? FilePath { get; }

    /// <summary>1-based line of the offending row; 0 when the problem is not tied to one line.</summary>
    public int LineNumber { get; }
}
