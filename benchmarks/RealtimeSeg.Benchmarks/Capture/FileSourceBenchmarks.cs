using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using OpenCvSharp;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Benchmarks.Capture;

/// <summary>
/// Decoding the 38-frame 1280x720 H.264 clip, per frame: into pinned frame slots through reused Mat headers (the
/// capture path), into a fresh Mat per frame (the usual OpenCvSharp idiom), and through the whole
/// <see cref="IFrameSource"/> (capture thread, hand-off channel, reader disposing leases). Each invocation decodes
/// the whole file from a capture opened in the iteration set-up, which has already decoded the first frame
/// (the source's open-time probe), so all three decode the same 38 frames.
/// </summary>
[MemoryDiagnoser]
public class FileSourceBenchmarks
{
    private const int Frames = 38;
    private const int LoopedFrames = Frames * 10;

    private string _path = "";
    private FramePool _pool = null!;
    private SlotMatHeaders _headers = null!;
    private OpenCvVideoReader? _reader;
    private VideoCapture? _capture;
    private IFrameSource? _source;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _path = CaptureBenchmarkAssets.Video("udacity-cars-1280x720.mp4");
        _pool = new FramePool(3, FramePool.BytesForBgr(1280, 720));
        _headers = new SlotMatHeaders(_pool.SlotCount);
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _headers.Dispose();
        _pool.Dispose();
    }

    [IterationSetup(Target = nameof(IntoSlots))]
    public void OpenReader() => _reader = OpenCvVideoReader.Open(_path);

    [IterationSetup(Target = nameof(IntoFreshMat))]
    public void OpenCapture()
    {
        _capture = new VideoCapture(_path, VideoCaptureAPIs.FFMPEG);
        _capture.Grab();
    }

    [IterationSetup(Target = nameof(FileFrameSourceLockstep))]
    public void OpenSource()
        => _source = FrameSourceFactory.Open(_path, 0, new SourceOptions { Pacing = Pacing.Lockstep }, NullPipelineLog.Instance);

    [IterationSetup(Target = nameof(FileFrameSourceLockstepLooped))]
    public void OpenLoopingSource()
        => _source = FrameSourceFactory.Open(_path, 0, new SourceOptions { Pacing = Pacing.Lockstep, Loop = true, MaxFrames = LoopedFrames }, NullPipelineLog.Instance);

    [IterationCleanup]
    public void CloseAll()
    {
        _reader?.Dispose();
        _capture?.Dispose();
        _source?.Dispose();
        _reader = null;
        _capture = null;
        _source = null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames)]
    public int IntoFreshMat()
    {
        VideoCapture capture = _capture!;
        int frames = 0;
        while (true)
        {
            using var mat = new Mat();
            bool ok = frames == 0 ? capture.Retrieve(mat) : capture.Read(mat);
            if (!ok)
            {
                break;
            }
            frames++;
        }
        return Check(frames);
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int IntoSlots()
    {
        OpenCvVideoReader reader = _reader!;
        int stride = FramePool.AlignedStride(1280);
        int frames = 0;
        while (reader.Grab())
        {
            if (!_pool.TryRent(out FrameLease lease))
            {
                throw new InvalidOperationException("the benchmark returns every slot; the pool cannot be empty");
            }
            lease.SetFormat(1280, 720, stride);
            Mat mat = _headers.For(lease);
            bool ok = reader.Retrieve(mat) && mat.Data == lease.Pointer;
            lease.Dispose();
            if (!ok)
            {
                throw new InvalidOperationException("the frame was not decoded in place");
            }
            frames++;
        }
        return Check(frames);
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int FileFrameSourceLockstep() => Check(RunSource(_source!, _pool).GetAwaiter().GetResult(), Frames);

    /// <summary>Ten passes over the file in one run, so the run's fixed costs (thread, channel, slot headers) fade and what remains is per frame.</summary>
    [Benchmark(OperationsPerInvoke = LoopedFrames)]
    public int FileFrameSourceLockstepLooped() => Check(RunSource(_source!, _pool).GetAwaiter().GetResult(), LoopedFrames);

    private static async Task<int> RunSource(IFrameSource source, FramePool pool)
    {
        var handOff = new HandOff<FrameLease>(2, HandOffMode.Wait, static l => l.Dispose());
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
        return frames;
    }

    private static int Check(int frames, int expected = Frames)
        => frames == expected ? frames : throw new InvalidOperationException($"decoded {frames} frames, expected {expected}");
}
