using RealtimeSeg.Fleet;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>--publish nats://HOST:PORT</c> on <c>run</c> and <c>demo</c>: the live NATS bridge (<see cref="NatsFrameSink"/>),
/// alongside a ZeroMQ endpoint given with another <c>--publish</c>, or instead of ZeroMQ when it is the only one (the
/// ZeroMQ publisher then binds an in-process endpoint nobody outside can reach).
/// </summary>
internal static class NatsBridgeFlag
{
    /// <summary>The config with the ZeroMQ endpoint among <paramref name="endpoints"/> (if any), and the NATS URLs.</summary>
    public static (PipelineConfig Config, string[] Nats) Split(PipelineConfig config, IReadOnlyList<string> endpoints)
    {
        var nats = endpoints.Where(NatsSubjects.IsNatsUrl).ToArray();
        string[] zeroMq = [.. endpoints.Where(e => !NatsSubjects.IsNatsUrl(e))];
        if (zeroMq.Length > 1)
        {
            throw new Core.ConfigurationException($"--publish: one ZeroMQ endpoint at most (got {string.Join(", ", zeroMq)}); a nats:// URL may be added beside it");
        }
        if (zeroMq.Length == 1)
        {
            config = config with { Publish = config.Publish with { Endpoint = zeroMq[0] } };
        }
        else if (nats.Length > 0)
        {
            config = config with { Publish = config.Publish with { Endpoint = "inproc://rseg-zeromq-" + Guid.NewGuid().ToString("N") } };
        }
        return (config, nats);
    }

    /// <summary>Host options carrying one bridge sink per NATS URL; null when there is none.</summary>
    public static PipelineHostOptions? Host(string[] nats, ConsoleLog log)
    {
        if (nats.Length == 0)
        {
            return null;
        }
        var sinks = new Core.Sinks.IFrameSink[nats.Length];
        for (int i = 0; i < nats.Length; i++)
        {
            FleetConnectionOptions options = new() { Url = nats[i] };
            FleetFlags.Usage(options.Validate);
            sinks[i] = new NatsFrameSink(options, log);
        }
        return new PipelineHostOptions { Sinks = sinks };
    }
}
