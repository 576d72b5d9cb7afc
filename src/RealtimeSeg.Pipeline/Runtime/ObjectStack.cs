using System.Diagnostics;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// A fixed set of reusable objects handed out and taken back without allocation (a lock and an array).
/// Used for the pooled per-frame state (work items, panoptic frames) whose count bounds memory and latency.
/// </summary>
internal sealed class ObjectStack<T> where T : class
{
    private readonly T[] _items;
    private readonly Lock _lock = new();
    private int _count;

    public ObjectStack(int capacity, Func<T> factory)
    {
        _items = new T[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _items[i] = factory();
        }
        _count = capacity;
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Available
    {
        get { lock (_lock) { return _count; } }
    }

    public bool TryTake(out T item)
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                item = null!;
                return false;
            }
            item = _items[--_count];
            _items[_count] = null!;
            return true;
        }
    }

    public void Return(T item)
    {
        lock (_lock)
        {
            Debug.Assert(_count < _items.Length, "more items returned than the stack was made with");
            Debug.Assert(Array.IndexOf(_items, item, 0, _count) < 0, "an item was returned twice");
            _items[_count++] = item;
        }
    }
}
