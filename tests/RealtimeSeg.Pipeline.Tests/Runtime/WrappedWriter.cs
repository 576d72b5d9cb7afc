using System.Threading.Channels;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>A source's output writer behind a test's wrapper: everything but <see cref="ChannelWriter{T}.TryWrite"/> goes to the pipeline's writer as it is.</summary>
internal abstract class WrappedWriter(ChannelWriter<FrameLease> inner) : ChannelWriter<FrameLease>
{
    protected ChannelWriter<FrameLease> Inner => inner;

    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => inner.WaitToWriteAsync(cancellationToken);

    public override bool TryComplete(Exception? error = null) => inner.TryComplete(error);
}
