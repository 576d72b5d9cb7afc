using System.Diagnostics;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// A first-in first-out hand-off between two dedicated threads, sized to hold every item that exists (so an enqueue
/// never waits). <see cref="TryDequeue"/> blocks until an item arrives or the queue is completed; what is still queued at
/// completion is dequeued first. Monitor waits: nothing allocates.
/// </summary>
internal sealed class BlockingQueue<T> where T : class
{
    private readonly T?[] _items;
    private readonly object _gate = new();
    private int _head;
    private int _count;
    private bool _completed;

    public BlockingQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _items = new T?[capacity];
    }

    /// <summary>Adds an item; false (and nothing added) once the queue is completed.</summary>
    public bool TryEnqueue(T item)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }
            Debug.Assert(_count < _items.Length, "the queue holds every item that exists");
            int tail = (_head + _count) % _items.Length;
            _items[tail] = item;
            _count++;
            Monitor.Pulse(_gate);
            return true;
        }
    }

    /// <summary>The oldest item, blocking while the queue is empty; false once it is completed and empty.</summary>
    public bool TryDequeue(out T item)
    {
        lock (_gate)
        {
            while (_count == 0 && !_completed)
            {
                Monitor.Wait(_gate);
            }
            if (_count == 0)
            {
                item = null!;
                return false;
            }
            item = _items[_head]!;
            _items[_head] = null;
            _head = (_head + 1) % _items.Length;
            _count--;
            return true;
        }
    }

    /// <summary>No more items will come: a blocked dequeue returns false once the queue is empty. Idempotent.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }
}
