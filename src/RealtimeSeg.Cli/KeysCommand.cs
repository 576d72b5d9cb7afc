using System.CommandLine;
using RealtimeSeg.Core;
using RealtimeSeg.Publishing;

namespace RealtimeSeg.Cli;

/// <summary><c>realtimeseg keys generate</c>: a ZeroMQ CURVE key pair for an authenticated publisher (docs/security.md).</summary>
internal static class KeysCommand
{
    private static readonly Option<string> OutOption = new("--out", "-o") { Description = "directory to write the key files into (created if missing)", Required = true };
    private static readonly Option<string> NameOption = new("--name") { Description = "base name of the files: NAME.key (public) and NAME.key_secret (secret, mode 0600)", DefaultValueFactory = _ => CurveKeys.DefaultName };

    public static Command Create()
    {
        var generate = new Command("generate", "write a CURVE key pair in ZeroMQ's certificate format (pyzmq's zmq.auth.load_certificate reads it)")
        {
            OutOption, NameOption,
        };
        generate.SetAction(Generate);
        return new Command("keys", "ZeroMQ CURVE keys for authenticated, encrypted publishing") { generate };
    }

    private static int Generate(ParseResult parse)
    {
        (string publicPath, string secretPath) = CurveKeys.Generate(Path.GetFullPath(parse.GetValue(OutOption)!), parse.GetValue(NameOption)!);
        Console.Error.WriteLine($"wrote {publicPath} (public: give it to subscribers) and {secretPath} (secret, mode 0600: keep it on the publishing host)");
        Console.Error.WriteLine($"  publish:   realtimeseg run … --publish tcp://0.0.0.0:5556 --curve-secret {secretPath}");
        Console.Error.WriteLine($"  subscribe: realtimeseg subscribe --connect tcp://HOST:5556 --server-key {publicPath}");
        return ExitCodes.Success;
    }
}
