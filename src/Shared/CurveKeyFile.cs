using System.Globalization;
using System.Text;
using NetMQ;
using RealtimeSeg.Core;

namespace RealtimeSeg.Transport;

/// <summary>
/// ZeroMQ CURVE certificate files in the format pyzmq's <c>zmq.auth.create_certificates</c> writes and
/// <c>zmq.auth.load_certificate</c> reads (czmq's ZPL text: a <c>curve</c> section with <c>public-key</c> and, in the
/// secret file, <c>secret-key</c>, each a quoted 40-character Z85 string): <c>NAME.key</c> holds the public key and may
/// be handed out; <c>NAME.key_secret</c> holds both and is created with mode 0600.
/// </summary>
/// <remarks>
/// Errors name the file, the line and the key and never echo a key or any other content of the file: a secret key
/// file is a secret, and a wrong path could point at any file. Shared source, compiled into both the publisher and the
/// subscriber library (which must not reference each other, DESIGN §3).
/// </remarks>
internal static class CurveKeyFile
{
    public const string PublicExtension = ".key";
    public const string SecretExtension = ".key_secret";
    private const int Z85KeyLength = 40;
    private const int KeyBytes = 32;
    private const string Z85Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    private const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicMode = SecretMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Generates a key pair and writes <c>DIR/NAME.key</c> and <c>DIR/NAME.key_secret</c> (mode 0600, created with that
    /// mode so it is never readable by others, not even briefly). Refuses to overwrite either file.
    /// </summary>
    public static (string PublicPath, string SecretPath) Generate(string directory, string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
        {
            throw new ConfigurationException($"--name '{name}': a key name is a plain file name without a directory (e.g. server)");
        }
        Directory.CreateDirectory(directory);
        string publicPath = Path.Combine(directory, name + PublicExtension);
        string secretPath = Path.Combine(directory, name + SecretExtension);
        foreach (string path in (string[])[publicPath, secretPath])
        {
            if (File.Exists(path))
            {
                throw new ConfigurationException($"{path} exists already; keys are never overwritten (delete it first, or choose another --name or --out)");
            }
        }
        var certificate = new NetMQCertificate();
        string now = DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        string publicText = $"""
            #   ****  Generated on {now} by realtimeseg  ****
            #   ZeroMQ CURVE Public Certificate
            #   Exchange securely, or use a secure mechanism to verify the contents
            #   of this file after exchange. Store public certificates in your home
            #   directory, in the .curve subdirectory.

            metadata
            curve
                public-key = "{certificate.PublicKeyZ85}"

            """;
        string secretText = $"""
            #   ****  Generated on {now} by realtimeseg  ****
            #   ZeroMQ CURVE **Secret** Certificate
            #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.

            metadata
            curve
                public-key = "{certificate.PublicKeyZ85}"
                secret-key = "{certificate.SecretKeyZ85}"

            """;
        WriteNew(secretPath, secretText, SecretMode);
        WriteNew(publicPath, publicText, PublicMode);
        return (publicPath, secretPath);
    }

    /// <summary>
    /// Reads a secret certificate (<c>NAME.key_secret</c>) for a server socket. Refuses a file that group or others may
    /// read (as ssh does with private keys), and one whose public key does not belong to its secret key.
    /// </summary>
    public static NetMQCertificate ReadSecret(string path, string what)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                throw new ConfigurationException(
                    $"{what} {path}: the secret key file may be read by other users (mode {Convert.ToString((int)mode, 8)}); restrict it with: chmod 600 {path}");
            }
        }
        (byte[]? publicKey, byte[]? secretKey) = Read(path, what);
        if (secretKey is null)
        {
            throw new ConfigurationException(
                $"{what} {path}: no secret-key in this file; pass the secret certificate NAME{SecretExtension} that `realtimeseg keys generate` wrote, not the public NAME{PublicExtension}");
        }
        NetMQCertificate certificate = NetMQCertificate.CreateFromSecretKey(secretKey);
        if (publicKey is not null && !certificate.PublicKey.AsSpan().SequenceEqual(publicKey))
        {
            throw new ConfigurationException($"{what} {path}: public-key does not belong to secret-key (the file was edited or mixed from two key pairs)");
        }
        return certificate;
    }

    /// <summary>Reads the server's public key from a public (or secret) certificate for a client socket.</summary>
    public static byte[] ReadPublic(string path, string what)
    {
        (byte[]? publicKey, _) = Read(path, what);
        return publicKey ?? throw new ConfigurationException($"{what} {path}: no public-key in this file; expected a ZeroMQ certificate as written by `realtimeseg keys generate`");
    }

    private static (byte[]? PublicKey, byte[]? SecretKey) Read(string path, string what)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : "cannot be read";
            throw new ConfigurationException($"{what} {path}: {reason}; create keys with: realtimeseg keys generate --out DIR", e);
        }
        byte[]? publicKey = null, secretKey = null;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }
            if (line.StartsWith("public-key", StringComparison.Ordinal))
            {
                publicKey = DecodeKey(line, path, i + 1, "public-key", what);
            }
            else if (line.StartsWith("secret-key", StringComparison.Ordinal))
            {
                secretKey = DecodeKey(line, path, i + 1, "secret-key", what);
            }
        }
        return (publicKey, secretKey);
    }

    private static byte[] DecodeKey(string line, string path, int lineNumber, string key, string what)
    {
        int equals = line.IndexOf('=', StringComparison.Ordinal);
        string value = equals < 0 ? "" : line[(equals + 1)..].Trim(' ', '\t', '\'', '"');
        if (value.Length != Z85KeyLength || !IsZ85(value))
        {
            // The value itself is never shown: it may be (part of) a secret key.
            throw new ConfigurationException(
                $"{what} {path} line {lineNumber}, key {key}: expected a quoted {Z85KeyLength}-character Z85 key (value not shown)");
        }
        // NetMQ exposes Z85 decoding only through a certificate; any 32 bytes are a valid curve25519 public key.
        byte[] bytes = NetMQCertificate.FromPublicKey(value).PublicKey;
        if (bytes.Length != KeyBytes)
        {
            throw new ConfigurationException($"{what} {path} line {lineNumber}, key {key}: the key does not decode to {KeyBytes} bytes (value not shown)");
        }
        return bytes;
    }

    private static bool IsZ85(string value)
    {
        foreach (char c in value)
        {
            if (!Z85Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    private static void WriteNew(string path, string text, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        using var stream = new FileStream(path, options);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
