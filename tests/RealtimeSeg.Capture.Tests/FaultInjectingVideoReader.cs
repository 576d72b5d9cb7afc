using OpenCvSharp;

namespace RealtimeSeg.Capture.Tests;

/// <summary>
/// A real decoder with failures injected at chosen frames, the way OpenCV reports them: a failed
/// <see cref="Retrieve"/> releases the destination header; a failed <see cref="Grab"/> has consumed a frame.
/// </summary>
internal sealed class FaultInjectingVideoReader : IVideoReader
{
    private readonly IVideoReader _inner;
    private readonly HashSet<int> _failRetrieveAt;
    private readonly HashSet<int> _failGrabAt;
    private int _grabbed = -1;

    public FaultInjectingVideoReader(IVideoReader inner, int[]? failRetrieveAt = null, int[]? failGrabAt = null)
    {
        _inner = inner;
        _failRetrieveAt = [.. failRetrieveAt ?? []];
        _failGrabAt = [.. failGrabAt ?? []];
    }

    public int Width => _inner.Width;
    public int Height => _inner.Height;
    public double FramesPerSecond => _inner.FramesPerSecond;
    public long? FrameCount => _inner.FrameCount;

    public bool Grab()
    {
        bool ok = _inner.Grab();
        _grabbed++;
        return ok && !_failGrabAt.Contains(_grabbed);
    }

    public bool Retrieve(Mat destination)
    {
        if (_failRetrieveAt.Contains(_grabbed))
        {
            destination.Release();
            return false;
        }
        return _inner.Retrieve(destination);
    }

    public bool Rewind()
    {
        _grabbed = -1;
        return _inner.Rewind();
    }

    public void Dispose() => _inner.Dispose();
}
