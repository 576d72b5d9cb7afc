using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Pipeline.Runtime;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

public sealed class RoundRobinSchedulerTests : IDisposable
{
    private readonly FramePool _pool = new(32, 64, diagnostics: true);
    private readonly List<(int Stream, Exception? Failure)> _ended = [];

    public void Dispose() => _pool.Dispose();

    private HandOff<FrameLease>[] Rings(int n, int capacity = 4)
    {
        var rings = new HandOff<FrameLease>[n];
        for (int i = 0; i < n; i++)
        {
            rings[i] = new HandOff<FrameLease>(capacity, HandOffMode.DropOldest, static l => l.Dispose());
        }
        return rings;
    }

    private RoundRobinScheduler Scheduler(HandOff<FrameLease>[] rings)
        => new(Array.ConvertAll(rings, r => r.Reader), (i, e) => _ended.Add((i, e)));

    private void Put(HandOff<FrameLease> ring, int stream, long seq)
    {
        Assert.True(_pool.TryRent(out FrameLease lease));
        lease.Metadata = new FrameMetadata(stream, seq, 0, 0, 1, 1);
        Assert.True(ring.Writer.TryWrite(lease));
    }

    private int Take(RoundRobinScheduler s)
    {
        int stream = s.TryTake(out FrameLease lease);
        if (stream >= 0)
        {
            Assert.Equal(stream, lease.Metadata.StreamIndex);
            lease.Dispose();
        }
        return stream;
    }

    [Fact]
    public void TryTake_ThreeStreamsWithFrames_ServesThemInRotation()
    {
        var rings = Rings(3);
        for (int i = 0; i < 3; i++)
        {
            Put(rings[i], i, 0);
            Put(rings[i], i, 1);
        }
        var s = Scheduler(rings);
        int[] order = [Take(s), Take(s), Take(s), Take(s), Take(s), Take(s)];
        Assert.Equal([0, 1, 2, 0, 1, 2], order);
        Assert.Equal(-1, Take(s));
        _pool.AssertNoLeaks();
    }

    [Fact]
    public void TryTake_OneStreamAlwaysFull_TheOtherIsServedAsSoonAsItHasAFrame()
    {
        var rings = Rings(2);
        var s = Scheduler(rings);
        int servedSlow = 0;
        for (int round = 0; round < 20; round++)
        {
            // Stream 0 outruns inference: it always has frames. Stream 1 gets a frame every other round.
            Put(rings[0], 0, round);
            if (round % 2 == 0)
            {
                Put(rings[1], 1, round);
            }
            int served = Take(s);
            if (served == 1)
            {
                servedSlow++;
            }
            if (round % 2 == 0 && served == 0)
            {
                // Served stream 0 last time, so stream 1's fresh frame must be next.
                Assert.Equal(1, Take(s));
                servedSlow++;
            }
        }
        Assert.Equal(10, servedSlow);
        rings[0].DrainAndRelease();
        rings[1].DrainAndRelease();
        _pool.AssertNoLeaks();
    }

    [Fact]
    public void TryTake_StreamCompletedWithError_ReportsItOnceAfterItsLastFrame()
    {
        var rings = Rings(2);
        var s = Scheduler(rings);
        Put(rings[1], 1, 0);
        var boom = new InvalidOperationException("capture died");
        rings[1].Writer.TryComplete(boom);

        Assert.Equal(1, Take(s));     // the frame before the failure is still served
        Assert.Empty(_ended);
        Assert.Equal(-1, Take(s));
        Assert.Equal(-1, Take(s));
        var ended = Assert.Single(_ended);
        Assert.Equal(1, ended.Stream);
        Assert.Same(boom, ended.Failure);
        Assert.False(s.AllEnded);

        rings[0].Writer.TryComplete();
        Assert.Equal(-1, Take(s));
        Assert.True(s.AllEnded);
        Assert.Equal((0, (Exception?)null), _ended[1]);
    }

    [Fact]
    public void TryTake_NoFramesAndOpenRings_ReturnsMinusOneAndNotEnded()
    {
        var s = Scheduler(Rings(3));
        Assert.Equal(-1, Take(s));
        Assert.False(s.AllEnded);
        Assert.Empty(_ended);
    }
}
