namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// A file that is not valid MCAP, or whose checksums do not match: names the file and the byte offset where the
/// problem was found so that a user can tell a torn tail (recoverable) from corruption in the middle.
/// </summary>
public sealed class McapFormatException : IOException
{
    public McapFormatException(string filePath, long offset, string problem)
        : base($"{filePath}: offset {offset}: {problem}")
    {
        FilePath = filePath;
        Offset = offset;
        Problem = problem;
    }

    public McapFormatException()
        : this("<unknown>", 0, "malformed MCAP")
    {
    }

    public McapFormatException(string message)
        : this("<unknown>", 0, message)
    {
    }

    public McapFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = "<unknown>";
        Problem = message;
    }

    /// <summary>The file (or stream name) being read.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset from the start of the file where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the file and offset.</summary>
    public string Problem { get; }
}
