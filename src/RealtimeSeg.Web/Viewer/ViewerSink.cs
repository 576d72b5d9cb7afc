using System.Threading.Channels;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Web.Viewer;

/// <summary>
/// The live viewer as a pipeline sink: each composed frame's JPEG and wire message go to the <see cref="ViewerHub"/>,
/// which copies them once into a packet for the connected browsers. It never waits for a browser (each keeps only its
/// newest frame), so its own queue only fills if copying a frame's bytes falls behind; without browsers it just
/// releases frames. Needs images on for the camera picture (<c>--http</c> turns them on).
/// </summary>
public sealed class ViewerSink : IFrameSink
{
    private readonly ViewerHub _hub;

    public ViewerSink(ViewerHub hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        _hub = hub;
    }

    public string Name => "viewer";

    /// <summary>Two: the newest frame and the one being copied; older frames are of no use to a live view.</summary>
    public int QueueCapacity => 2;

    public Task StartAsync(SinkContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (SinkStream s in context.Streams)
        {
            _hub.SetStream(s.Index, new ViewerStreamInfo(s.Name, s.FramesPerSecond, context.Categories));
        }
        return Task.CompletedTask;
    }

    public async Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(frames);
        while (await frames.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (frames.TryRead(out ComposedFrame? frame))
            {
                try
                {
                    if (!frame.IsEndOfStream && !ct.IsCancellationRequested)
                    {
                        _hub.Publish(frame.StreamIndex, frame.Jpeg.Span, frame.JpegWidth, frame.JpegHeight, frame.Message.Span);
                    }
                }
                finally
                {
                    frame.Release();
                }
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
