using System.Globalization;
using System.Text;
using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Pipeline.Tests.Runtime;

/// <summary>
/// A test's extra sink (<see cref="PipelineHostOptions.Sinks"/>) that writes down each frame it gets as one line: the
/// stream and sequence, then every segment's category, track, box and area — so two runs can be compared line by line.
/// </summary>
internal sealed class SegmentListSink : IFrameSink
{
    private readonly List<string> _lines = [];

    public string Name => "segment-list";

    public int QueueCapacity => 64;

    /// <summary>The lines so far; read once the run has ended.</summary>
    public IReadOnlyList<string> Lines => _lines;

    public Task StartAsync(SinkContext context, CancellationToken ct) => Task.CompletedTask;

    public async Task RunAsync(ChannelReader<ComposedFrame> frames, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(frames);
        while (await frames.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (frames.TryRead(out ComposedFrame? frame))
            {
                if (!frame.IsEndOfStream)
                {
                    _lines.Add(Describe(frame.Panoptic));
                }
                frame.Release();
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Describe(PanopticFrame frame)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{frame.StreamIndex}/{frame.Sequence}:");
        for (int i = 0; i < frame.SegmentCount; i++)
        {
            PanopticSegment s = frame.Segments[i];
            line.Append(CultureInfo.InvariantCulture, $" c{s.CategoryId} t{s.TrackId} [{s.BboxX} {s.BboxY} {s.BboxWidth} {s.BboxHeight}] a{s.Area}");
        }
        return line.ToString();
    }
}
