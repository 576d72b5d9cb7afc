using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Threading.Tasks.Sources;

namespace RealtimeSeg.Client;

/// <summary>
/// A subscriber's fixed set of frames and the hand-off between its receive thread and the consumer: a free list,
/// a bounded FIFO of frames ready for delivery, and the frames on loan. After construction nothing here
/// allocates: frames move between the lists by reference, the consumer's blocking wait is a monitor wait and its
/// asynchronous wait is this object itself (a reusable <see cref="IValueTaskSource{TResult}"/>).
/// </summary>
/// <remarks>
/// Threads: one receive thread rents, queues and reclaims; one consumer at a time lends and waits; loans may be
/// returned from any thread. Every list is guarded by one lock; the consumer's continuation never runs on the
/// receive thread (continuations run asynchronously), so a slow consumer cannot stall the socket.
/// </remarks>
internal sealed class FrameExchange : IValueTaskSource<bool>
{
    // A plain object rather than System.Threading.Lock: the blocking receive needs Monitor.Wait/Pulse.
    private readonly object _gate = new();
    private readonly LendableFrame[] _frames;
    private readonly LendableFrame[] _free;
    private readonly LendableFrame[] _ready;
    private readonly bool _diagnostics;
    private ManualResetValueTaskSourceCore<bool> _waiter;
    private CancellationTokenRegistration _waitCancellation;
    private CancellationToken _waitToken;
    private bool _asyncWaiting;
    private int _freeCount;
    private int _readyHead;
    private int _readyCount;
    private int _onLoan;
    private bool _completed;
    private Exception? _failure;

    /// <summary>The pool a subscriber with <paramref name="options"/> uses (see <see cref="SegmentationSubscriber"/>).</summary>
    public FrameExchange(SubscriberOptions options)
        : this(options.BufferCapacity + options.LoanCapacity + 1, options.BufferCapacity, options.Diagnostics)
    {
    }

