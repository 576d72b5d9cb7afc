using System.Collections.Immutable;
using System.Diagnostics;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference;

/// <summary>
/// What a model's classes are published as: the output <see cref="Categories"/>, the category of each instance class
/// (things) and of each semantic class (stuff). The two mappings are what the panoptic composer takes; -1 drops an
/// instance class or leaves a semantic class's pixels void. A semantic class mapped to a thing category is kept as -1
/// here: stuff never paints a thing (things come from instances, with track ids).
/// </summary>
public sealed class ModelClasses
{
    public ModelClasses(CategoryTable categories, ImmutableArray<int> thingCategoryForClass, ImmutableArray<int> stuffCategoryForClass)
    {
        ArgumentNullException.ThrowIfNull(categories);
        Categories = categories;
        ThingCategoryForClass = thingCategoryForClass.IsDefault ? [] : thingCategoryForClass;
        StuffCategoryForClass = stuffCategoryForClass.IsDefault ? [] : stuffCategoryForClass;
        AssertInvariants();
    }

    public CategoryTable Categories { get; }

    /// <summary>Per instance class, the thing category id it is published as, or -1.</summary>
    public ImmutableArray<int> ThingCategoryForClass { get; }

    /// <summary>Per semantic class, the stuff category id its pixels take, or -1 (void).</summary>
    public ImmutableArray<int> StuffCategoryForClass { get; }

    /// <summary>Things only, one category per class with the class's id (models without category metadata).</summary>
    public static ModelClasses ThingsOnly(CategoryTable categories)
    {
        var things = ImmutableArray.CreateBuilder<int>(categories.Categories.Count);
        foreach (Category c in categories.Categories)
        {
            things.Add(c.Id);
        }
        return new ModelClasses(categories, things.MoveToImmutable(), []);
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        foreach (int id in ThingCategoryForClass)
        {
            Debug.Assert(id == -1 || (Categories.TryGet(id, out Category c) && c.IsThing), "instance classes map to thing categories");
        }
        foreach (int id in StuffCategoryForClass)
        {
            Debug.Assert(id == -1 || (Categories.TryGet(id, out Category c) && !c.IsThing), "semantic classes map to stuff categories");
        }
    }
}
