using System.CommandLine;
using RealtimeSeg.Core;
using RealtimeSeg.Fleet;

namespace RealtimeSeg.Cli;

/// <summary>The NATS connection flags every fleet verb shares (docs/scale-out.md).</summary>
internal static class FleetFlags
{
    public static Option<string> Nats() => new("--nats")
    {
        Description = "NATS server URL(s), comma separated: nats://HOST:4222 (credentials as nats://user:pass@HOST or nats://TOKEN@HOST; tls:// for TLS)",
        Required = true,
    };

    public static readonly Option<string?> Creds = new("--nats-creds") { Description = "NATS credentials file (.creds: JWT + NKey seed)" };
    public static readonly Option<string?> Ca = new("--nats-ca") { Description = "CA bundle to verify the servers' TLS certificates" };
    public static readonly Option<string?> Results = new("--results") { Description = "a results folder every worker and fetch sees, instead of the JetStream object store" };
    public static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "only warnings and errors on stderr" };

    public static void AddTo(Command command, Option<string> nats)
    {
        command.Options.Add(nats);
        command.Options.Add(Creds);
        command.Options.Add(Ca);
        command.Options.Add(Quiet);
    }

    /// <summary>The connection options; a bad URL or missing file is a usage error naming the flag (exit 2).</summary>
    public static FleetConnectionOptions Connection(ParseResult parse, Option<string> nats)
    {
        var options = new FleetConnectionOptions
        {
            Url = parse.GetValue(nats)!,
            CredsFile = parse.GetValue(Creds) is { } creds ? Path.GetFullPath(creds) : null,
            TlsCaFile = parse.GetValue(Ca) is { } ca ? Path.GetFullPath(ca) : null,
        };
        Usage(options.Validate);
        return options;
    }

    /// <summary>Runs <paramref name="validate"/>, turning its <see cref="ArgumentException"/> into a usage error (exit 2).</summary>
    public static void Usage(Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException(e.Message, e);
        }
    }
}
