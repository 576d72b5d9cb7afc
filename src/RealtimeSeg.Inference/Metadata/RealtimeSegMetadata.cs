using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Metadata;

/// <summary>
/// The <c>realtimeseg.*</c> metadata keys a model can carry so that the pipeline configures itself from the file alone
/// (docs/models.md). Every value is JSON:
/// <list type="table">
/// <item><term>realtimeseg.categories</term><description>[{"id", "name", "isthing", "color": [r, g, b]}, …] — the output categories</description></item>
/// <item><term>realtimeseg.instance_classes</term><description>[category id per instance-head class] (-1 drops the class)</description></item>
/// <item><term>realtimeseg.semantic_classes</term><description>[category id per semantic class] (-1 leaves its pixels void; thing categories are never painted as stuff)</description></item>
/// <item><term>realtimeseg.input</term><description>{"color_order": "rgb"|"bgr", "mean": [3], "std": [3]} in model channel order, on 0..255 pixels</description></item>
/// <item><term>realtimeseg.outputs</term><description>{"instances": name, "prototypes": name, "semantic": name} — output roles</description></item>
/// </list>
/// Parsed once at load time; a malformed value is a <see cref="ModelLoadException"/> naming the key.
/// </summary>
internal sealed record RealtimeSegMetadata(
    CategoryTable? Categories,
    ImmutableArray<int> InstanceClasses,
    ImmutableArray<int> SemanticClasses,
    ColorOrder? ColorOrder,
    ImmutableArray<float> Mean,
    ImmutableArray<float> Std,
    ImmutableDictionary<string, string> Outputs)
{
    public const string CategoriesKey = "realtimeseg.categories";
    public const string InstanceClassesKey = "realtimeseg.instance_classes";
    public const string SemanticClassesKey = "realtimeseg.semantic_classes";
    public const string InputKey = "realtimeseg.input";
    public const string OutputsKey = "realtimeseg.outputs";

    public static RealtimeSegMetadata Empty { get; } = new(null, [], [], null, [], [], ImmutableDictionary<string, string>.Empty);

    /// <summary>The output named for <paramref name="role"/> ("instances", "prototypes", "semantic"), if the metadata names one.</summary>
    public bool TryGetOutput(string role, [NotNullWhen(true)] out string? name) => Outputs.TryGetValue(role, out name);

    /// <summary>Reads the keys present in <paramref name="metadata"/>; absent keys stay empty.</summary>
    /// <exception cref="ModelLoadException">A key is present but not what it must be.</exception>
    public static RealtimeSegMetadata Read(string path, IReadOnlyDictionary<string, string> metadata)
    {
        RealtimeSegMetadata result = Empty;
        if (metadata.TryGetValue(CategoriesKey, out string? categories))
        {
            result = result with { Categories = ParseCategories(path, categories) };
        }
        if (metadata.TryGetValue(InstanceClassesKey, out string? instances))
        {
            result = result with { InstanceClasses = ParseIds(path, InstanceClassesKey, instances, result.Categories) };
        }
        if (metadata.TryGetValue(SemanticClassesKey, out string? semantic))
        {
            result = result with { SemanticClasses = ParseIds(path, SemanticClassesKey, semantic, result.Categories) };
        }
        if (metadata.TryGetValue(InputKey, out string? input))
        {
            result = ParseInput(path, input, result);
        }
        if (metadata.TryGetValue(OutputsKey, out string? outputs))
        {
            result = result with { Outputs = ParseOutputs(path, outputs) };
        }
        return result;
    }

    private static CategoryTable ParseCategories(string path, string text)
    {
        using JsonDocument doc = Parse(path, CategoriesKey, text);
        if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() == 0)
        {
            throw Bad(path, CategoriesKey, "expected a non-empty JSON list of {\"id\", \"name\", \"isthing\", \"color\"}");
        }
        var list = new List<Category>();
        int index = 0;
        foreach (JsonElement e in doc.RootElement.EnumerateArray())
        {
            string where = $"entry {index++}";
            if (e.ValueKind != JsonValueKind.Object
                || !e.TryGetProperty("id", out JsonElement id) || !TryInt(id, out int idValue) || idValue < 0
                || !e.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String
                || !e.TryGetProperty("isthing", out JsonElement thing) || thing.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number))
            {
                throw Bad(path, CategoriesKey, $"{where}: expected {{\"id\": id ≥ 0, \"name\": text, \"isthing\": bool, \"color\": [r, g, b]}}");
            }
            bool isThing = thing.ValueKind == JsonValueKind.Number ? thing.GetDouble() != 0 : thing.GetBoolean();
            int color = Palette.ColorFor(idValue);
            if (e.TryGetProperty("color", out JsonElement rgb))
            {
                if (rgb.ValueKind != JsonValueKind.Array || rgb.GetArrayLength() != 3)
                {
                    throw Bad(path, CategoriesKey, $"{where}: 'color' must be [r, g, b]");
                }
                color = 0;
                foreach (JsonElement c in rgb.EnumerateArray())
                {
                    if (!TryInt(c, out int v) || v is < 0 or > 255)
                    {
                        throw Bad(path, CategoriesKey, $"{where}: 'color' values must be 0..255");
                    }
                    color = (color << 8) | v;
                }
            }
            list.Add(new Category(idValue, name.GetString()!, isThing, color));
        }
        try
        {
            return new CategoryTable(list);
        }
        catch (ArgumentException ex)
        {
            throw Bad(path, CategoriesKey, ex.Message);
        }
    }

    private static ImmutableArray<int> ParseIds(string path, string key, string text, CategoryTable? categories)
    {
        using JsonDocument doc = Parse(path, key, text);
        if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() == 0)
        {
            throw Bad(path, key, "expected a non-empty JSON list of category ids, one per model class");
        }
        var ids = ImmutableArray.CreateBuilder<int>(doc.RootElement.GetArrayLength());
        foreach (JsonElement e in doc.RootElement.EnumerateArray())
        {
            if (!TryInt(e, out int id) || id < -1)
            {
                throw Bad(path, key, $"class {ids.Count}: expected a category id or -1");
            }
            if (id >= 0 && categories is not null && !categories.TryGet(id, out _))
            {
                throw Bad(path, key, $"class {ids.Count}: category {id} is not in '{CategoriesKey}'");
            }
            ids.Add(id);
        }
        return ids.MoveToImmutable();
    }

    private static RealtimeSegMetadata ParseInput(string path, string text, RealtimeSegMetadata result)
    {
        using JsonDocument doc = Parse(path, InputKey, text);
        JsonElement root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad(path, InputKey, "expected {\"color_order\": \"rgb\"|\"bgr\", \"mean\": [3 numbers], \"std\": [3 numbers]}");
        }
        ColorOrder? order = null;
        if (root.TryGetProperty("color_order", out JsonElement co))
        {
            order = co.ValueKind == JsonValueKind.String ? co.GetString()!.ToLowerInvariant() switch
            {
                "rgb" => Inference.ColorOrder.Rgb,
                "bgr" => Inference.ColorOrder.Bgr,
                _ => null,
            } : null;
            if (order is null)
            {
                throw Bad(path, InputKey, "'color_order' must be \"rgb\" or \"bgr\"");
            }
        }
        return result with { ColorOrder = order, Mean = Triple(path, root, "mean", false), Std = Triple(path, root, "std", true) };
    }

    private static ImmutableArray<float> Triple(string path, JsonElement root, string name, bool positive)
    {
        if (!root.TryGetProperty(name, out JsonElement e))
        {
            return [];
        }
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 3)
        {
            throw Bad(path, InputKey, $"'{name}' must be a list of 3 numbers (model channel order)");
        }
        var values = ImmutableArray.CreateBuilder<float>(3);
        foreach (JsonElement v in e.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetSingle(out float f) || !float.IsFinite(f) || (positive && f <= 0))
            {
                throw Bad(path, InputKey, $"'{name}' values must be finite{(positive ? " and > 0" : "")}");
            }
            values.Add(f);
        }
        return values.MoveToImmutable();
    }

    private static ImmutableDictionary<string, string> ParseOutputs(string path, string text)
    {
        using JsonDocument doc = Parse(path, OutputsKey, text);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw Bad(path, OutputsKey, "expected {\"role\": \"output name\", …}");
        }
        var roles = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty p in doc.RootElement.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                throw Bad(path, OutputsKey, $"role '{p.Name}': expected an output name");
            }
            roles[p.Name] = p.Value.GetString()!;
        }
        return roles.ToImmutable();
    }

    /// <summary>An integer JSON number; false (never an exception) for any other element.</summary>
    private static bool TryInt(JsonElement e, out int value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out value);
    }

    private static JsonDocument Parse(string path, string key, string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw Bad(path, key, $"not valid JSON ({ex.Message})");
        }
    }

    private static ModelLoadException Bad(string path, string key, string what) => new(path, $"metadata '{key}': {what}");
}
