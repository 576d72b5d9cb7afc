using NATS.Client.Core;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Fleet;

/// <summary>
/// <c>subscribe --connect nats://…</c>: reads the bridge's subjects and decodes each frame with the same deserializer
/// as the ZeroMQ client, into one reused <see cref="PanopticFrame"/>; the category table comes from the
/// <c>.meta</c> subject (frames before it arrive have none). Calls <c>onFrame</c> per frame until it returns false.
/// </summary>
public static class NatsFrameSubscriber
{
    /// <param name="onFrame">(frame, its categories or null, receive time in Unix ns) → false to stop.</param>
    /// <returns>Frames received.</returns>
    public static async Task<long> RunAsync(FleetConnectionOptions options, string? stream, Func<PanopticFrame, CategoryTable?, long, bool> onFrame,
        Action<string> onSubscribed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onFrame);
        options.Validate();
        var connection = new NatsConnection(NatsOpts.Default with
        {
            Url = options.Url,
            Name = options.ClientName + " subscriber",
            MaxReconnectRetry = -1,
            AuthOpts = options.CredsFile is null ? NatsAuthOpts.Default : NatsAuthOpts.Default with { CredsFile = options.CredsFile },
            TlsOpts = options.TlsCaFile is null ? NatsTlsOpts.Default : NatsTlsOpts.Default with { CaFile = options.TlsCaFile },
        });
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                await connection.ConnectAsync().AsTask().WaitAsync(ct).ConfigureAwait(false);
            }
            catch (NatsException e)
            {
                throw new SourceUnavailableException(options.RedactedUrl, $"cannot connect: {e.Message}", e);
            }
            string subject = stream is null ? NatsSubjects.All : $"realtimeseg.{stream}.*";
            var categories = new Dictionary<string, CategoryTableMessage>(StringComparer.Ordinal);
            var deserializer = new PanopticFrameDeserializer();
            var frame = new PanopticFrame();
            long received = 0;
            await using INatsSub<byte[]> sub = await connection.SubscribeCoreAsync<byte[]>(subject, cancellationToken: ct).ConfigureAwait(false);
            // A ping round trip: the server has the subscription before we say we are subscribed.
            await connection.PingAsync(ct).ConfigureAwait(false);
            onSubscribed(subject);
            await foreach (NatsMsg<byte[]> msg in sub.Msgs.ReadAllAsync(ct).ConfigureAwait(false))
            {
                long receivedNs = MonotonicClock.UtcNowNs();
                if (msg.Data is not { } payload)
                {
                    continue;
                }
                if (msg.Subject.EndsWith(".meta", StringComparison.Ordinal))
                {
                    CategoryTableMessage meta = CategoryTableSerializer.Read(payload);
                    categories[meta.Stream] = meta;
                    continue;
                }
                if (!msg.Subject.EndsWith(".panoptic", StringComparison.Ordinal))
                {
                    continue;
                }
                deserializer.Read(payload, frame);
                received++;
                CategoryTable? table = categories.TryGetValue(frame.StreamName, out CategoryTableMessage? m) && m.Version == frame.CategoryTableVersion ? m.Categories : null;
                if (!onFrame(frame, table, receivedNs))
                {
                    break;
                }
            }
            return received;
        }
    }
}
