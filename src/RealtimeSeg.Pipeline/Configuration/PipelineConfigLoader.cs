using RealtimeSeg.Core;
using RealtimeSeg.Publishing;
using RealtimeSeg.Inference;
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

    public PipelineConfigLoader(Func<string, string?>? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public PipelineConfig Load(string path)
    {
        YamlNode root = YamlFile.ReadRoot(path, "config file");
        var binder = new YamlBinder(path, _environment);
        PipelineConfig config = binder.Bind<PipelineConfig>(root, "") with { Origin = binder.Origin };
        return ResolvePaths(config, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// Validates every section, ranges included; errors point at the offending key's place in the file when the config
    /// came from one (<see cref="Load"/>), and name the allowed range.
    /// </summary>
    public void Validate(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ConfigOrigin origin = config.Origin;
        Check(origin, "pipeline", config.Pipeline.Validate);
        Check(origin, "playback", config.Playback.Validate);
        if (config.Sources.Count == 0)
        {
            throw new ConfigurationException(origin.Where("sources") + "key 'sources': at least one source is required (--source URI or a sources: list)");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < config.Sources.Count; i++)
        {
            Check(origin, $"sources[{i}]", config.Sources[i].Validate);
            if (!names.Add(config.StreamName(i)))
            {
                throw new ConfigurationException(origin.Where($"sources[{i}]") + $"key 'sources[{i}].name': stream name '{config.StreamName(i)}' is used twice");
            }
        }
        if (config.IsFusion)
        {
            FusionModels.Resolve(config, origin.Where);
        }
        else
        {
            if (config.Categories is not null)
            {
                throw new ConfigurationException(origin.Where("categories") + "key 'categories': the top-level category table belongs to a models: config; with one model, put categories: inside model:");
            }
            Check(origin, "model", config.Model.Validate);
        }
        ValidateTracker(config);
        Check(origin, "panoptic", config.Panoptic.Validate);
        Check(origin, "publish", config.Publish.Validate);
        Check(origin, "images", config.Images.Validate);
        Check(origin, "http", config.Http.Validate);
        Check(origin, "overlay", config.Overlay.Validate);
    }

    /// <summary>
    /// Validates the <c>tracker:</c> section alone (what <c>realtimeseg track --config</c> reads), with file, line and
    /// key in the error. Also refuses a file that gives the lost-track buffer twice, in seconds and in frames.
    /// </summary>
    public void ValidateTracker(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ConfigOrigin origin = config.Origin;
        Check(origin, "tracker", config.Tracker.Validate);
        const string Seconds = "tracker.track_buffer_seconds", Frames = "tracker.track_buffer_frames";
        if (origin.Contains(Seconds) && origin.Contains(Frames))
        {
            throw new ConfigurationException(origin.Where(Frames) +
                $"key '{Frames}': the lost-track buffer is given twice; keep track_buffer_seconds (converted with each stream's frame rate) and remove track_buffer_frames (a fixed count of frames at any rate)");
        }
    }

    private static void Check(ConfigOrigin origin, string key, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            // Options name the offending property in ParamName; report it as the YAML key the user wrote.
            throw origin.Refuse(key, e);
        }
        catch (ConfigurationException e) when (origin.File is not null)
        {
            // Options that validate themselves name the key already ("model.path: …"); add the file and the key's line.
            string? named = ConfigOrigin.KeyNamedIn(e.Message);
            bool inSection = named is not null && (named == key || named.StartsWith(key + ".", StringComparison.Ordinal));
            throw new ConfigurationException(origin.Where(inSection ? named! : key) + e.Message, e);
        }
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
        // A key file named in a config is found next to the config, like the model.
        PublisherOptions publish = config.Publish;
        if (publish.CurveSecret is { Length: > 0 } secret && !Path.IsPathRooted(secret))
        {
            publish = publish with { CurveSecret = Path.GetFullPath(Path.Combine(baseDirectory, secret)) };
        }
        return config with { Sources = sources, Model = config.Model with { Path = modelPath }, Models = models, Publish = publish };
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
