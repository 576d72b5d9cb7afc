namespace RealtimeSeg.Recording.Mcap;

/// <summary>How far a <see cref="McapStreamReader"/> got.</summary>
public enum McapStreamStatus
{
    /// <summary>Still reading.</summary>
    Reading,

    /// <summary>Read through the footer and trailing magic: the file was closed cleanly.</summary>
    Complete,

    /// <summary>The file ends before its footer (a crash or a copy cut short); everything before <see cref="McapStreamReader.CompleteUpTo"/> was read.</summary>
    Truncated,
}
