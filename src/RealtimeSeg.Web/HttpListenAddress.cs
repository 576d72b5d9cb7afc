using System.Globalization;
using System.Net;
using RealtimeSeg.Core;

namespace RealtimeSeg.Web;

/// <summary>
/// Where the HTTP endpoint listens, as given to <c>--http</c> or <c>http.listen</c>: <c>ADDR:PORT</c>
/// (<c>127.0.0.1:8080</c>, <c>[::1]:8080</c>, <c>0.0.0.0:8080</c>, <c>localhost:8080</c>), a bare <c>PORT</c> (on
/// loopback), and port 0 (or <c>0</c> alone) for a port the system picks.
/// </summary>
public sealed record HttpListenAddress(IPAddress Address, int Port)
{
    /// <summary>True for 127.0.0.0/8 and ::1: only this machine can connect.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>Parses <paramref name="text"/>; a bad value throws <see cref="ConfigurationException"/> naming <paramref name="key"/>.</summary>
    public static HttpListenAddress Parse(string text, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            throw new ConfigurationException($"{key}: empty; expected ADDR:PORT (e.g. 127.0.0.1:8080), a port, or 0 for any free port");
        }
        string host = "127.0.0.1", port = value;
        int colon = value.LastIndexOf(':');
        if (colon >= 0)
        {
            host = value[..colon];
            port = value[(colon + 1)..];
            if (host.StartsWith('[') && host.EndsWith(']'))
            {
                host = host[1..^1];
            }
            else if (host.Contains(':', StringComparison.Ordinal))
            {
                throw new ConfigurationException($"{key}: '{value}' is ambiguous; write an IPv6 address in brackets, e.g. [::1]:8080");
            }
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number > IPEndPoint.MaxPort)
        {
            throw new ConfigurationException($"{key}: '{value}' has no valid port; expected ADDR:PORT with a port 0…65535 (0: any free port)");
        }
        IPAddress address;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.Length == 0)
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address!))
        {
            throw new ConfigurationException($"{key}: '{host}' is not an IP address; use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or an interface's address");
        }
        return new HttpListenAddress(address, number);
    }

    public override string ToString()
        => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{Address}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}");
}