    public FrameExchange(int frameCount, int readyCapacity, bool diagnostics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(readyCapacity, 1);
        // The receive thread always holds one frame, so at least one more is needed to deliver anything.
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCount, 2);
        _diagnostics = diagnostics;
        _frames = new LendableFrame[frameCount];
        _free = new LendableFrame[frameCount];
        _ready = new LendableFrame[readyCapacity];
        for (int i = 0; i < frameCount; i++)
        {
            _frames[i] = new LendableFrame(this, i);
            _free[frameCount - 1 - i] = _frames[i];
        }
        _freeCount = frameCount;
        _waiter.RunContinuationsAsynchronously = true;
    }

    public int FrameCount => _frames.Length;

    public int OnLoan
    {
        get { lock (_gate) { return _onLoan; } }
    }

    // ---- receive thread ----

    public bool TryRentFree([NotNullWhen(true)] out LendableFrame? frame)
    {
        lock (_gate)
        {
            frame = _freeCount == 0 ? null : _free[--_freeCount];
            return frame is not null;
        }
    }

    /// <summary>
    /// Queues a decoded frame for delivery and wakes a waiting consumer. When the queue is full its oldest frame
    /// goes back to the free list; returns whether that happened (a dropped frame).
    /// </summary>
    public bool Enqueue(LendableFrame frame)
    {
        Debug.Assert(ReferenceEquals(frame.Owner, this));
        bool dropped = false;
        bool wake;
        lock (_gate)
        {
            Debug.Assert(!_completed, "nothing is queued after completion");
            if (_readyCount == _ready.Length)
            {
                _free[_freeCount++] = DequeueReady();
                dropped = true;
            }
            _ready[(_readyHead + _readyCount) % _ready.Length] = frame;
            _readyCount++;
            Monitor.PulseAll(_gate);
            wake = _asyncWaiting;
            _asyncWaiting = false;
            AssertInvariants();
        }
        if (wake)
        {
            _waiter.SetResult(true);
        }
        return dropped;
    }

    /// <summary>Takes back the oldest queued frame if it arrived before <paramref name="ticket"/> (the pool is exhausted: it is dropped).</summary>
    public bool TryReclaimOldestBefore(long ticket, [NotNullWhen(true)] out LendableFrame? frame)
    {
        lock (_gate)
        {
            frame = _readyCount > 0 && _ready[_readyHead].Ticket < ticket ? DequeueReady() : null;
            return frame is not null;
        }
    }

    /// <summary>No more frames will be queued; waiting consumers wake once the queue is empty.</summary>
    public void Complete(Exception? failure)
    {
        bool wake;
        lock (_gate)
        {
            _completed = true;
            _failure = failure;
            Monitor.PulseAll(_gate);
            // A pending waiter means the queue was empty when it started waiting and nothing came since.
            wake = _asyncWaiting;
            _asyncWaiting = false;
        }
        if (wake)
        {
            if (failure is null)
            {
                _waiter.SetResult(false);
            }
            else
            {
                _waiter.SetException(failure);
            }
        }
    }

    // ---- consumer ----

    public bool TryLend(out FrameLoan loan)
    {
        lock (_gate)
        {
            if (_readyCount == 0)
            {
                loan = default;
                return false;
            }
            loan = Lend(DequeueReady());
            return true;
        }
    }

    /// <summary>Blocks up to <paramref name="timeout"/> for a frame; false on timeout or when completed and drained.</summary>
    public bool TryLend(out FrameLoan loan, TimeSpan timeout)
    {
        long ms = (long)timeout.TotalMilliseconds;
        if (ms < -1 || ms > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "expected a non-negative timeout or Timeout.InfiniteTimeSpan");
        }
        long deadline = Environment.TickCount64 + ms;
        lock (_gate)
        {
            while (_readyCount == 0)
            {
                long remaining = ms == -1 ? Timeout.Infinite : deadline - Environment.TickCount64;
                if (_completed || (ms != -1 && remaining <= 0))
                {
                    loan = default;
                    return false;
                }
                Monitor.Wait(_gate, (int)remaining);
            }
            loan = Lend(DequeueReady());
            return true;
        }
    }

    /// <summary>
    /// Completes with true when a frame is ready, false when completed and drained (or throws the receive
    /// thread's failure). One pending call at a time.
    /// </summary>
    public ValueTask<bool> WaitToLendAsync(CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(ct);
        }
        short version;
        lock (_gate)
        {
            if (_readyCount > 0)
            {
                return new ValueTask<bool>(true);
            }
            if (_completed)
            {
                return _failure is null ? new ValueTask<bool>(false) : ValueTask.FromException<bool>(_failure);
            }
            if (_asyncWaiting)
            {
                throw new InvalidOperationException("a receive is already waiting on this subscriber: one reader at a time");
            }
            _waiter.Reset();
            _asyncWaiting = true;
            _waitToken = ct;
            version = _waiter.Version;
        }
        if (ct.CanBeCanceled)
        {
            // Registered outside the lock: a token already cancelled runs the callback inline.
            _waitCancellation = ct.UnsafeRegister(static state => ((FrameExchange)state!).CancelWait(), this);
        }
        return new ValueTask<bool>(this, version);
    }

    /// <summary>Takes a lent frame back. Throws when this loan was already returned.</summary>
    public void Return(LendableFrame frame, int generation)
    {
        Debug.Assert(ReferenceEquals(frame.Owner, this));
        // The generation check and bump are one atomic step, so of two racing disposes exactly one wins.
        if (Interlocked.CompareExchange(ref frame.Generation, generation + 1, generation) != generation)
        {
            throw new InvalidOperationException("a frame loan was disposed twice (its frame had already gone back to the subscriber's pool)");
        }
        frame.LentAt = null;
        Volatile.Write(ref frame.OnLoan, 0);
        lock (_gate)
        {
            _onLoan--;
            _free[_freeCount++] = frame;
            AssertInvariants();
        }
    }

    /// <summary>Throws <see cref="FrameLoanLeakException"/> naming every frame still on loan (and, in diagnostic mode, where it was lent).</summary>
    public void AssertNoLeaks()
    {
        int leaked = 0;
        var report = new StringBuilder();
        foreach (LendableFrame frame in _frames)
        {
            if (Volatile.Read(ref frame.OnLoan) == 0)
            {
                continue;
            }
            leaked++;
            report.AppendLine(CultureInfo.InvariantCulture, $"frame {frame.Index} lent at:");
            report.AppendLine(frame.LentAt ?? "  (create the subscriber with Diagnostics = true to record where)");
        }
        if (leaked > 0)
        {
            throw new FrameLoanLeakException($"{leaked} of {_frames.Length} subscriber frames were lent and never returned:{Environment.NewLine}{report}");
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        // The registration must not outlive this wait; Dispose also waits out a callback already running.
        CancellationTokenRegistration registration = _waitCancellation;
        _waitCancellation = default;
        registration.Dispose();
        return _waiter.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _waiter.OnCompleted(continuation, state, token, flags);

    private void CancelWait()
    {
        CancellationToken ct;
        lock (_gate)
        {
            if (!_asyncWaiting)
            {
                return;
            }
            _asyncWaiting = false;
            ct = _waitToken;
        }
        _waiter.SetException(new OperationCanceledException(ct));
    }

    private FrameLoan Lend(LendableFrame frame)
    {
        Debug.Assert(Monitor.IsEntered(_gate));
        int wasOnLoan = Interlocked.Exchange(ref frame.OnLoan, 1);
        Debug.Assert(wasOnLoan == 0, "a queued frame is not on loan");
        _onLoan++;
        if (_diagnostics)
        {
            frame.LentAt = new StackTrace(2, fNeedFileInfo: true).ToString();
        }
        return new FrameLoan(frame, Volatile.Read(ref frame.Generation));
    }

    private LendableFrame DequeueReady()
    {
        Debug.Assert(Monitor.IsEntered(_gate) && _readyCount > 0);
        LendableFrame frame = _ready[_readyHead];
        _ready[_readyHead] = null!;
        _readyHead = (_readyHead + 1) % _ready.Length;
        _readyCount--;
        return frame;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(Monitor.IsEntered(_gate));
        // The rest are in the receive thread's hands (being decoded or held back for a category table).
        Debug.Assert(_freeCount + _readyCount + _onLoan <= _frames.Length, "every frame is in one place at a time");
        Debug.Assert(_onLoan >= 0 && _readyCount <= _ready.Length);
    }
}
