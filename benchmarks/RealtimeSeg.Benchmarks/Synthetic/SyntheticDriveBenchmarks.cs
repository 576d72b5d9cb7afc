using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using RealtimeSeg.Capture;
using RealtimeSeg.Capture.Synthetic;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Synthetic;

namespace RealtimeSeg.Benchmarks.Synthetic;

/// <summary>
/// Rendering the synthetic drive at 1280x720 (density 0.5, the default), per frame, straight into a frame slot's
/// pinned memory: the image alone (what the source does), the image with its ground truth in the same pass (what the
/// exporter does), the ground truth alone (what <see cref="SyntheticFrameSource.GetGroundTruth"/> does), and the
/// whole source (render thread, hand-off channel, a reader disposing leases). Each invocation renders the next
/// <see cref="Frames"/> frames of one continuing drive, so the scene content varies over the run as it does live;
/// the budget is ≥ 200 frames/s on one core, i.e. ≤ 5 ms a frame.
/// </summary>
[MemoryDiagnoser]
public class SyntheticDriveBenchmarks
{
    private const int Frames = 64;
    private const int SourceFrames = 120;

    private readonly SyntheticDriveOptions _options = new() { Seed = 1, Width = 1280, Height = 720 };
    private SyntheticDriveScene _scene = null!;
    private SyntheticGroundTruth _truth = null!;
    private FramePool _pool = null!;
    private FrameLease _slot;
    private int _stride;
    private long _frame;
    private IFrameSource? _source;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _scene = new SyntheticDriveScene(_options);
        _truth = _scene.CreateGroundTruth();
        _pool = new FramePool(3, FramePool.BytesForBgr(_options.Width, _options.Height));
        if (!_pool.TryRent(out _slot))
        {
            throw new InvalidOperationException("a fresh pool has free slots");
        }
        _stride = FramePool.AlignedStride(_options.Width);
        _slot.SetFormat(_options.Width, _options.Height, _stride);
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _slot.Dispose();
        _pool.Dispose();
        _scene.Dispose();
    }

    [IterationSetup(Target = nameof(SyntheticFrameSourceLockstep))]
    public void OpenSource()
        => _source = FrameSourceFactory.Open(_options.ToUri(), 0, new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = SourceFrames }, NullPipelineLog.Instance);

    [IterationCleanup(Target = nameof(SyntheticFrameSourceLockstep))]
    public void CloseSource()
    {
        _source?.Dispose();
        _source = null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames)]
    public long RenderImageIntoSlot()
    {
        IntPtr pixels = _slot.Pointer;
        for (int i = 0; i < Frames; i++)
        {
            _scene.Render(_frame++, pixels, _stride, groundTruth: null);
        }
        return _frame;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int RenderImageAndGroundTruth()
    {
        IntPtr pixels = _slot.Pointer;
        int segments = 0;
        for (int i = 0; i < Frames; i++)
        {
            _scene.Render(_frame++, pixels, _stride, _truth);
            segments += _truth.Segments.Length;
        }
        return segments;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int RenderGroundTruthOnly()
    {
        int segments = 0;
        for (int i = 0; i < Frames; i++)
        {
            _scene.RenderGroundTruth(_frame++, _truth);
            segments += _truth.Segments.Length;
        }
        return segments;
    }

    /// <summary>A whole source run (its thread, channel and the first frames' simulation included), per frame.</summary>
    [Benchmark(OperationsPerInvoke = SourceFrames)]
    public int SyntheticFrameSourceLockstep() => RunSource(_source!, _pool).GetAwaiter().GetResult();

    private async Task<int> RunSource(IFrameSource source, FramePool pool)
    {
        var handOff = new HandOff<FrameLease>(1, HandOffMode.Wait, static l => l.Dispose());
        Task run = source.RunAsync(pool, handOff.Writer, CancellationToken.None);
        ChannelReader<FrameLease> reader = handOff.Reader;
        int frames = 0;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out FrameLease lease))
            {
                lease.Dispose();
                frames++;
            }
        }
        await run.ConfigureAwait(false);
        return frames == SourceFrames ? frames : throw new InvalidOperationException($"the source delivered {frames} frames, expected {SourceFrames}");
    }
}
