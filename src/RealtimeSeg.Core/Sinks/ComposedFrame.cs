using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace RealtimeSeg.Core.Sinks;

/// <summary>
/// One processed frame as every sink receives it: the <see cref="PanopticFrame"/> (map, segments, stage stamps) and its
/// encoded wire message (docs/protocol.md), made once and shared by all sinks. Pooled and reference-counted.
/// <para>Lifetime (as with ONNX Runtime's <c>OrtValue</c>): the compose stage rents a frame from its
/// <see cref="ComposedFramePool"/> holding one reference. Handing it to a sink's queue adds one (<see cref="AddRef"/>)
/// and transfers that reference to the queue's reader; whoever holds a reference calls <see cref="Release"/> exactly
/// once when done with it (a sink after writing, a queue when it evicts it). The last release returns the frame to its
/// pool. After that every accessor throws <see cref="ObjectDisposedException"/>, and a release beyond the references
/// taken throws <see cref="InvalidOperationException"/>. A holder must not touch the frame after its release, and
/// must not write to it at all once it has been handed to sinks: the frame is shared, read-only from then on.</para>
/// </summary>
public sealed class ComposedFrame
{
    private readonly ComposedFramePool _pool;
    private readonly PanopticFrame _panoptic;
    private readonly GrowableBufferWriter _message = new(32 * 1024);
    private readonly GrowableBufferWriter _jpeg = new(1024);
    private readonly GrowableBufferWriter _imageMessage = new(1024);
    private byte[] _bgr = [];
    private Detection[] _trackerInput = [];
    private int _trackerInputCount;
    private int _references;
    private FrameWork _work;

    internal ComposedFrame(ComposedFramePool pool, int index, int mapCells)
    {
        _pool = pool;
        Index = index;
        _panoptic = new PanopticFrame(mapCells);
    }

    /// <summary>Position in the pool (diagnostics).</summary>
    public int Index { get; }

    /// <summary>The panoptic frame: header, map, segments and stage stamps.</summary>
    public PanopticFrame Panoptic
    {
        get
        {
            ThrowIfReturned();
            return _panoptic;
        }
    }

    /// <summary>The encoded wire message; empty until the encode stage has written it.</summary>
    public ReadOnlyMemory<byte> Message
    {
        get
        {
            ThrowIfReturned();
            return _message.WrittenMemory;
        }
    }

    /// <summary>Where the encode stage writes the wire message (cleared on every rent). Only the encode stage writes.</summary>
    public IBufferWriter<byte> MessageWriter
    {
        get
        {
            ThrowIfReturned();
            return _message;
        }
    }

    /// <summary>What the frame carries: a processed frame, or the end of its stream.</summary>
    public ComposedFrameKind Kind { get; private set; }

    /// <summary>Why the stream ended (for <see cref="ComposedFrameKind.EndOfStream"/>).</summary>
    public StreamEndReason EndReason { get; private set; }

    public bool IsEndOfStream => Kind == ComposedFrameKind.EndOfStream;

    /// <summary>
    /// The camera frame as JPEG (empty unless images are on and this frame was due); its size in <see cref="JpegWidth"/> ×
    /// <see cref="JpegHeight"/>, which stay 0 when the writer does not know it (a replay's recorded image: decode it).
    /// </summary>
    public ReadOnlyMemory<byte> Jpeg
    {
        get
        {
            ThrowIfReturned();
            return _jpeg.WrittenMemory;
        }
    }

    public int JpegWidth { get; private set; }
    public int JpegHeight { get; private set; }

    /// <summary>Where the image stage writes the JPEG (then sets its size with <see cref="SetJpegSize"/>).</summary>
    public IBufferWriter<byte> JpegWriter
    {
        get
        {
            ThrowIfReturned();
            return _jpeg;
        }
    }

    /// <summary>The v2 image message wrapping <see cref="Jpeg"/> (empty when there is no image); written once by the encode stage.</summary>
    public ReadOnlyMemory<byte> ImageMessage
    {
        get
        {
            ThrowIfReturned();
            return _imageMessage.WrittenMemory;
        }
    }

    public IBufferWriter<byte> ImageMessageWriter
    {
        get
        {
            ThrowIfReturned();
            return _imageMessage;
        }
    }

    /// <summary>
    /// The camera frame as BGR pixels, rows packed (<see cref="BgrWidth"/> × 3 bytes each): the same scaled image the JPEG
    /// is made from, for sinks that draw on the picture (the overlay video) and would otherwise decode the JPEG again.
    /// Empty unless such a sink is on. The buffer grows once to the stream's size and is kept with the pooled frame.
    /// </summary>
    public ReadOnlySpan<byte> Bgr
    {
        get
        {
            ThrowIfReturned();
            return _bgr.AsSpan(0, BgrWidth * BgrHeight * 3);
        }
    }

