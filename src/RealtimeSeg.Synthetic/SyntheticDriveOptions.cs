using System.Globalization;
using RealtimeSeg.Core;

namespace RealtimeSeg.Synthetic;

/// <summary>
/// What the synthetic drive renders: the URI <c>synthetic:drive?seed=S&amp;size=WxH&amp;fps=F&amp;density=D</c>, every
/// parameter optional. Two scenes with equal options produce identical frames and ground truth.
/// </summary>
public sealed record SyntheticDriveOptions
{
    /// <summary>The only scene so far; the part of the URI between <c>synthetic:</c> and <c>?</c>.</summary>
    public const string SceneName = "drive";

    public const int MinimumSize = 32;
    public const int MaximumWidth = 7680;
    public const int MaximumHeight = 4320;
    public const double MaximumFramesPerSecond = 1000;

    /// <summary>Seeds the scene's own random generator (any 64-bit integer). Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Image width in pixels, 32…7680. Default 1280.</summary>
    public int Width { get; init; } = 1280;

    /// <summary>Image height in pixels, 32…4320. Default 720.</summary>
    public int Height { get; init; } = 720;

    /// <summary>
    /// Frames per second of scene time, above 0 and at most 1000. Default 30. Frame N shows the scene at N / fps
    /// seconds, so a higher rate samples the same drive more finely.
    /// </summary>
    public double FramesPerSecond { get; init; } = 30;

    /// <summary>
    /// How busy the scene is, 0…1. Default 0.5. Targets scale linearly: about 10·D cars in the ego's direction,
    /// 6·D oncoming, 9·D pedestrians on the sidewalks, up to 2 cyclists from D = 0.25, and at each zebra crossing
    /// a chance 0.3 + 0.7·D that up to 1 + 3·D pedestrians cross. 0 is an empty street (stuff only).
    /// </summary>
    public double Density { get; init; } = 0.5;

    /// <summary>Throws <see cref="ConfigurationException"/> naming the bad parameter.</summary>
    public void Validate()
    {
        if (Width is < MinimumSize or > MaximumWidth || Height is < MinimumSize or > MaximumHeight)
        {
            throw new ConfigurationException(
                $"synthetic source parameter 'size' is {Width}x{Height}; expected WIDTHxHEIGHT with width {MinimumSize}…{MaximumWidth} and height {MinimumSize}…{MaximumHeight}");
        }
        if (!double.IsFinite(FramesPerSecond) || FramesPerSecond <= 0 || FramesPerSecond > MaximumFramesPerSecond)
        {
            throw new ConfigurationException(
                $"synthetic source parameter 'fps' is {FramesPerSecond.ToString(CultureInfo.InvariantCulture)}; expected a number above 0 and at most {MaximumFramesPerSecond.ToString(CultureInfo.InvariantCulture)}");
        }
        if (!double.IsFinite(Density) || Density is < 0 or > 1)
        {
            throw new ConfigurationException(
                $"synthetic source parameter 'density' is {Density.ToString(CultureInfo.InvariantCulture)}; expected a number from 0 (empty street) to 1 (dense traffic)");
        }
    }

    /// <summary>The URI that opens these options, with every parameter spelled out.</summary>
    public string ToUri() => string.Create(CultureInfo.InvariantCulture,
        $"synthetic:{SceneName}?seed={Seed}&size={Width}x{Height}&fps={FramesPerSecond}&density={Density}");

    /// <summary>
    /// Parses <c>synthetic:drive?…</c> (or the part after <c>synthetic:</c>). Unknown scenes throw
    /// <see cref="SourceUnavailableException"/>; unknown parameters and bad values throw
    /// <see cref="ConfigurationException"/> naming the parameter.
    /// </summary>
    public static SyntheticDriveOptions Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        string text = uri.Trim();
        const string Scheme = "synthetic:";
        string target = text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? text[Scheme.Length..] : text;
        return ParseTarget(target, uri);
    }

    /// <summary>Parses the part after <c>synthetic:</c>; <paramref name="uri"/> is only for messages.</summary>
    public static SyntheticDriveOptions ParseTarget(string target, string uri)
    {
        int question = target.IndexOf('?', StringComparison.Ordinal);
        string scene = question < 0 ? target : target[..question];
        if (!string.Equals(scene, SceneName, StringComparison.OrdinalIgnoreCase))
        {
            throw new SourceUnavailableException(uri, $"unknown synthetic scene '{scene}'; the only scene is '{SceneName}' (synthetic:{SceneName}?seed=1&size=1280x720&fps=30&density=0.5)");
        }

        var options = new SyntheticDriveOptions();
        if (question >= 0)
        {
            foreach (string pair in target[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                string key = (eq < 0 ? pair : pair[..eq]).Trim().ToLowerInvariant();
                string value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]).Trim();
                options = key switch
                {
                    "seed" => options with { Seed = ParseSeed(value, uri) },
                    "size" => ParseSize(options, value, uri),
                    "fps" => options with { FramesPerSecond = ParseNumber("fps", value, uri, "a frame rate such as 30") },
                    "density" => options with { Density = ParseNumber("density", value, uri, "a number from 0 to 1") },
                    _ => throw new ConfigurationException(
                        $"synthetic source '{uri}': unknown parameter '{key}'; expected seed, size, fps or density"),
                };
            }
        }
        try
        {
            options.Validate();
        }
        catch (ConfigurationException ex)
        {
            throw new ConfigurationException($"synthetic source '{uri}': {ex.Message}", ex);
        }
        return options;
    }

    private static long ParseSeed(string value, string uri)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seed))
        {
            return seed;
        }
        throw new ConfigurationException($"synthetic source '{uri}': parameter 'seed' is '{value}'; expected a 64-bit integer");
    }

    private static SyntheticDriveOptions ParseSize(SyntheticDriveOptions options, string value, string uri)
    {
        int x = value.IndexOfAny(['x', 'X']);
        if (x > 0
            && int.TryParse(value.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out int width)
            && int.TryParse(value.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int height))
        {
            return options with { Width = width, Height = height };
        }
        throw new ConfigurationException($"synthetic source '{uri}': parameter 'size' is '{value}'; expected WIDTHxHEIGHT such as 1280x720");
    }

    private static double ParseNumber(string name, string value, string uri, string expected)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            return number;
        }
        throw new ConfigurationException($"synthetic source '{uri}': parameter '{name}' is '{value}'; expected {expected}");
    }
}
