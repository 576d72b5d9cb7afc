using System.Collections.Immutable;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference;

/// <summary>
/// Builds <see cref="ModelClasses"/> from a config's <c>categories</c>, <c>instance_classes</c> and
/// <c>semantic_classes</c>. Without an explicit mapping, class c is published as category c when that id exists (and
/// is of the right kind), else dropped/void. Mistakes that would make the composer ignore a class silently — an
/// instance class on a stuff category, a semantic class on a thing category — are configuration errors.
/// </summary>
internal static class ConfiguredClasses
{
    public static ModelClasses Build(ModelOptions options, int instanceClasses, int semanticClasses)
    {
        IReadOnlyList<CategoryOptions> configured = options.Categories!;
        var list = new Category[configured.Count];
        for (int i = 0; i < list.Length; i++)
        {
            CategoryOptions c = configured[i];
            int color = c.Color is { Count: 3 } rgb ? (rgb[0] << 16) | (rgb[1] << 8) | rgb[2] : Palette.ColorFor(c.Id);
            list[i] = new Category(c.Id, c.Name, c.Thing, color);
        }
        var table = new CategoryTable(list);

        ImmutableArray<int> things = Map("instance_classes", options.InstanceClasses, instanceClasses, table, wantThing: true);
        ImmutableArray<int> stuff = Map("semantic_classes", options.SemanticClasses, semanticClasses, table, wantThing: false);
        return new ModelClasses(table, things, stuff);
    }

    private static ImmutableArray<int> Map(string key, IReadOnlyList<int>? mapping, int classCount, CategoryTable table, bool wantThing)
    {
        if (mapping is not null && mapping.Count != classCount)
        {
            throw new ConfigurationException($"model.{key}: lists {mapping.Count} classes but the model has {classCount} {(wantThing ? "instance" : "semantic")} classes");
        }
        var ids = ImmutableArray.CreateBuilder<int>(classCount);
        for (int c = 0; c < classCount; c++)
        {
            int id = mapping?[c] ?? c;
            if (id >= 0 && table.TryGet(id, out Category category))
            {
                if (category.IsThing != wantThing)
                {
                    if (mapping is null)
                    {
                        id = -1; // identity fallback: only categories of the right kind are taken
                    }
                    else
                    {
                        throw new ConfigurationException(wantThing
                            ? $"model.{key}[{c}]: category {id} '{category.Name}' is stuff; instance classes are published as things (set thing: true, or map the class to -1)"
                            : $"model.{key}[{c}]: category {id} '{category.Name}' is a thing; semantic classes are published as stuff regions without track ids (set thing: false; docs/models.md)");
                    }
                }
            }
            else if (id >= 0)
            {
                id = -1;
            }
            ids.Add(id);
        }
        return ids.MoveToImmutable();
    }
}
