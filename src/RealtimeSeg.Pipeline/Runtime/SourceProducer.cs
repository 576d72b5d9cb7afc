using System.Threading.Channels;
using RealtimeSeg.Capture;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>One frame source feeding one stream; the source stays opaque (any <see cref="IFrameSource"/>).</summary>
internal sealed class SourceProducer : IStreamProducer, IStreamInput
{
    private readonly IFrameSource _source;
    private readonly ChannelWriter<FrameLease> _output;

    public SourceProducer(IFrameSource source, string streamName, ChannelWriter<FrameLease> output)
    {
        _source = source;
        _output = output;
        Uri = FrameSourceFactory.Redact(source.Uri);
        Description = source.Width > 0
            ? $"{streamName} = {Uri} ({source.Width}x{source.Height} @ {source.FramesPerSecond:0.##} fps)"
            : $"{streamName} = {Uri} (size and rate from the stream once connected)";
    }

    public string Description { get; }
    /// <summary>The source URI, credentials redacted.</summary>
    public string Uri { get; }
    public int Width => _source.Width;
    public int Height => _source.Height;
    public double FramesPerSecond => _source.FramesPerSecond;
    /// <summary>Frames the source produced for the run: those it read past before its first frame (a segment's start) are not among them.</summary>
    public long FramesRead
    {
        get
        {
            // Skipped first: every skipped frame was counted read before it was counted skipped.
            long skipped = _source.Counters.FramesSkipped;
            return _source.Counters.FramesRead - skipped;
        }
    }
    public long FramesDroppedAtSource => _source.Counters.FramesDroppedNoSlot;
    public long FramesCorrupt => _source.Counters.FramesCorrupt;
    public long FramesCopied => _source.Counters.FramesCopied;
    public long Reconnects => _source.Counters.Reconnects;
    public long FramesMissing => 0;
    public long ConnectFailures => _source.Counters.ConnectFailures;
    public string? LastError => _source.Counters.LastError;
    public Core.StreamState State => _source.Counters.State;

    public Task RunAsync(FramePool pool, CancellationToken ct) => _source.RunAsync(pool, _output, ct);

    public void Dispose() => _source.Dispose();
}
