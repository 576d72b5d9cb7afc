using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using RealtimeSeg.Core;
using RealtimeSeg.Web.Health;
using RealtimeSeg.Web.Viewer;

namespace RealtimeSeg.Web;

/// <summary>
/// The one HTTP endpoint (<c>--http ADDR:PORT</c>): Kestrel from the shared framework, nothing else, with
/// <list type="bullet">
/// <item><c>/</c> and its files — the live viewer, embedded in this assembly;</item>
/// <item><c>/ws</c> — the viewer's WebSocket (<see cref="ViewerHub"/>);</item>
/// <item><c>/metrics</c> — Prometheus text format from the run's registry;</item>
/// <item><c>/healthz</c> — liveness: 200 while the process serves requests;</item>
/// <item><c>/readyz</c> — readiness: 200 when every stream runs and produced a frame recently, else 503; lists each stream's state.</item>
/// </list>
/// Nothing here is configured from the environment or files (no <c>ASPNETCORE_URLS</c>, no appsettings): what listens
/// where is what the caller asked for. A non-loopback address is allowed with a warning: there is no authentication yet.
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    private readonly WebServerOptions _options;
    private readonly StaticAssets _assets;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private Task _statsLoop = Task.CompletedTask;
    private int _disposed;

    private WebServer(WebServerOptions options, StaticAssets assets)
    {
        _options = options;
        _assets = assets;
    }

    /// <summary>The address it listens on, with the port it got, e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Starts listening; throws <see cref="SourceUnavailableException"/> (exit 3) when the address cannot be bound.</summary>
    public static async Task<WebServer> StartAsync(WebServerOptions options, IPipelineLog log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var server = new WebServer(options, StaticAssets.Load());
        HttpListenAddress listen = options.Listen;
        int attempts = listen.Port == 0 ? 1 : 1 + Math.Clamp(options.NextFreePorts, 0, IPEndPoint.MaxPort - listen.Port);
        for (int i = 0; ; i++)
        {
            var address = listen with { Port = listen.Port + i };
            try
            {
                await server.ListenAsync(address, ct).ConfigureAwait(false);
                break;
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                await server.StopAppAsync().ConfigureAwait(false);
                if (i + 1 >= attempts)
                {
                    await server.DisposeAsync().ConfigureAwait(false);
                    throw new SourceUnavailableException("http " + listen, attempts == 1
                        ? $"cannot listen on {address}: the port is taken (choose another with --http ADDR:PORT, or 127.0.0.1:0 for any free port)"
                        : $"cannot listen on {listen.Address}: ports {listen.Port}…{address.Port} are all taken (choose one with --http ADDR:PORT, or 127.0.0.1:0 for any free port)", e);
                }
            }
            catch (OperationCanceledException)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw new SourceUnavailableException("http " + listen, $"cannot listen on {address}: {e.Message}", e);
            }
        }
        if (!listen.IsLoopback)
        {
            log.Warn($"http: listening on {listen.Address} — reachable from other machines, with no authentication: anyone who can connect sees the viewer and /metrics (use 127.0.0.1 to keep it on this machine)");
        }
        if (options.Viewer is { } hub)
        {
            server._statsLoop = server.TickStatsAsync(hub);
        }
        return server;
    }

    private async Task ListenAsync(HttpListenAddress address, CancellationToken ct)
    {
        // The empty builder reads no configuration, environment variables or appsettings, and registers no logger.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(address.Address, address.Port);
        });
        WebApplication app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.Run(HandleAsync);
        _app = app;
        await app.StartAsync(ct).ConfigureAwait(false);
        string bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started but reports no address");
        Address = new Uri(bound.EndsWith('/') ? bound : bound + "/");
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        string path = request.Path.Value ?? "/";
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }
        switch (path)
        {
            case "/healthz":
                await WriteJsonAsync(response, StatusCodes.Status200OK, static w => w.WriteString("status", "alive")).ConfigureAwait(false);
                return;
            case "/readyz":
                await ReadyAsync(response).ConfigureAwait(false);
                return;
            case "/metrics" when _options.Metrics is { } registry:
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                response.Headers.CacheControl = "no-store";
                await registry.CollectAndExportAsTextAsync(response.Body, ExpositionFormat.PrometheusText, context.RequestAborted).ConfigureAwait(false);
                return;
            case "/ws" when _options.Viewer is { } hub:
                await ServeViewerAsync(context, hub).ConfigureAwait(false);
                return;
        }
        if (_options.Viewer is not null && _assets.TryGet(path, out StaticAsset asset))
        {
            await ServeAssetAsync(context, asset).ConfigureAwait(false);
            return;
        }
        response.StatusCode = StatusCodes.Status404NotFound;
    }

    private async Task ServeViewerAsync(HttpContext context, ViewerHub hub)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("/ws is the viewer's WebSocket: connect with a WebSocket client (the page at / does)", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (!IsSameOrigin(context.Request))
        {
            // Another web site open in the same browser must not read the camera frames (cross-site WebSocket hijacking).
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        using System.Net.WebSockets.WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        await hub.ServeAsync(socket, both.Token).ConfigureAwait(false);
    }

    /// <summary>A browser sends the page's origin; clients that are not browsers send none and are let in.</summary>
    private static bool IsSameOrigin(HttpRequest request)
    {
        string? origin = request.Headers.Origin;
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }
        return Uri.TryCreate(origin, UriKind.Absolute, out Uri? o)
            && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task ServeAssetAsync(HttpContext context, StaticAsset asset)
    {
        HttpResponse response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'; frame-ancestors 'none'";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await response.Body.WriteAsync(asset.Content, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task ReadyAsync(HttpResponse response)
    {
        IReadOnlyList<StreamHealth> streams = _options.Health?.Streams() ?? [];
        Readiness rule = _options.Readiness;
        bool ready = rule.IsReady(streams);
        await WriteJsonAsync(response, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteBoolean("ready", ready);
            w.WriteNumber("max_frame_age_s", rule.MaxFrameAge.TotalSeconds);
            w.WriteStartArray("streams");
            foreach (StreamHealth s in streams)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WriteString("state", ViewerHub.StateName(s.State));
                w.WriteBoolean("ready", rule.IsReady(s));
                if (s.SecondsSinceLastFrame is { } age)
                {
                    w.WriteNumber("seconds_since_last_frame", Math.Round(age, 3));
                }
                else
                {
                    w.WriteNull("seconds_since_last_frame");
                }
                w.WriteNumber("frames_published", s.FramesPublished);
                w.WriteNumber("frames_dropped", s.FramesDropped);
                w.WriteNumber("reconnects", s.Reconnects);
                if (s.LastError is not null)
                {
                    w.WriteString("last_error", s.LastError);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpResponse response, int status, Action<Utf8JsonWriter> body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)).ConfigureAwait(false);
    }

    private async Task TickStatsAsync(ViewerHub hub)
    {
        using var timer = new PeriodicTimer(StatsInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                hub.RequestStats();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "Stopping is bounded and best effort: a connection that will not close is abandoned with the process.")]
    private async Task StopAppAsync()
    {
        if (_app is not { } app)
        {
            return;
        }
        _app = null;
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Kestrel aborts what is left once the token fires.
        }
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops listening and closes every connection (WebSockets included) within about two seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await StopAppAsync().ConfigureAwait(false);
        await _statsLoop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    public override string ToString() => Address?.ToString() ?? "(not listening)";
}
