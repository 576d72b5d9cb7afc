using System.Collections.Frozen;

namespace RealtimeSeg.Core;

/// <summary>
/// The immutable list of categories a pipeline emits. Frames carry <see cref="Version"/> so subscribers
/// can tell whether the table they hold is the one a frame was made with.
/// </summary>
public sealed class CategoryTable
{
    private readonly FrozenDictionary<int, Category> _byId;

    public CategoryTable(IReadOnlyList<Category> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var byId = new Dictionary<int, Category>(categories.Count);
        foreach (Category c in categories)
        {
            if (!byId.TryAdd(c.Id, c))
            {
                throw new ArgumentException($"category id {c.Id} appears twice ('{byId[c.Id].Name}' and '{c.Name}')", nameof(categories));
            }
        }
        Categories = categories.ToArray();
        _byId = byId.ToFrozenDictionary();
        Version = ComputeVersion(Categories);
    }

    public IReadOnlyList<Category> Categories { get; }

    /// <summary>A stable 32-bit FNV-1a hash of ids, names, kinds and colours.</summary>
    public uint Version { get; }

    public bool TryGet(int id, out Category category) => _byId.TryGetValue(id, out category!);

    /// <summary>Every class a thing, named "class_N" — for models that carry no names.</summary>
    public static CategoryTable Unnamed(int classCount)
    {
        var list = new Category[classCount];
        for (int i = 0; i < classCount; i++)
        {
            list[i] = new Category(i, $"class_{i}", IsThing: true, Palette.ColorFor(i));
        }
        return new CategoryTable(list);
    }

    private static uint ComputeVersion(IReadOnlyList<Category> categories)
    {
        uint h = 2166136261;
        foreach (Category c in categories)
        {
            h = Mix(h, (uint)c.Id);
            foreach (char ch in c.Name)
            {
                h = Mix(h, ch);
            }
            h = Mix(h, c.IsThing ? 1u : 0u);
            h = Mix(h, (uint)c.Color);
        }
        return h;

        static uint Mix(uint h, uint v) => (h ^ v) * 16777619;
    }
}
