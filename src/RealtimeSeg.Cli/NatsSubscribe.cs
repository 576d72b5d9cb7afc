using RealtimeSeg.Core;
using RealtimeSeg.Fleet;

namespace RealtimeSeg.Cli;

/// <summary><c>subscribe --connect nats://…</c>: the NATS bridge's frames, printed exactly as the ZeroMQ subscriber prints them.</summary>
internal static class NatsSubscribe
{
    public static async Task<int> RunAsync(string url, string? stream, int count, bool json, double timeout, CancellationToken ct)
    {
        var options = new FleetConnectionOptions { Url = url, ClientName = "realtimeseg-subscribe" };
        FleetFlags.Usage(options.Validate);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout > 0)
        {
            idle.CancelAfter(TimeSpan.FromSeconds(timeout));
        }
        using var printer = new FrameLinePrinter(json);
        long received = 0;
        try
        {
            received = await NatsFrameSubscriber.RunAsync(options, stream, (frame, categories, receiveNs) =>
            {
                if (timeout > 0)
                {
                    idle.CancelAfter(TimeSpan.FromSeconds(timeout));
                }
                double latencyMs = frame.CaptureUtcNs == 0 ? double.NaN : MonotonicClock.ToMilliseconds(receiveNs - frame.CaptureUtcNs);
                printer.Print(frame, categories, receiveNs, latencyMs);
                return count == 0 || ++received < count;
            }, subject => Console.Error.WriteLine($"subscribed to {options.RedactedUrl} subject {subject}"), idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"error: no frame from {options.RedactedUrl} for {timeout:0.#} s (received {received})");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C.
        }
        Console.Error.WriteLine($"received {received} frames");
        return ExitCodes.Success;
    }
}
