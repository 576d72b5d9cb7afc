using RealtimeSeg.Transport;

namespace RealtimeSeg.Publishing;

/// <summary>
/// Creates a publisher's ZeroMQ CURVE key pair as pyzmq-compatible certificate files (<c>realtimeseg keys generate</c>):
/// <c>NAME.key</c> (public: give it to subscribers) and <c>NAME.key_secret</c> (secret, mode 0600: for
/// <see cref="PublisherOptions.CurveSecret"/>). See docs/security.md.
/// </summary>
public static class CurveKeys
{
    public const string DefaultName = "server";

    /// <summary>Writes the pair into <paramref name="directory"/> (created if missing); never overwrites a file.</summary>
    public static (string PublicPath, string SecretPath) Generate(string directory, string name = DefaultName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return CurveKeyFile.Generate(directory, name);
    }
}
