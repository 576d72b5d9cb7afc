using OpenCvSharp;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture.Tests;

/// <summary>
/// The same file read the plain way — <see cref="VideoCapture.Read(Mat)"/> into a Mat OpenCV allocates — to check
/// that frames decoded into slots are byte for byte what OpenCV would give anyway.
/// </summary>
internal sealed class ReferenceVideo : IDisposable
{
    private readonly VideoCapture _capture;
    private readonly Mat _frame = new();
    private long _position = -1;

    public ReferenceVideo(string path)
    {
        _capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        Assert.True(_capture.IsOpened(), $"reference capture could not open {path}");
    }

    /// <summary>Reads up to frame <paramref name="sequence"/> (skipping what lies between) and compares it with the lease.</summary>
    public unsafe void AssertSameFrame(FrameLease lease, long sequence)
    {
        Assert.True(sequence > _position, "frames must be compared in order");
        while (_position < sequence)
        {
            Assert.True(_capture.Read(_frame), $"the reference video ended before frame {sequence}");
            _position++;
        }
        Assert.Equal(lease.Width, _frame.Cols);
        Assert.Equal(lease.Height, _frame.Rows);
        int rowBytes = lease.Width * 3;
        Span<byte> slot = lease.Pixels;
        long step = _frame.Step();
        byte* reference = (byte*)_frame.Data;
        for (int y = 0; y < lease.Height; y++)
        {
            var expected = new ReadOnlySpan<byte>(reference + (y * step), rowBytes);
            ReadOnlySpan<byte> actual = slot.Slice(y * lease.Stride, rowBytes);
            if (!expected.SequenceEqual(actual))
            {
                Assert.Fail($"frame {sequence} differs from a plain VideoCapture.Read in row {y}");
            }
        }
    }

    public void Dispose()
    {
        _frame.Dispose();
        _capture.Dispose();
    }
}
