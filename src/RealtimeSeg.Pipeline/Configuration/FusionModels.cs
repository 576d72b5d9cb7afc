using RealtimeSeg.Core;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>
/// Checks a <c>models:</c> config (several models fused into one panoptic output) and gives each model the options it
/// is loaded with: its own section with the top-level <c>categories:</c> as its category table, so its
/// <c>instance_classes</c>/<c>semantic_classes</c> are read against the merged table. Rules: <c>model:</c> and
/// <c>models:</c> exclude each other; the merged table is required and sound (ids unique and ≥ 0, names, colours);
/// a model has no <c>categories:</c> of its own; every mapped id is in the merged table, instance classes map to thing
/// categories and semantic classes to stuff; at most one model maps semantic classes (stuff comes from one model).
/// Start-up only.
/// </summary>
internal static class FusionModels
{
    /// <param name="config">A config with <see cref="PipelineConfig.Models"/> set.</param>
    /// <param name="where">The "file:line:col: " prefix of a key path, or of its nearest written parent ("" when the config came from no file).</param>
    public static ModelOptions[] Resolve(PipelineConfig config, Func<string, string> where)
    {
        IReadOnlyList<ModelOptions> models = config.Models ?? throw new ArgumentException("not a models: config", nameof(config));
        if (!string.IsNullOrEmpty(config.Model.Path))
        {
            throw new ConfigurationException(where("model") + "key 'model': a config gives either model: (one model) or models: (fusion), not both (with models:, --model does not apply)");
        }
        if (models.Count == 0)
        {
            throw new ConfigurationException(where("models") + "key 'models': is empty; list at least one model section");
        }
        if (config.Categories is not { Count: > 0 } categories)
        {
            throw new ConfigurationException(where("categories") +
                "key 'categories': a models: config needs the merged category table (a list of {id, name, thing, color}) that every model's classes map to");
        }
        var kinds = CheckCategories(categories, where);
        var result = new ModelOptions[models.Count];
        int semanticOwner = -1;
        for (int i = 0; i < models.Count; i++)
        {
            string key = $"models[{i}]";
            ModelOptions m = models[i] ?? throw new ConfigurationException(where(key) + $"key '{key}': is empty; expected a model section (path, decoder, …)");
            if (m.Categories is not null)
            {
                throw new ConfigurationException(where(key) + $"key '{key}.categories': with models:, categories are declared once at the top level (categories:); map this model's classes with instance_classes/semantic_classes");
            }
            ModelOptions effective = m with { Categories = categories };
            try
            {
                effective.Validate();
            }
            catch (ConfigurationException e)
            {
                string message = Rekey(e.Message, i);
                throw new ConfigurationException(where(ConfigOrigin.KeyNamedIn(message) ?? key) + message, e);
            }
            CheckKinds(m.InstanceClasses, kinds, wantThing: true, $"{key}.instance_classes", where(key));
            CheckKinds(m.SemanticClasses, kinds, wantThing: false, $"{key}.semantic_classes", where(key));
            if (m.SemanticClasses is not null)
            {
                if (semanticOwner >= 0)
                {
                    throw new ConfigurationException(where(key) +
                        $"key '{key}.semantic_classes': models[{semanticOwner}] already provides the stuff; the semantic map comes from one model (map only instance classes here)");
                }
                semanticOwner = i;
            }
            result[i] = effective;
        }
        return result;
    }

    /// <summary>A model's own message names "model.KEY"; in a models: list it is "models[i].KEY".</summary>
    public static string Rekey(string message, int index)
    {
        int colon = message.IndexOf(": ", StringComparison.Ordinal);
        return message.StartsWith("model.", StringComparison.Ordinal) && colon > 0
            ? $"key 'models[{index}].{message["model.".Length..colon]}'{message[colon..]}"
            : $"models[{index}]: {message}";
    }

    private static Dictionary<int, bool> CheckCategories(IReadOnlyList<CategoryOptions> categories, Func<string, string> where)
    {
        var kinds = new Dictionary<int, bool>();
        for (int i = 0; i < categories.Count; i++)
        {
            string key = $"categories[{i}]";
            CategoryOptions c = categories[i] ?? throw new ConfigurationException(where(key) + $"key '{key}': is empty; expected {{id, name, thing, color}}");
            if (c.Id < 0)
            {
                throw new ConfigurationException(where(key) + $"key '{key}.id': must be ≥ 0, got {c.Id}");
            }
            if (!kinds.TryAdd(c.Id, c.Thing))
            {
                throw new ConfigurationException(where(key) + $"key '{key}.id': id {c.Id} is used twice");
            }
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                throw new ConfigurationException(where(key) + $"key '{key}.name': a category needs a name");
            }
            if (c.Color is { } rgb && (rgb.Count != 3 || rgb[0] is < 0 or > 255 || rgb[1] is < 0 or > 255 || rgb[2] is < 0 or > 255))
            {
                throw new ConfigurationException(where(key) + $"key '{key}.color': must be [r, g, b] with values 0..255");
            }
        }
        return kinds;
    }

    private static void CheckKinds(IReadOnlyList<int>? mapping, Dictionary<int, bool> kinds, bool wantThing, string key, string where)
    {
        if (mapping is null)
        {
            return;
        }
        for (int c = 0; c < mapping.Count; c++)
        {
            int id = mapping[c];
            if (id >= 0 && kinds.TryGetValue(id, out bool isThing) && isThing != wantThing)
            {
                throw new ConfigurationException(where + (wantThing
                    ? $"key '{key}[{c}]': category {id} is stuff; instance classes are published as things with track ids (map the class to a thing: true category, or to -1)"
                    : $"key '{key}[{c}]': category {id} is a thing; semantic classes are published as stuff regions without track ids (map the class to a thing: false category, or to -1)"));
            }
        }
    }
}
