using System.Diagnostics;

namespace RealtimeSeg.Core;

/// <summary>
/// A reusable, fixed-capacity list of detections plus the arena their soft masks live in. Made once per
/// in-flight frame and cleared between frames, so decoding allocates nothing after start-up.
/// Not thread-safe: owned by one stage at a time, like the frame it describes.
/// </summary>
public sealed class DetectionSet
{
    private readonly Detection[] _detections;
    private readonly MaskGrid[] _masks;
    private readonly float[] _arena;
    private int _count;
    private int _maskCount;
    private int _arenaUsed;

    public DetectionSet(int capacity, int maskArenaFloats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(maskArenaFloats);
        _detections = new Detection[capacity];
        _masks = new MaskGrid[capacity];
        _arena = new float[maskArenaFloats];
    }

    public int Capacity => _detections.Length;
    public int Count => _count;
    public ReadOnlySpan<Detection> Items => _detections.AsSpan(0, _count);
    public ReadOnlySpan<MaskGrid> Masks => _masks.AsSpan(0, _maskCount);
    public ref readonly Detection this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return ref _detections[index];
        }
    }

    /// <summary>Detections that did not fit because the set was full (counted, never silently lost).</summary>
    public int Overflowed { get; private set; }

    public void Clear()
    {
        _count = 0;
        _maskCount = 0;
        _arenaUsed = 0;
        Overflowed = 0;
    }

    /// <summary>Adds a detection; returns false (and counts it) when the set is full.</summary>
    public bool TryAdd(in Detection detection)
    {
        if (_count == _detections.Length)
        {
            Overflowed++;
            return false;
        }
        Debug.Assert(detection.MaskIndex < _maskCount, "a detection may only name a mask already allocated");
        _detections[_count++] = detection;
        return true;
    }

    /// <summary>
    /// Reserves a mask grid in the arena. Returns its index and the span to fill, or -1 and an empty span
    /// when the arena or the mask table is full.
    /// </summary>
    public int TryAllocateMask(int width, int height, float originX, float originY, float cellWidth, float cellHeight, out Span<float> cells)
    {
        int size = width * height;
        if (width <= 0 || height <= 0 || _maskCount == _masks.Length || _arenaUsed + size > _arena.Length)
        {
            cells = default;
            return -1;
        }
        _masks[_maskCount] = new MaskGrid(_arenaUsed, width, height, originX, originY, cellWidth, cellHeight);
        cells = _arena.AsSpan(_arenaUsed, size);
        _arenaUsed += size;
        return _maskCount++;
    }

    public ReadOnlySpan<float> MaskCells(int maskIndex)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)maskIndex, (uint)_maskCount, nameof(maskIndex));
        MaskGrid g = _masks[maskIndex];
        return _arena.AsSpan(g.Offset, g.CellCount);
    }

    /// <summary>Reorders or filters in place: keeps the detections at <paramref name="keep"/> (strictly ascending indices).</summary>
    public void Compact(ReadOnlySpan<int> keep)
    {
        Debug.Assert(keep.Length <= _count);
        for (int i = 0; i < keep.Length; i++)
        {
            Debug.Assert(i == 0 || keep[i] > keep[i - 1], "keep must be strictly ascending so items only move towards the front");
            _detections[i] = _detections[keep[i]];
        }
        _count = keep.Length;
    }
}
