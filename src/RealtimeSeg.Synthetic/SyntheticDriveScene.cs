using RealtimeSeg.Core;

namespace RealtimeSeg.Synthetic;

/// <summary>
/// The synthetic drive: a procedural forward-facing street scene with exact ground truth. Frame N is a pure function
/// of <see cref="Options"/> and N: render frames in any order, any number of times, and they come out identical
/// (to the bit, on a given machine and runtime). Rendering walks the simulation forward from the last frame drawn,
/// or from a checkpoint when asked for an earlier one, so sequential rendering is cheapest.
/// <para>After construction, rendering allocates no managed memory. Not thread-safe: one scene per thread.</para>
/// </summary>
public sealed class SyntheticDriveScene : IDisposable
{
    private readonly DriveSimulation _simulation;
    private readonly DriveRenderer _renderer;
    private readonly SceneCanvas _canvas;
    private bool _disposed;

    /// <exception cref="ConfigurationException">An option is out of range.</exception>
    public SyntheticDriveScene(SyntheticDriveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _simulation = new DriveSimulation(options);
        _renderer = new DriveRenderer(options.Width, options.Height, options.Seed);
        _canvas = new SceneCanvas(options.Width, options.Height);
    }

    public SyntheticDriveOptions Options { get; }
    public int Width => Options.Width;
    public int Height => Options.Height;

    /// <summary>The categories of the ground truth (<see cref="SyntheticCategories.Table"/>).</summary>
    public static CategoryTable Categories => SyntheticCategories.Table;

    /// <summary>The drive's state at the last frame rendered (for tests that look behind the pixels).</summary>
    internal DriveState State => _simulation.State;

    /// <summary>Ground-truth buffers sized for this scene, to reuse across frames.</summary>
    public SyntheticGroundTruth CreateGroundTruth() => new(Width, Height);

    /// <summary>
    /// Draws frame <paramref name="frameIndex"/> as BGR into <paramref name="bgr"/> (<see cref="Height"/> rows of
    /// <see cref="Width"/> × 3 bytes, <paramref name="stride"/> bytes apart, e.g. a frame slot) and, when
    /// <paramref name="groundTruth"/> is given, its truth in the same pass. The memory must stay valid for the call only.
    /// </summary>
    public void Render(long frameIndex, IntPtr bgr, int stride, SyntheticGroundTruth? groundTruth)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(frameIndex);
        if (bgr == IntPtr.Zero)
        {
            throw new ArgumentNullException(nameof(bgr), "no image memory to render into");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, Width * 3);
        CheckTruth(groundTruth);
        RenderCore(frameIndex, bgr, stride, groundTruth);
    }

    /// <summary>As <see cref="Render(long, IntPtr, int, SyntheticGroundTruth?)"/>, into managed memory.</summary>
    public unsafe void Render(long frameIndex, Span<byte> bgr, int stride, SyntheticGroundTruth? groundTruth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, Width * 3);
        long needed = ((long)stride * (Height - 1)) + (Width * 3);
        if (bgr.Length < needed)
        {
            throw new ArgumentException($"a {Width}x{Height} image with stride {stride} needs {needed} bytes; got {bgr.Length}", nameof(bgr));
        }
        fixed (byte* p = bgr)
        {
            Render(frameIndex, (IntPtr)p, stride, groundTruth);
        }
    }

    /// <summary>
    /// Only the truth of frame <paramref name="frameIndex"/>: the same map and segments as a full render, without the
    /// image (the colour half of every draw is skipped).
    /// </summary>
    public void RenderGroundTruth(long frameIndex, SyntheticGroundTruth groundTruth)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(frameIndex);
        ArgumentNullException.ThrowIfNull(groundTruth);
        CheckTruth(groundTruth);
        RenderCore(frameIndex, IntPtr.Zero, 0, groundTruth);
    }

    private void CheckTruth(SyntheticGroundTruth? groundTruth)
    {
        if (groundTruth is not null && (groundTruth.Width != Width || groundTruth.Height != Height))
        {
            throw new ArgumentException(
                $"ground truth buffers are {groundTruth.Width}x{groundTruth.Height} but the scene renders {Width}x{Height}; use CreateGroundTruth()",
                nameof(groundTruth));
        }
    }

    private void RenderCore(long frameIndex, IntPtr bgr, int stride, SyntheticGroundTruth? groundTruth)
    {
        _simulation.AdvanceTo(frameIndex);
        groundTruth?.Begin(frameIndex);
        _canvas.Begin(bgr, stride, groundTruth?.MapPointer ?? IntPtr.Zero);
        _renderer.Render(_simulation.State, frameIndex / Options.FramesPerSecond, _canvas, groundTruth);
        groundTruth?.Finish();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _canvas.Dispose();
    }
}