    public int BgrWidth { get; private set; }
    public int BgrHeight { get; private set; }

    /// <summary>Copies <paramref name="height"/> rows of <paramref name="width"/> BGR pixels, <paramref name="stride"/> bytes apart, from <paramref name="data"/> into <see cref="Bgr"/> (compose stage only).</summary>
    public unsafe void CopyBgr(IntPtr data, int width, int height, int stride)
    {
        ThrowIfReturned();
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, width * 3);
        int row = width * 3;
        if (_bgr.Length < row * height)
        {
            _bgr = new byte[row * height];
        }
        for (int y = 0; y < height; y++)
        {
            new ReadOnlySpan<byte>((byte*)data + ((long)y * stride), row).CopyTo(_bgr.AsSpan(y * row, row));
        }
        (BgrWidth, BgrHeight) = (width, height);
    }

    /// <summary>
    /// Every detection the frame's tracker received, in its input order (<c>--dump-detections</c>: replaying them through
    /// <c>realtimeseg track</c> gives the tracker exactly what the pipeline gave it). Boxes only: the masks stay with the work item.
    /// </summary>
    public ReadOnlySpan<Detection> TrackerInput
    {
        get
        {
            ThrowIfReturned();
            return _trackerInput.AsSpan(0, _trackerInputCount);
        }
    }

    /// <summary>Copies the tracker's input into <see cref="TrackerInput"/> (compose stage only; the buffer grows once to the model's capacity).</summary>
    public void CopyTrackerInput(ReadOnlySpan<Detection> detections)
    {
        ThrowIfReturned();
        if (_trackerInput.Length < detections.Length)
        {
            _trackerInput = new Detection[detections.Length];
        }
        detections.CopyTo(_trackerInput);
        _trackerInputCount = detections.Length;
    }

    public void SetJpegSize(int width, int height)
    {
        ThrowIfReturned();
        (JpegWidth, JpegHeight) = (width, height);
    }

    /// <summary>Turns the freshly rented frame into an end of stream (compose stage only; the panoptic frame says which stream).</summary>
    public void MarkEndOfStream(StreamEndReason reason)
    {
        ThrowIfReturned();
        Kind = ComposedFrameKind.EndOfStream;
        EndReason = reason;
    }

    /// <summary>
    /// Pipeline work spent on this frame outside the model run and video decode, by part; each stage adds its own
    /// (not on the wire; for the stats and the benchmark).
    /// </summary>
    public ref FrameWork Work => ref _work;

    /// <summary>The whole of <see cref="Work"/>, in nanoseconds.</summary>
    public long WorkNs => _work.TotalNs;

    /// <summary>The frame's stream (shortcut for <c>Panoptic.StreamIndex</c>).</summary>
    public int StreamIndex => Panoptic.StreamIndex;

    /// <summary>References currently held (0 while in the pool).</summary>
    public int References => Volatile.Read(ref _references);

    /// <summary>Takes one more reference, for one more holder (a sink queue). Throws when the frame is already back in its pool.</summary>
    public void AddRef()
    {
        if (Interlocked.Increment(ref _references) <= 1)
        {
            Interlocked.Decrement(ref _references);
            ThrowReturned();
        }
    }

    /// <summary>Gives one reference back; the last one returns the frame to its pool.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left > 0)
        {
            return;
        }
        if (left < 0)
        {
            Interlocked.Increment(ref _references);
            ThrowOverReleased();
        }
        _pool.Return(this);
    }

    /// <summary>Called by the pool when it hands the frame out: one reference, empty message.</summary>
    internal void OnRent()
    {
        int before = Interlocked.Exchange(ref _references, 1);
        Debug.Assert(before == 0, "a frame in the pool holds no reference");
        _message.Clear();
        _jpeg.Clear();
        _imageMessage.Clear();
        (JpegWidth, JpegHeight) = (0, 0);
        (BgrWidth, BgrHeight) = (0, 0);
        _trackerInputCount = 0;
        Kind = ComposedFrameKind.Frame;
        EndReason = default;
        _work = default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ThrowIfReturned()
    {
        if (Volatile.Read(ref _references) <= 0)
        {
            ThrowReturned();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowReturned()
        => throw new ObjectDisposedException(nameof(ComposedFrame), $"composed frame {Index} was used after its last reference was released (it is back in its pool)");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowOverReleased()
        => throw new InvalidOperationException($"composed frame {Index} was released more often than it was referenced (a double release)");
}
