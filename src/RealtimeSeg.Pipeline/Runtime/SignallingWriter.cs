using System.Threading.Channels;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Forwards to another channel writer and calls <c>onWrite</c> after every successful write and <c>onComplete</c> on
/// completion, so one consumer of several channels can sleep on a single doorbell instead of one wait per channel
/// (which would need <c>Task.WhenAny</c> and allocate per frame). Sources see an ordinary writer.
/// </summary>
internal sealed class SignallingWriter<T> : ChannelWriter<T>
{
    private readonly ChannelWriter<T> _inner;
    private readonly Action _onWrite;
    private readonly Action _onComplete;

    public SignallingWriter(ChannelWriter<T> inner, Action onWrite, Action onComplete)
    {
        _inner = inner;
        _onWrite = onWrite;
        _onComplete = onComplete;
    }

    public override bool TryWrite(T item)
    {
        if (!_inner.TryWrite(item))
        {
            return false;
        }
        _onWrite();
        return true;
    }

    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => _inner.WaitToWriteAsync(cancellationToken);

    public override bool TryComplete(Exception? error = null)
    {
        bool completed = _inner.TryComplete(error);
        _onComplete();
        return completed;
    }

    // WriteAsync is left to the base class: it loops over TryWrite and WaitToWriteAsync, so every write still signals.
}
