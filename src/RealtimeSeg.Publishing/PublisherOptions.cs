using System.Text.RegularExpressions;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Publishing;

/// <summary>Settings of <see cref="ZeroMqPublisher"/>; bound from the <c>publish</c> section of the pipeline config.</summary>
public sealed partial record PublisherOptions
{
    /// <summary>
    /// Where the XPUB socket binds: <c>tcp://HOST:PORT</c> (PORT may be <c>*</c> for any free port; the bound
    /// endpoint is then reported by <see cref="ZeroMqPublisher.Endpoint"/>) or <c>inproc://NAME</c>.
    /// </summary>
    public string Endpoint { get; init; } = "tcp://127.0.0.1:5556";

    /// <summary>
    /// Messages queued per subscriber before ZeroMQ drops further ones for that subscriber. Small on purpose:
    /// a subscriber that is behind should see fresh frames, not a backlog. Must be ≥ 1 (ZeroMQ's 0 = unlimited
    /// would let a stalled subscriber grow the publisher's memory without bound). Range 1 … <see cref="MaxSendHighWaterMark"/>.
    /// </summary>
    public int SendHighWaterMark { get; init; } = 8;

    /// <summary>
    /// Upper bound of <see cref="SendHighWaterMark"/>. A frame message is up to about a megabyte (a raw 1280x720 map
    /// is 460 KB), so 1000 queued frames are already up to a gigabyte per stalled subscriber and half a minute of
    /// stale frames at 30 fps — past any use for live perception.
    /// </summary>
    public const int MaxSendHighWaterMark = 1000;

    /// <summary>How often every stream's category table is re-sent, as a safety net for late joiners.</summary>
    public TimeSpan MetaInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How the segment map travels (docs/protocol.md §4).</summary>
    public MapEncoding MapEncoding { get; init; } = MapEncoding.Rle16;

    /// <summary>
    /// While no frames arrive, how often the socket thread looks for new subscriptions; bounds how late a
    /// joiner gets its category table when the pipeline is idle.
    /// </summary>
    public TimeSpan SubscriptionPollInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// A ZeroMQ CURVE secret certificate (<c>NAME.key_secret</c>, written by <c>realtimeseg keys generate</c> or pyzmq's
    /// <c>zmq.auth.create_certificates</c>; mode 0600). With it the socket is a CURVE server: only subscribers that know
    /// the matching public key (<c>NAME.key</c>) can subscribe, and everything on the wire is encrypted. Config key
    /// <c>publish.curve_secret</c>, flag <c>--curve-secret</c>.
    /// </summary>
    public string? CurveSecret { get; init; }

    /// <summary>
    /// Allows binding a non-loopback address without <see cref="CurveSecret"/> (plaintext, anyone who can reach the
    /// port may subscribe); warned about at start and in the stats. Config key <c>publish.insecure</c>, flag <c>--insecure</c>.
    /// </summary>
    public bool Insecure { get; init; }

    /// <summary>Publishing with CURVE (<see cref="CurveSecret"/> set).</summary>
    public bool IsAuthenticated => !string.IsNullOrEmpty(CurveSecret);

    /// <summary>
    /// True when <see cref="Endpoint"/> can only be reached from this host: <c>inproc://</c>, <c>ipc://</c>, or
    /// <c>tcp://</c> on a loopback address (127.0.0.0/8, ::1, localhost). A wildcard (<c>*</c>, 0.0.0.0), an interface
    /// name or any other host name counts as reachable from the network.
    /// </summary>
    public bool IsLoopbackOnly => IsLoopbackEndpoint(Endpoint);

    /// <summary>
    /// The warning for an endpoint that others can reach in plaintext (<see cref="Insecure"/>), or null: logged at start
    /// and written to the stats.
    /// </summary>
    public string? SecurityWarning => IsAuthenticated || IsLoopbackOnly
        ? null
        : $"publishing on {Endpoint} without authentication or encryption (--insecure): anyone who can reach this port can subscribe and read every frame";

    /// <summary>Throws <see cref="ConfigurationException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!IsValidEndpoint(Endpoint))
        {
            throw new ConfigurationException(
                $"publish.endpoint: '{Endpoint}' is not a valid endpoint; expected tcp://HOST:PORT (PORT 1–65535, or * for any free port) or inproc://NAME");
        }
        if (SendHighWaterMark is < 1 or > MaxSendHighWaterMark)
        {
            throw new ConfigurationException($"publish.send_high_water_mark: {SendHighWaterMark} is invalid; expected an integer in [1, {MaxSendHighWaterMark}]");
        }
        if (MetaInterval <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"publish.meta_interval: {MetaInterval} is invalid; expected a positive duration");
        }
        if (SubscriptionPollInterval <= TimeSpan.Zero || SubscriptionPollInterval > TimeSpan.FromMilliseconds(100))
        {
            throw new ConfigurationException(
                $"publish.subscription_poll_interval: {SubscriptionPollInterval} is invalid; expected more than 0 and at most 100 ms so late joiners get their table quickly");
        }
        if (CurveSecret is not null && string.IsNullOrWhiteSpace(CurveSecret))
        {
            throw new ConfigurationException("publish.curve_secret: empty; expected the path of a NAME.key_secret file (realtimeseg keys generate --out DIR)");
        }
        if (!IsAuthenticated && !Insecure && !IsLoopbackOnly)
        {
            throw new ConfigurationException(
                $"publish.endpoint: {Endpoint} can be reached from other hosts, and publishing there needs keys so that only subscribers holding the server's public key can subscribe. " +
                "Create keys with: realtimeseg keys generate --out DIR, then pass --curve-secret DIR/server.key_secret (config publish.curve_secret) and give subscribers DIR/server.key (--server-key). " +
                "To publish in plaintext anyway, pass --insecure (config publish.insecure: true)");
        }
        if (!Enum.IsDefined(MapEncoding))
        {
            throw new ConfigurationException($"publish.map_encoding: {MapEncoding} is invalid; expected rle16 or raw16");
        }
    }

    private static bool IsValidEndpoint(string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return false;
        }
        if (endpoint.StartsWith("inproc://", StringComparison.Ordinal))
        {
            return endpoint.Length > "inproc://".Length;
        }
        Match m = TcpEndpoint().Match(endpoint);
        if (!m.Success)
        {
            return false;
        }
        string port = m.Groups["port"].Value;
        return port == "*" || (int.TryParse(port, out int p) && p is >= 1 and <= 65535);
    }

    private static bool IsLoopbackEndpoint(string endpoint)
    {
        if (endpoint.StartsWith("inproc://", StringComparison.Ordinal) || endpoint.StartsWith("ipc://", StringComparison.Ordinal))
        {
            return true;
        }
        Match m = TcpEndpoint().Match(endpoint);
        if (!m.Success)
        {
            return false;
        }
        string host = m.Groups["host"].Value.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return System.Net.IPAddress.TryParse(host, out System.Net.IPAddress? address) && System.Net.IPAddress.IsLoopback(address);
    }

    [GeneratedRegex(@"^tcp://(?<host>[^:/\s]+|\*|\[[0-9a-fA-F:.]+\]):(?<port>\*|[0-9]{1,5})$")]
    private static partial Regex TcpEndpoint();
}
