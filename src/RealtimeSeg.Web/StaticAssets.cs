using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace RealtimeSeg.Web;

/// <summary>
/// The viewer's files, compiled into this assembly (<c>wwwroot/</c>, no build step, no CDN) and read into memory once:
/// served from there with a content type and an ETag, never from disk.
/// </summary>
internal sealed class StaticAssets
{
    private const string Prefix = "wwwroot/";

    private readonly FrozenDictionary<string, StaticAsset> _byPath;

    private StaticAssets(FrozenDictionary<string, StaticAsset> byPath)
    {
        _byPath = byPath;
    }

    /// <summary>URL paths served, e.g. <c>/viewer.js</c>.</summary>
    public IEnumerable<string> Paths => _byPath.Keys;

    public static StaticAssets Load()
    {
        Assembly assembly = typeof(StaticAssets).Assembly;
        var byPath = new Dictionary<string, StaticAsset>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }
            using Stream stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"embedded resource {name} is listed but cannot be opened");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] content = copy.ToArray();
            string path = "/" + name[Prefix.Length..];
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8)) + "\"";
            byPath[path] = new StaticAsset(content, ContentType(path), etag);
        }
        if (!byPath.TryGetValue("/index.html", out StaticAsset? index))
        {
            throw new InvalidOperationException("the viewer's index.html is not embedded in RealtimeSeg.Web (the build lost wwwroot/)");
        }
        byPath["/"] = index;
        return new StaticAssets(byPath.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public bool TryGet(string path, out StaticAsset asset) => _byPath.TryGetValue(path, out asset!);

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
