using RealtimeSeg.Core;
using RealtimeSeg.Inference;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>
/// Reads a pipeline YAML file into a <see cref="PipelineConfig"/> and validates a finished config. Relative
/// model and source paths are resolved against the config file's folder, so configs work from any directory.
/// Every failure is a <see cref="ConfigurationException"/> naming file, line and key.
/// </summary>
public sealed class PipelineConfigLoader
{
    private readonly Func<string, string?> _environment;
    private Dictionary<string, Mark> _locations = new(StringComparer.Ordinal);
    private string? _file;

    public PipelineConfigLoader(Func<string, string?>? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public PipelineConfig Load(string path)
    {
        YamlNode root = YamlFile.ReadRoot(path, "config file");
        _file = path;
        var binder = new YamlBinder(path, _environment);
        PipelineConfig config = binder.Bind<PipelineConfig>(root, "");
        _locations = binder.Locations;
        return ResolvePaths(config, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Validates every section; errors point at the section's place in the file when it came from one.</summary>
    public void Validate(PipelineConfig config)
    {
        Check("pipeline", config.Pipeline.Validate);
        Check("playback", config.Playback.Validate);
        if (config.Sources.Count == 0)
        {
            throw new ConfigurationException(Where("sources") + "key 'sources': at least one source is required (--source URI or a sources: list)");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < config.Sources.Count; i++)
        {
            Check($"sources[{i}]", config.Sources[i].Validate);
            if (!names.Add(config.StreamName(i)))
            {
                throw new ConfigurationException(Where($"sources[{i}]") + $"key 'sources[{i}].name': stream name '{config.StreamName(i)}' is used twice");
            }
        }
        if (config.IsFusion)
        {
            FusionModels.Resolve(config, Where);
        }
        else
        {
            if (config.Categories is not null)
            {
                throw new ConfigurationException(Where("categories") + "key 'categories': the top-level category table belongs to a models: config; with one model, put categories: inside model:");
            }
            Check("model", config.Model.Validate);
        }
        Check("tracker", config.Tracker.Validate);
        Check("panoptic", config.Panoptic.Validate);
        Check("publisher", config.Publish.Validate);
    }

    private void Check(string key, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            // Options name the offending property in ParamName; report it as the YAML key the user wrote.
            string full = string.IsNullOrEmpty(e.ParamName) ? key : key + "." + YamlBinder.ToSnakeCase(e.ParamName);
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new ConfigurationException(Where(key) + $"key '{full}': {message}", e);
        }
        catch (ConfigurationException e) when (_file is not null)
        {
            // Options that validate themselves name the key already ("model.path: …"); add the file and line.
            throw new ConfigurationException(Where(key) + e.Message, e);
        }
    }

    private string Where(string key)
    {
        if (_file is null)
        {
            return "";
        }
        return _locations.TryGetValue(key, out Mark mark) ? $"{_file}:{mark.Line}:{mark.Column}: " : $"{_file}: ";
    }

    private static PipelineConfig ResolvePaths(PipelineConfig config, string baseDirectory)
    {
        var sources = new SourceConfig[config.Sources.Count];
        for (int i = 0; i < sources.Length; i++)
        {
            SourceConfig s = config.Sources[i];
            sources[i] = s with { Uri = ResolveSourceUri(s.Uri, baseDirectory) };
            if (s.Images?.Timestamps is { Length: > 0 } times && !Path.IsPathRooted(times))
            {
                sources[i] = sources[i] with { Images = s.Images with { Timestamps = Path.GetFullPath(Path.Combine(baseDirectory, times)) } };
            }
        }
        string modelPath = config.Model.Path;
        if (!string.IsNullOrEmpty(modelPath) && !Path.IsPathRooted(modelPath))
        {
            modelPath = Path.GetFullPath(Path.Combine(baseDirectory, modelPath));
        }
        IReadOnlyList<ModelOptions>? models = config.Models;
        if (models is not null)
        {
            var resolved = new ModelOptions[models.Count];
            for (int i = 0; i < resolved.Length; i++)
            {
                ModelOptions? m = models[i];
                resolved[i] = m is not null && !string.IsNullOrEmpty(m.Path) && !Path.IsPathRooted(m.Path)
                    ? m with { Path = Path.GetFullPath(Path.Combine(baseDirectory, m.Path)) }
                    : m!;
            }
            models = resolved;
        }
        return config with { Sources = sources, Model = config.Model with { Path = modelPath }, Models = models };
    }

    /// <summary>Plain paths, file: and drive: URIs are made absolute; anything with another scheme is left alone.</summary>
    internal static string ResolveSourceUri(string uri, string baseDirectory)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return uri;
        }
        foreach (string scheme in (ReadOnlySpan<string>)["file:", Drives.DriveConfig.UriScheme])
        {
            if (uri.StartsWith(scheme, StringComparison.Ordinal) && !uri.StartsWith(scheme + "//", StringComparison.Ordinal))
            {
                string p = uri[scheme.Length..];
                return Path.IsPathRooted(p) ? uri : scheme + Path.GetFullPath(Path.Combine(baseDirectory, p));
            }
        }
        int colon = uri.IndexOf(':', StringComparison.Ordinal);
        bool hasScheme = colon > 1 && uri[..colon].All(char.IsAsciiLetterOrDigit);
        return hasScheme || Path.IsPathRooted(uri) ? uri : Path.GetFullPath(Path.Combine(baseDirectory, uri));
    }
}
