using System.Diagnostics;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// A fixed set of reusable items that dedicated threads take (blocking while none is free) and give back from any
/// thread. <see cref="Close"/> wakes every waiter and makes further takes fail, which is how a stopping run unblocks
/// a stage thread. Waits use <see cref="Monitor"/>, so taking and returning allocate nothing.
/// </summary>
internal sealed class BlockingPool<T> where T : class
{
    private readonly T[] _items;
    private readonly object _gate = new();
    private int _count;
    private bool _closed;

    public BlockingPool(T[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfZero(items.Length);
        _items = (T[])items.Clone();
        _count = items.Length;
        Capacity = items.Length;
    }

    public int Capacity { get; }

    public int Available
    {
        get { lock (_gate) { return _count; } }
    }

    /// <summary>Takes a free item, blocking while none is; false once <see cref="Close"/> has been called.</summary>
    public bool Take(out T item)
    {
        lock (_gate)
        {
            while (_count == 0 && !_closed)
            {
                Monitor.Wait(_gate);
            }
            if (_closed)
            {
                item = null!;
                return false;
            }
            item = _items[--_count];
            _items[_count] = null!;
            return true;
        }
    }

    /// <summary>Gives an item back (also after <see cref="Close"/>, so every item is accounted for at the end).</summary>
    public void Return(T item)
    {
        lock (_gate)
        {
            Debug.Assert(_count < _items.Length, "more items returned than the pool was made with");
            Debug.Assert(Array.IndexOf(_items, item, 0, _count) < 0, "an item was returned twice");
            _items[_count++] = item;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Wakes every waiter; further takes fail. Idempotent.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
    }
}
