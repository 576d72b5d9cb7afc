using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Cli;

/// <summary><c>realtimeseg subscribe</c>: a downstream subscriber printing each received panoptic frame.</summary>
internal static class SubscribeCommand
{
    private static readonly Option<string> ConnectOption = new("--connect") { Description = "publisher endpoint (tcp://…), or nats://HOST:PORT for the NATS bridge", DefaultValueFactory = _ => "tcp://127.0.0.1:5556" };
    private static readonly Option<int> CountOption = new("--count", "-n") { Description = "exit after N frames (0 = run until Ctrl-C)" };
    private static readonly Option<bool> JsonOption = new("--json") { Description = "one JSON object per frame on stdout" };
    private static readonly Option<string?> StreamOption = new("--stream") { Description = "only this stream (e.g. s0); default all" };
    private static readonly Option<long?> MaxMapPixelsOption = new("--max-map-pixels") { Description = $"reject frames whose map has more pixels than this (default {MessageLimits.Default.MaxMapPixels}, 8K)" };
    private static readonly Option<int?> MaxSegmentsOption = new("--max-segments") { Description = $"reject frames with more segments than this (default {MessageLimits.Default.MaxSegments})" };
    private static readonly Option<double> TimeoutOption = new("--timeout") { Description = "give up (exit 1) when no frame arrives for this many seconds (0 = wait forever)" };

    public static Command Create()
    {
        var command = new Command("subscribe", "receive panoptic frames from a publisher")
        {
            ConnectOption, CountOption, JsonOption, StreamOption, TimeoutOption, SecurityFlags.ServerKeyOption, MaxMapPixelsOption, MaxSegmentsOption,
        };
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string endpoint = parse.GetValue(ConnectOption)!;
        int count = parse.GetValue(CountOption);
        bool json = parse.GetValue(JsonOption);
        double timeout = parse.GetValue(TimeoutOption);
        if (count < 0 || timeout < 0)
        {
            throw new ConfigurationException("--count and --timeout must be ≥ 0");
        }
        if (Fleet.NatsSubjects.IsNatsUrl(endpoint))
        {
            return await NatsSubscribe.RunAsync(endpoint, parse.GetValue(StreamOption), count, json, timeout, ct).ConfigureAwait(false);
        }
        MessageLimits limits = MessageLimits.Default;
        if (parse.GetValue(MaxMapPixelsOption) is { } pixels)
        {
            limits = limits with { MaxMapPixels = pixels, MaxMapWidth = (int)Math.Clamp(pixels, 1, int.MaxValue), MaxMapHeight = (int)Math.Clamp(pixels, 1, int.MaxValue) };
        }
        if (parse.GetValue(MaxSegmentsOption) is { } segments)
        {
            limits = limits with { MaxSegments = segments };
        }
        var options = new SubscriberOptions { Endpoint = endpoint, Stream = parse.GetValue(StreamOption), ServerKey = SecurityFlags.ServerKey(parse), Limits = limits };
        await using var subscriber = new SegmentationSubscriber(options, new ConsoleLog(Console.Error));
        Console.Error.WriteLine($"subscribed to {endpoint}{(options.Stream is null ? "" : " stream " + options.Stream)}{(options.ServerKey is null ? "" : " (CURVE)")}");
        using var statusStop = new CancellationTokenSource();
        Task status = ReportFaultsAsync(subscriber, statusStop.Token);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout > 0)
        {
            idle.CancelAfter(TimeSpan.FromSeconds(timeout));
        }
        using var printer = new FrameLinePrinter(json);
        int received = 0;
        try
        {
            // Frames are lent from the subscriber's pool and returned after printing: no map is allocated per frame.
            while ((count == 0 || received < count) && await subscriber.WaitToReceiveAsync(idle.Token).ConfigureAwait(false))
            {
                while ((count == 0 || received < count) && subscriber.TryReceive(out FrameLoan frame))
                {
                    using (frame)
                    {
                        if (timeout > 0)
                        {
                            idle.CancelAfter(TimeSpan.FromSeconds(timeout));
                        }
                        printer.Print(frame.Frame, frame.Categories, frame.ReceiveUtcNs, frame.LatencyMs);
                    }
                    received++;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await StopStatusAsync(statusStop, status).ConfigureAwait(false);
            string hint = options.ServerKey is null ? " (a publisher started with --curve-secret sends nothing without --server-key)" : " (is it the publisher's key?)";
            Console.Error.WriteLine($"error: no frame from {endpoint} for {timeout:0.#} s (received {received}){hint}; {Faults(subscriber)}");
            WriteSummary(subscriber, received, json);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C.
        }
        await StopStatusAsync(statusStop, status).ConfigureAwait(false);
        Console.Error.WriteLine($"received {received} frames, missed {subscriber.FramesMissed}, {Faults(subscriber)}");
        WriteSummary(subscriber, received, json);
        return ExitCodes.Success;
    }

    /// <summary>Once a second, a status line whenever malformed or rejected messages have arrived since the last one.</summary>
    private static async Task ReportFaultsAsync(SegmentationSubscriber subscriber, CancellationToken ct)
    {
        long reported = 0;
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await ticks.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                long faults = subscriber.MessagesMalformed + subscriber.MessagesRejected;
                if (faults != reported)
                {
                    reported = faults;
                    Console.Error.WriteLine($"subscribe: {subscriber.FramesReceived} frames, missed {subscriber.FramesMissed}, {Faults(subscriber)}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the command.
        }
    }

    private static async Task StopStatusAsync(CancellationTokenSource stop, Task status)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await status.ConfigureAwait(false);
    }

    /// <summary>"2 malformed (truncated 1, malformed 1), 1 rejected (map_too_large 1)".</summary>
    internal static string Faults(SegmentationSubscriber subscriber)
    {
        var malformed = new List<string>();
        var rejected = new List<string>();
        foreach (MessageFault fault in Enum.GetValues<MessageFault>())
        {
            long n = subscriber.GetFaultCount(fault);
            if (n > 0)
            {
                (fault is MessageFault.MapTooLarge or MessageFault.TooManySegments ? rejected : malformed).Add($"{FaultName(fault)} {n}");
            }
        }
        return $"{subscriber.MessagesMalformed} malformed{(malformed.Count == 0 ? "" : $" ({string.Join(", ", malformed)})")}, "
            + $"{subscriber.MessagesRejected} rejected{(rejected.Count == 0 ? "" : $" ({string.Join(", ", rejected)})")}";
    }

    private static string FaultName(MessageFault fault) => fault switch
    {
        MessageFault.Truncated => "truncated",
        MessageFault.MapTooLarge => "map_too_large",
        MessageFault.TooManySegments => "too_many_segments",
        _ => "malformed",
    };

    /// <summary>With --json, one summary object on stderr at exit (stdout stays one object per frame).</summary>
    private static void WriteSummary(SegmentationSubscriber subscriber, int received, bool json)
    {
        if (!json)
        {
            return;
        }
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("summary");
            w.WriteNumber("frames_received", received);
            w.WriteNumber("frames_missed", subscriber.FramesMissed);
            w.WriteNumber("frames_dropped", subscriber.FramesDropped);
            w.WriteNumber("messages_malformed", subscriber.MessagesMalformed);
            w.WriteNumber("messages_rejected", subscriber.MessagesRejected);
            w.WriteStartObject("faults");
            foreach (MessageFault fault in Enum.GetValues<MessageFault>())
            {
                w.WriteNumber(FaultName(fault), subscriber.GetFaultCount(fault));
            }
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        Console.Error.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
