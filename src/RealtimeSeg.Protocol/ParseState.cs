namespace RealtimeSeg.Protocol;

/// <summary>
/// Where a reader is in a message, kept outside the <see cref="WireCursor"/> ref structs so that an error
/// caught at the top (a truncated payload surfaces as an exception from deep inside MessagePack) can still
/// name the key being read. Only literals are stored, so tracking costs no allocation.
/// </summary>
internal sealed class ParseState
{
    /// <summary>The key whose value is being read, e.g. "bbox"; "" at the top level.</summary>
    public string Key = "";

    /// <summary>The array of maps being read ("segs", "cats"), or null at the top level.</summary>
    public string? Parent;

    /// <summary>Index within <see cref="Parent"/>.</summary>
    public int Index;

    public void Reset()
    {
        Key = "";
        Parent = null;
        Index = 0;
    }

    /// <summary>The full key for error messages, e.g. "segs[3].bbox".</summary>
    public string DescribeKey(string key)
        => Parent is null ? key : key.Length == 0 ? $"{Parent}[{Index}]" : $"{Parent}[{Index}].{key}";
}
