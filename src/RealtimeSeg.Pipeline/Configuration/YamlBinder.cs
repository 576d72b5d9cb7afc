using System.Collections;
using System.Globalization;
using System.Reflection;
using RealtimeSeg.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>
/// Binds a YAML mapping onto a sealed options record: <c>snake_case</c> keys map to the record's init
/// properties (<c>max_frames</c> → <c>MaxFrames</c>). Unknown keys, wrong types and unset environment variables
/// fail with <see cref="ConfigurationException"/> naming file, line, column and the full key path. Binding does
/// not validate (command-line overrides come after it); <see cref="Locations"/> lets the validator point at the
/// section a bad value came from. Start-up only: this code may allocate freely.
/// </summary>
internal sealed class YamlBinder
{
    private readonly string _file;
    private readonly Func<string, string?> _environment;

    public YamlBinder(string file, Func<string, string?> environment)
    {
        _file = file;
        _environment = environment;
    }

    public T Bind<T>(YamlNode node, string keyPath) where T : class => (T)Bind(typeof(T), node, keyPath);

    public object Bind(Type type, YamlNode node, string keyPath)
    {
        if (node is not YamlMappingNode mapping)
        {
            if (node is YamlScalarNode { Value: null or "" or "~" })
            {
                Locations[keyPath] = node.Start;
                return CreateDefault(type, node, keyPath);
            }
            throw Error(node, keyPath, $"expected a mapping of {Describe(type)} keys, found {KindOf(node)}");
        }
        Locations[keyPath] = node.Start;
        object target = CreateDefault(type, node, keyPath);
        var properties = BindableProperties(type);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            string key = ((YamlScalarNode)keyNode).Value ?? "";
            string path = keyPath.Length == 0 ? key : keyPath + "." + key;
            if (!properties.TryGetValue(key, out PropertyInfo? property))
            {
                // A key that could not be a config key (a line of some other file) is not echoed: it may be a secret.
                bool shown = LooksLikeKey(key);
                throw new ConfigurationException($"{_file}:{keyNode.Start.Line}:{keyNode.Start.Column}: key '{(shown ? path : keyPath)}': "
                    + (shown ? $"unknown key '{key}'" : "unknown key (not shown: not a key name; is this a config file?)")
                    + (properties.Count > 0 ? $" (known keys here: {string.Join(", ", properties.Keys)})" : ""));
            }
            // Where the key was written; a mapping value records its own start instead when it is bound.
            Locations[path] = keyNode.Start;
            property.SetValue(target, ConvertValue(property.PropertyType, valueNode, path));
        }
        return target;
    }

    /// <summary>
    /// Where each bound key was written (a section: where its mapping starts), by key path, so validation errors after
    /// binding can point at it.
    /// </summary>
    public Dictionary<string, Mark> Locations { get; } = new(StringComparer.Ordinal);

    /// <summary>The file and <see cref="Locations"/> of what was bound, for errors found after binding.</summary>
    public ConfigOrigin Origin => new(_file, Locations);

    private object? ConvertValue(Type type, YamlNode node, string path)
    {
        Type? nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null)
        {
            return node is YamlScalarNode { Value: null or "" or "~" or "null" } ? null : ConvertValue(nullable, node, path);
        }
        if (type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(TimeSpan))
        {
            if (node is not YamlScalarNode scalar)
            {
                throw Error(node, path, $"expected {Describe(type)}, found {KindOf(node)}");
            }
            return ConvertScalar(type, scalar, path);
        }
        Type? element = ListElementType(type);
        if (element is not null)
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            if (node is YamlSequenceNode sequence)
            {
                int i = 0;
                foreach (YamlNode item in sequence.Children)
                {
                    string itemPath = $"{path}[{i++}]";
                    Locations[itemPath] = item.Start;
                    list.Add(ConvertValue(element, item, itemPath));
                }
            }
            else if (node is YamlScalarNode scalar && element == typeof(string))
            {
                // "providers: cuda,cpu" as well as a YAML list.
                foreach (string part in (Expand(scalar, path) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    list.Add(part);
                }
            }
            else
            {
                throw Error(node, path, $"expected a list of {Describe(element)}, found {KindOf(node)}");
            }
            return type.IsArray ? ToArray(list, element) : list;
        }
        if (type.IsClass)
        {
            return Bind(type, node, path);
        }
        throw Error(node, path, $"values of type {type.Name} cannot be configured");
    }

    private object ConvertScalar(Type type, YamlScalarNode scalar, string path)
    {
        string? text = Expand(scalar, path);
        if (type == typeof(string))
        {
            return text ?? "";
        }
        text = text?.Trim() ?? "";
        CultureInfo inv = CultureInfo.InvariantCulture;
        bool ok;
        object? value = null;
        if (type == typeof(int)) { ok = int.TryParse(text, NumberStyles.Integer, inv, out int v); value = v; }
        else if (type == typeof(long)) { ok = long.TryParse(text, NumberStyles.Integer, inv, out long v); value = v; }
        else if (type == typeof(float)) { ok = float.TryParse(text, NumberStyles.Float, inv, out float v); value = v; }
        else if (type == typeof(double)) { ok = double.TryParse(text, NumberStyles.Float, inv, out double v); value = v; }
        else if (type == typeof(bool)) { ok = TryParseBool(text, out bool v); value = v; }
        else if (type == typeof(TimeSpan)) { ok = TryParseDuration(text, out TimeSpan v); value = v; }
        else if (type.IsEnum)
        {
            string normalized = text.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
            ok = !int.TryParse(normalized, out _) && Enum.TryParse(type, normalized, ignoreCase: true, out value);
            if (!ok)
            {
                throw Error(scalar, path, $"{Shown(scalar, text)} is not one of: {string.Join(", ", Enum.GetNames(type).Select(ToSnakeCase))}");
            }
        }
        else
        {
            throw Error(scalar, path, $"values of type {type.Name} cannot be configured");
        }
        if (!ok)
        {
            throw Error(scalar, path, $"{Shown(scalar, text)} is not {Describe(type)}");
        }
        return value!;
    }

    private string? Expand(YamlScalarNode scalar, string path)
    {
        if (scalar.Value is null)
        {
            return null;
        }
        string? expanded = EnvironmentSubstitution.Expand(scalar.Value, _environment, out string? missing);
        if (expanded is null)
        {
            throw Error(scalar, path, $"environment variable '{missing}' is not set (write ${{{missing}:-default}} to give a default)");
        }
        return expanded;
    }

    /// <summary>
    /// A scalar for an error message: the literal as written in the config, but never a value substituted from the
    /// environment (it may be a secret, or the content of a file a variable points at), which is named by its variables.
    /// </summary>
    private static string Shown(YamlScalarNode scalar, string text)
        => scalar.Value is { } raw && raw.Contains("${", StringComparison.Ordinal)
            ? $"the value substituted for '{VariablesIn(raw)}' (not shown)"
            : $"'{text}'";

    /// <summary>"${A}, ${B:-…}" → "${A}, ${B}": the variable names only, without defaults or surrounding text.</summary>
    private static string VariablesIn(string raw)
    {
        var names = new List<string>();
        int start = raw.IndexOf("${", StringComparison.Ordinal);
        while (start >= 0)
        {
            int end = raw.IndexOf('}', start + 2);
            if (end < 0)
            {
                break;
            }
            string body = raw[(start + 2)..end];
            int dash = body.IndexOf(":-", StringComparison.Ordinal);
            names.Add("${" + (dash >= 0 ? body[..dash] : body) + "}");
            start = raw.IndexOf("${", end + 1, StringComparison.Ordinal);
        }
        return string.Join(", ", names);
    }

    private static bool LooksLikeKey(string key)
        => key.Length is > 0 and <= 64 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private ConfigurationException Error(YamlNode node, string path, string message)
        => new($"{_file}:{node.Start.Line}:{node.Start.Column}: key '{path}': {message}");

    private object CreateDefault(Type type, YamlNode node, string keyPath)
    {
        ConstructorInfo? ctor = type.GetConstructor(Type.EmptyTypes);
        if (ctor is null)
        {
            throw Error(node, keyPath, $"{type.Name} has no parameterless constructor and cannot be bound from YAML");
        }
        return ctor.Invoke(null);
    }

    private static Dictionary<string, PropertyInfo> BindableProperties(Type type)
    {
        var map = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
        foreach (PropertyInfo p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            {
                map[ToSnakeCase(p.Name)] = p;
            }
        }
        return map;
    }

    public static string ToSnakeCase(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (boundary)
                {
                    sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static Type? ListElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        if (type.IsGenericType)
        {
            Type def = type.GetGenericTypeDefinition();
            if (def == typeof(IReadOnlyList<>) || def == typeof(List<>) || def == typeof(IList<>) || def == typeof(IEnumerable<>) || def == typeof(IReadOnlyCollection<>))
            {
                return type.GetGenericArguments()[0];
            }
        }
        return null;
    }

    private static Array ToArray(IList list, Type element)
    {
        Array array = Array.CreateInstance(element, list.Count);
        list.CopyTo(array, 0);
        return array;
    }

    private static bool TryParseBool(string text, out bool value)
    {
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1": value = true; return true;
            case "false" or "no" or "off" or "0": value = false; return true;
            default: value = false; return false;
        }
    }

    /// <summary>"250ms", "2s", "1.5m", or a bare number of seconds.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v < 0)
        {
            return false;
        }
        value = TimeSpan.FromSeconds(v * scale);
        return true;
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(float) || type == typeof(double) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(string) => "a string",
        _ when type == typeof(TimeSpan) => "a duration such as 250ms or 2s",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type).Select(ToSnakeCase)),
        _ => "'" + ToSnakeCase(type.Name) + "'",
    };

    private static string KindOf(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        // Not the value: a file given as a config by mistake (a key file, /etc/shadow) must not have its content printed.
        YamlScalarNode => "a single value",
        _ => node.NodeType.ToString(),
    };
}
