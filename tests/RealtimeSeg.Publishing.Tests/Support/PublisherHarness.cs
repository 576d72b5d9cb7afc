using System.Collections.Concurrent;
using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Publishing.Tests.Support;

/// <summary>
/// A real <see cref="ZeroMqPublisher"/> on a free loopback port (wildcard bind), fed through a real channel,
/// with a release callback that checks every frame is released exactly once.
/// </summary>
public sealed class PublisherHarness : IAsyncDisposable
{
    private readonly ConcurrentDictionary<PanopticFrame, int> _outstanding = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentQueue<PanopticFrame> _free = new();
    private readonly CancellationTokenSource _cts = new();
    private int _released;
    private int _doubleReleases;

    public PublisherHarness(PublisherOptions? options = null, int channelCapacity = 4, params (int Index, string Name)[] streams)
    {
        Log = new CollectingLog();
        Publisher = new ZeroMqPublisher(options ?? new PublisherOptions { Endpoint = "tcp://127.0.0.1:*" }, Log);
        foreach ((int index, string name) in streams.Length == 0 ? [(0, "s0")] : streams)
        {
            Publisher.AddStream(index, name, SyntheticScene.Categories);
        }
        Frames = Channel.CreateBounded<PanopticFrame>(new BoundedChannelOptions(channelCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Run = Publisher.RunAsync(Frames.Reader, Release, _cts.Token);
    }

    public CollectingLog Log { get; }
    public ZeroMqPublisher Publisher { get; }
    public Channel<PanopticFrame> Frames { get; }
    public Task Run { get; }
    public int Released => Volatile.Read(ref _released);
    public int DoubleReleases => Volatile.Read(ref _doubleReleases);
    public int Outstanding => _outstanding.Count;

    /// <summary>The bound endpoint, once the socket is bound.</summary>
    public async Task<string> EndpointAsync()
    {
        await Publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        return Publisher.Endpoint;
    }

    /// <summary>A frame to fill: a released one when available (as a real frame pool would hand out), else a new one.</summary>
    public PanopticFrame Rent() => _free.TryDequeue(out PanopticFrame? frame) ? frame : new PanopticFrame();

    public async ValueTask WriteAsync(PanopticFrame frame)
    {
        _outstanding[frame] = 1;
        await Frames.Writer.WriteAsync(frame);
    }

    public void Cancel() => _cts.Cancel();

    public async ValueTask DisposeAsync()
    {
        Frames.Writer.TryComplete();
        await _cts.CancelAsync();
        await Publisher.DisposeAsync();
        _cts.Dispose();
    }

    private void Release(PanopticFrame frame)
    {
        if (!_outstanding.TryRemove(frame, out _))
        {
            Interlocked.Increment(ref _doubleReleases);
        }
        Interlocked.Increment(ref _released);
        _free.Enqueue(frame);
    }
}
