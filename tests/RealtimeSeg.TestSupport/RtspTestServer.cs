using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// A real RTSP server (GStreamer's GstRtspServer via <c>tools/rtsp-server/rtsp-server.py</c>) on 127.0.0.1 serving a
/// live H.264 test pattern, for network-source tests. Listens on a port held by a <see cref="PortReservation"/> (so
/// no other process can take it, even while the server is down), returns once the server accepts connections, and
/// can be killed (SIGKILL, as a crash would) and started again on the same port. The server quits by itself when the
/// test host dies (<c>--exit-with-parent</c>), so none is left behind.
/// </summary>
public sealed class RtspTestServer : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<string?> Missing = new(FindMissingPiece);

    private readonly string _size;
    private readonly int _fps;
    private readonly PortReservation? _reservation;
    private Process? _process;
    private string? _credentials;

    private RtspTestServer(int port, string path, string size, int fps, PortReservation? reservation = null)
    {
        _reservation = reservation;
        Port = port;
        Path = path;
        _size = size;
        _fps = fps;
    }

    /// <summary>Null when a server can be started here; otherwise why not (the tests skip with this reason).</summary>
    public static string? UnavailableReason => Missing.Value;

    public int Port { get; }
    public string Path { get; }
    public string Url => $"rtsp://127.0.0.1:{Port}{Path}";
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a port of its own serving a <paramref name="size"/> pattern at <paramref name="fps"/>.</summary>
    public static RtspTestServer Start(string path = "/test", string size = "320x240", int fps = 25) => StartOnOwnPort(path, size, fps, null);

    private static RtspTestServer StartOnOwnPort(string path, string size, int fps, string? credentials)
    {
        var reservation = new PortReservation();
        var server = new RtspTestServer(reservation.Port, path, size, fps, reservation) { _credentials = credentials };
        try
        {
            server.Restart();
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>
    /// Starts a server that requires Basic authentication as <paramref name="user"/>:<paramref name="password"/> (handed to
    /// the server through its environment, so the password is on no command line a credentials test scans).
    /// </summary>
    public static RtspTestServer StartWithAuthentication(string user, string password, string path = "/test", string size = "320x240", int fps = 25)
        => StartOnOwnPort(path, size, fps, user + ":" + password);

    /// <summary>Starts a server on <paramref name="port"/> (one a test holds with a <see cref="PortReservation"/>, e.g. for a client that came first).</summary>
    public static RtspTestServer StartOn(int port, string path = "/test", string size = "320x240", int fps = 25)
    {
        var server = new RtspTestServer(port, path, size, fps);
        server.Restart();
        return server;
    }

    /// <summary>Starts the server again on the same port (after <see cref="Kill"/>).</summary>
    public void Restart()
    {
        Kill();
        string script = System.IO.Path.Combine(TestAssets.RepositoryRoot, "tools", "rtsp-server", "rtsp-server.py");
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { script, "--exit-with-parent", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--path", Path, "--size", _size, "--fps", _fps.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }
        if (_credentials is not null)
        {
            psi.Environment["RSEG_RTSP_AUTH"] = _credentials;
        }
        Process process = Process.Start(psi)!;
        _process = process;
        Task<string?> ready = process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(60)) || ready.Result is not { } line || !line.StartsWith("READY", StringComparison.Ordinal))
        {
            string err = process.HasExited ? process.StandardError.ReadToEnd() : "";
            Kill();
            throw new InvalidOperationException($"the RTSP test server did not start on port {Port}: {err}");
        }
        process.StandardError.ReadToEndAsync(); // drain: GStreamer may warn; a full pipe would block it
        // Generous: Python and GStreamer start slowly on a loaded machine (READY already means it listens).
        WaitUntilAccepting(TimeSpan.FromSeconds(30));
    }

    /// <summary>Kills the server at once (SIGKILL: no goodbye to clients, as in a crash or a pulled cable).</summary>
    public void Kill()
    {
        Process? p = _process;
        _process = null;
        if (p is null)
        {
            return;
        }
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
            p.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        p.Dispose();
    }

    public void Dispose()
    {
        Kill();
        _reservation?.Dispose();
    }

    /// <summary>Stops the server dead without closing anything (SIGSTOP): connections stay open and deliver nothing, like a hung camera.</summary>
    public void Freeze() => Signal(19);

    /// <summary>Lets a frozen server run again (SIGCONT).</summary>
    public void Thaw() => Signal(18);

    private void Signal(int signal)
    {
        Process p = _process ?? throw new InvalidOperationException("the RTSP test server is not running");
        if (NativeMethods.kill(p.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({p.Id}, {signal}) failed");
        }
    }

    private void WaitUntilAccepting(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (watch.Elapsed < timeout)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static string? FindMissingPiece()
    {
        if (!File.Exists(Python))
        {
            return "no RTSP test server: /usr/bin/python3 is missing (scripts/install-deps.sh installs what the RTSP tests need)";
        }
        try
        {
            var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "-c", "import gi; gi.require_version('Gst','1.0'); gi.require_version('GstRtspServer','1.0'); from gi.repository import Gst, GstRtspServer; Gst.init(None); import sys; sys.exit(0 if Gst.ElementFactory.find('x264enc') and Gst.ElementFactory.find('rtph264pay') else 3)" })
            {
                psi.ArgumentList.Add(a);
            }
            using Process p = Process.Start(psi)!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit(20000);
            return p.ExitCode switch
            {
                0 => null,
                3 => "no RTSP test server: GStreamer's x264enc/rtph264pay are missing (gstreamer1.0-plugins-ugly/-good; scripts/install-deps.sh installs them)",
                _ => "no RTSP test server: GStreamer's Python bindings (python3-gi, gir1.2-gst-rtsp-server-1.0) are missing; scripts/install-deps.sh installs them. " + err.Trim(),
            };
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return "no RTSP test server: " + ex.Message;
        }
    }
}
