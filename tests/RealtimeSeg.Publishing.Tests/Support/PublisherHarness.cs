using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Protocol;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Publishing.Tests.Support;

/// <summary>
/// A real <see cref="ZeroMqPublisher"/> on a free loopback port (wildcard bind, the port read back from the socket), fed
/// through a real channel with composed frames from a diagnostic pool, so every frame must come back exactly once.
/// </summary>
public sealed class PublisherHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly FrameEncoder _encoder;
    private readonly Dictionary<int, string> _names = [];
    private int _written;

    public PublisherHarness(PublisherOptions? options = null, int channelCapacity = 4, params (int Index, string Name)[] streams)
    {
        Log = new CollectingLog();
        options ??= new PublisherOptions { Endpoint = "tcp://127.0.0.1:*" };
        _encoder = new FrameEncoder(encoding: options.MapEncoding);
        Publisher = new ZeroMqPublisher(options, Log);
        foreach ((int index, string name) in streams.Length == 0 ? [(0, "s0")] : streams)
        {
            Publisher.AddStream(index, name, SyntheticScene.Categories);
            _names[index] = name;
        }
        Frames = Channel.CreateBounded<ComposedFrame>(new BoundedChannelOptions(channelCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Run = Publisher.RunAsync(Frames.Reader, _cts.Token);
    }

    public CollectingLog Log { get; }
    public ZeroMqPublisher Publisher { get; }
    public Channel<ComposedFrame> Frames { get; }
    public Task Run { get; }

    /// <summary>The composed frames fed to the publisher.</summary>
    public ComposedFramePool Pool => _encoder.Pool;

    /// <summary>Frames the publisher gave back (written and no longer referenced).</summary>
    public int Released => Volatile.Read(ref _written) - Pool.Outstanding;

    /// <summary>Frames written and not yet given back.</summary>
    public int Outstanding => Pool.Outstanding;

    /// <summary>The bound endpoint, once the socket is bound.</summary>
    public async Task<string> EndpointAsync()
    {
        await Publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        return Publisher.Endpoint;
    }

    /// <summary>A frame to fill (the harness copies it into a composed frame when written).</summary>
    public PanopticFrame Rent() => new();

    /// <summary>
    /// Writes a copy of <paramref name="frame"/>, named like the pipeline's compose stage does: after its stream's registered
    /// name; with a non-empty <paramref name="jpeg"/>, its image message too (sent just before the frame).
    /// </summary>
    public ValueTask WriteAsync(PanopticFrame frame, ReadOnlyMemory<byte> jpeg = default, int jpegWidth = 0, int jpegHeight = 0)
    {
        Name(frame);
        return WriteAsync(_encoder.Encode(frame, jpeg.Span, jpegWidth, jpegHeight));
    }

    /// <summary>Writes a copy of <paramref name="frame"/> (named after its stream) whose wire message is <paramref name="message"/>, whatever it holds.</summary>
    public ValueTask WriteMessageAsync(PanopticFrame frame, ReadOnlyMemory<byte> message)
    {
        Name(frame);
        return WriteAsync(_encoder.EncodeAs(frame, message.Span));
    }

    /// <summary>Writes the end of stream <paramref name="streamIndex"/> (its registered name) in <paramref name="run"/>.</summary>
    public ValueTask WriteEndAsync(int streamIndex, string run, StreamEndReason reason, long lastSequence, long frames)
        => WriteAsync(_encoder.EncodeEnd(streamIndex, new StreamEndMessage(_names[streamIndex], run, reason, lastSequence, frames)));

    private void Name(PanopticFrame frame)
    {
        if (_names.TryGetValue(frame.StreamIndex, out string? name))
        {
            frame.StreamName = name;
        }
    }

    private async ValueTask WriteAsync(ComposedFrame composed)
    {
        Interlocked.Increment(ref _written);
        await Frames.Writer.WriteAsync(composed);
    }

    public void Cancel() => _cts.Cancel();

    public async ValueTask DisposeAsync()
    {
        Frames.Writer.TryComplete();
        await _cts.CancelAsync();
        await Publisher.DisposeAsync();
        _cts.Dispose();
    }
}
