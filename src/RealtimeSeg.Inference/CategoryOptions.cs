namespace RealtimeSeg.Inference;

/// <summary>
/// One output category in a config's <c>model.categories</c> list: what a model's classes are published as.
/// Replaces the category table a model's metadata would give (class names, <c>realtimeseg.categories</c>).
/// </summary>
public sealed record CategoryOptions
{
    /// <summary>Category id on the wire (≥ 0, unique in the list).</summary>
    public int Id { get; init; }

    /// <summary>Human-readable name, e.g. "road".</summary>
    public string Name { get; init; } = "";

    /// <summary>True for countable objects that get track ids (instances); false for stuff (regions, no track id).</summary>
    public bool Thing { get; init; }

    /// <summary>Display colour [r, g, b] 0..255; null = the palette's colour for the id.</summary>
    public IReadOnlyList<int>? Color { get; init; }
}
