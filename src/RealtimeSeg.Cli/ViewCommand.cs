using System.CommandLine;
using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Web;
using RealtimeSeg.Web.Health;
using RealtimeSeg.Web.Viewer;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>realtimeseg view --connect ENDPOINT --http ADDR:PORT</c>: the live viewer for any publisher (<c>run</c>, <c>demo</c>,
/// <c>replay</c>, another process's pipeline): subscribes with the C# client (images too) and serves the same page as
/// <c>run --http</c>, with <c>/metrics</c> (the viewer's and the process's), <c>/healthz</c> and <c>/readyz</c> (ready
/// while every stream seen has sent a frame within 5 s).
/// </summary>
internal static class ViewCommand
{
    private const string DefaultHttp = "127.0.0.1:8080";
    private const int DefaultNextFreePorts = 20;

    private static readonly Option<string> ConnectOption = new("--connect") { Description = "publisher endpoint", DefaultValueFactory = _ => "tcp://127.0.0.1:5556" };
    private static readonly Option<string?> StreamOption = new("--stream") { Description = "only this stream (e.g. s0); default all" };

    public static Command Create()
    {
        var command = new Command("view", "serve the live browser viewer for any publisher (default http://127.0.0.1:8080/, or the next free port)")
        {
            ConnectOption, StreamOption, HttpFlag.Option,
        };
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var log = new ConsoleLog(Console.Error, quiet: false);
        string? httpValue = parse.GetValue(HttpFlag.Option);
        if (httpValue is not null && string.Equals(httpValue.Trim(), HttpFlag.Off, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationException("--http none: the view verb is the viewer; give it an address (ADDR:PORT, or 0 for any free port)");
        }
        HttpListenAddress listen = HttpListenAddress.Parse(httpValue ?? DefaultHttp, "--http");
        var options = new SubscriberOptions { Endpoint = parse.GetValue(ConnectOption)!, Stream = parse.GetValue(StreamOption), ReceiveImages = true };
        options.Validate();

        var hub = new ViewerHub();
        var feed = new SubscriberViewerFeed(hub);
        hub.Health = feed;
        (Prometheus.CollectorRegistry registry, Prometheus.MetricFactory factory) = MetricsRegistry.Create();
        ViewerMetrics.Register(registry, factory, hub);

        await using var subscriber = new SegmentationSubscriber(options, log);
        subscriber.MessageReceived += feed.OnMessage;
        subscriber.ImageReceived += feed.OnImage;
        subscriber.CategoriesReceived += feed.OnCategories;
        subscriber.StreamEnded += feed.OnEnd;
        await using WebServer server = await WebServer.StartAsync(new WebServerOptions
        {
            Listen = listen,
            NextFreePorts = httpValue is null ? DefaultNextFreePorts : 0,
            Viewer = hub,
            Metrics = registry,
            Health = feed,
            Readiness = new Readiness(Readiness.DefaultMaxFrameAge),
        }, log, ct).ConfigureAwait(false);
        Console.Error.WriteLine($"subscribed to {options.Endpoint}{(options.Stream is null ? "" : " stream " + options.Stream)}");
        Console.Error.WriteLine(HttpFlag.Banner(server.Address));
        Console.Error.WriteLine("  Ctrl-C stops.");
        try
        {
            // The decoded frames only count for /readyz and the page's figures: the browser gets the raw message.
            while (await subscriber.WaitToReceiveAsync(ct).ConfigureAwait(false))
            {
                while (subscriber.TryReceive(out FrameLoan frame))
                {
                    using (frame)
                    {
                        feed.OnFrame(frame);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C.
        }
        Console.Error.WriteLine($"view stopped: {subscriber.FramesReceived} frames received, {hub.FramesSent} sent to {hub.ClientsServed} browser connection(s), {hub.FramesSkipped} skipped for slow browsers");
        return ExitCodes.Success;
    }
}
