using System.Diagnostics;
using System.Threading.Channels;
using RealtimeSeg.Core;

namespace RealtimeSeg.Pipeline.Runtime.Stages;

/// <summary>
/// Stage 3, tracking: each frame's detections through its own stream's tracker (every stream has its own id space),
/// which writes a track assignment per detection into the work item. Pure CPU work of microseconds, so it runs as an
/// asynchronous loop on the thread pool. Completes <c>output</c> in <c>finally</c> when the input completes (with the
/// input's or its own exception).
/// </summary>
internal sealed class TrackingStage
{
    private readonly StreamContext[] _streams;

    public TrackingStage(StreamContext[] streams)
    {
        _streams = streams;
    }

    public async Task RunAsync(ChannelReader<WorkItem> input, ChannelWriter<WorkItem> output)
    {
        Exception? failure = null;
        try
        {
            // No token: a wait without one reuses the channel's pooled waiter (no allocation); the stage stops when
            // inference completes its output, which an aborting run makes it do at the next frame.
            while (await input.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (input.TryRead(out WorkItem? work))
                {
                    Track(work);
                    bool written = output.TryWrite(work);
                    Debug.Assert(written, "the output holds as many items as exist, so it is never full");
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }

    private void Track(WorkItem work)
    {
        if (work.IsEndOfStream)
        {
            return;
        }
        long start = MonotonicClock.NowNs();
        StreamContext stream = _streams[work.StreamIndex];
        long motion = 0;
        if (stream.CameraMotion is { } cameraMotion && work.Grey is { Filled: true } grey)
        {
            stream.Tracker.ApplyCameraMotion(cameraMotion.Estimate(grey));
            motion = MonotonicClock.NowNs() - start;
            work.Work.CameraMotionNs += motion;
        }
        Span<TrackInfo> tracks = work.Tracks.AsSpan(0, work.Detections.Count);
        stream.Tracker.Update(work.Detections, work.Metadata.Sequence, tracks);
        work.Stamp(PipelineStage.Tracked);
        work.Work.TrackNs = work.StageNs[(int)PipelineStage.Tracked] - start - motion;
        stream.CountProcessed();
    }
}
