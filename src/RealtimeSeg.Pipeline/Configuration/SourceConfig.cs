namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>One stream to read (an item of the <c>sources:</c> list).</summary>
public sealed record SourceConfig
{
    /// <summary>A video path or <c>file:PATH</c> (DESIGN §5 lists the other URI forms), or <c>drive:FILE</c>: a recorded drive whose cameras become streams.</summary>
    public string Uri { get; init; } = "";

    /// <summary>Stream id on the wire and in stats; <c>s0</c>, <c>s1</c>, … by position when absent. For a drive: the drive's name in the log (its streams are named by camera).</summary>
    public string? Name { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Uri))
        {
            throw new ArgumentException("uri is required (a video path or file:PATH)");
        }
        if (Name is not null && (Name.Length == 0 || Name.Contains('/', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"name '{Name}' must be non-empty and without '/' (it becomes a topic segment)");
        }
    }
}
