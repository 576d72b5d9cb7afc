using RealtimeSeg.Core;
using YamlDotNet.Core;

namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>
/// Where a config came from: its file and the place of every key written in it, so that errors found after binding
/// (validation, the start-up checks once models are loaded) still name file, line and key. A config built in code has
/// <see cref="None"/>: its errors name the key only. Start-up only.
/// </summary>
internal sealed class ConfigOrigin
{
    private readonly IReadOnlyDictionary<string, Mark> _locations;

    public ConfigOrigin(string file, IReadOnlyDictionary<string, Mark> locations)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(locations);
        File = file;
        _locations = locations;
    }

    private ConfigOrigin()
    {
        _locations = new Dictionary<string, Mark>();
    }

    /// <summary>A config that came from no file.</summary>
    public static ConfigOrigin None { get; } = new();

    /// <summary>The YAML file, or null for a config built in code.</summary>
    public string? File { get; }

    /// <summary>Whether <paramref name="key"/> (a full path such as <c>tracker.track_buffer_frames</c>) was written in the file.</summary>
    public bool Contains(string key) => _locations.ContainsKey(key);

    /// <summary>
    /// The "file:line:col: " prefix for <paramref name="key"/>: where the key itself was written, else the nearest
    /// enclosing key that was (<c>models[1].intra_op_threads</c> → <c>models[1]</c> → <c>models</c>) — a default that
    /// breaks a rule was not written anywhere, but its section was. "file: " when none was; "" for <see cref="None"/>.
    /// </summary>
    public string Where(string key)
    {
        if (File is null)
        {
            return "";
        }
        for (string? k = key; k is not null; k = Parent(k))
        {
            if (_locations.TryGetValue(k, out Mark mark))
            {
                return $"{File}:{mark.Line}:{mark.Column}: ";
            }
        }
        return $"{File}: ";
    }

    /// <summary>
    /// An option's <see cref="ArgumentException"/> as the error a user reads: the option named by its
    /// <see cref="ArgumentException.ParamName"/> becomes the YAML key under <paramref name="section"/>.
    /// </summary>
    public ConfigurationException Refuse(string section, ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string full = string.IsNullOrEmpty(e.ParamName) ? section
            : section.Length == 0 ? YamlBinder.ToSnakeCase(e.ParamName)
            : section + "." + YamlBinder.ToSnakeCase(e.ParamName);
        string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
        return new ConfigurationException(Where(full) + $"key '{full}': {message}", e);
    }

    /// <summary>
    /// The key an option's own message starts with — "key 'models[0].x': …" or "model.intra_op_threads: …" — so the error
    /// can point at that key's line; null when the message starts otherwise.
    /// </summary>
    public static string? KeyNamedIn(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        const string Quoted = "key '";
        if (message.StartsWith(Quoted, StringComparison.Ordinal))
        {
            int end = message.IndexOf('\'', Quoted.Length);
            return end > Quoted.Length ? message[Quoted.Length..end] : null;
        }
        int colon = message.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }
        string head = message[..colon];
        return head.AsSpan().IndexOfAny(" '\"") < 0 ? head : null;
    }

    /// <summary>"a.b[2].c" → "a.b[2]" → "a.b" → "a" → null.</summary>
    private static string? Parent(string key)
    {
        int cut = key.AsSpan().LastIndexOfAny('.', '[');
        return cut > 0 ? key[..cut] : null;
    }
}
