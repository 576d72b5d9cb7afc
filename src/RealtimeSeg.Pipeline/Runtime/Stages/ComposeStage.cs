using System.Buffers;
using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;

namespace RealtimeSeg.Pipeline.Runtime.Stages;

/// <summary>
/// Stage 4, composition: each tracked frame becomes a panoptic frame (every pixel a segment id, things carrying their
/// track id, stuff a class) in a pooled <see cref="ComposedFrame"/>; the work item goes back to the inference stage's
/// free list. Asynchronous loop on the thread pool. When no composed frame is free (sinks hold every one), the frame is
/// dropped and counted for its stream rather than waited for; a hand-off that waits (lockstep) waits asynchronously.
/// </summary>
internal sealed class ComposeStage
{
    private readonly StreamContext[] _streams;
    private readonly ComposedFramePool _frames;
    private readonly BlockingPool<WorkItem> _free;
    private readonly uint _categoryTableVersion;
    private readonly string _run;
    private readonly bool _pixels;
    private readonly bool _trackerInput;

    /// <param name="pixels">Copy each frame's scaled picture into its composed frame (<see cref="PicturePlan.Pixels"/>).</param>
    /// <param name="trackerInput">Copy the tracker's input detections into each composed frame (a detection dump is on).</param>
    public ComposeStage(StreamContext[] streams, ComposedFramePool frames, BlockingPool<WorkItem> free, uint categoryTableVersion, string run, bool pixels = false,
        bool trackerInput = false)
    {
        _pixels = pixels;
        _trackerInput = trackerInput;
        _streams = streams;
        _frames = frames;
        _free = free;
        _categoryTableVersion = categoryTableVersion;
        _run = run;
    }

    public async Task RunAsync(ChannelReader<WorkItem> input, ChannelWriter<ComposedFrame> output)
    {
        Exception? failure = null;
        try
        {
            while (await input.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (input.TryRead(out WorkItem? work))
                {
                    ComposedFrame? frame = Compose(work);
                    if (frame is not null && !output.TryWrite(frame))
                    {
                        // Only a waiting (lockstep) hand-off is ever full.
                        await WriteOrReleaseAsync(output, frame).ConfigureAwait(false);
                    }
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

    private ComposedFrame? Compose(WorkItem work)
    {
        long start = MonotonicClock.NowNs();
        StreamContext stream = _streams[work.StreamIndex];
        try
        {
            if (!_frames.TryRent(out ComposedFrame frame))
            {
                stream.CountDroppedDownstream();
                return null;
            }
            try
            {
                PanopticFrame panoptic = frame.Panoptic;
                if (work.IsEndOfStream)
                {
                    // The end travels as a composed frame too, so every sink sees it after the stream's last frame.
                    frame.MarkEndOfStream(work.EndReason);
                    panoptic.Reset(0, 0);
                    panoptic.StreamIndex = stream.Index;
                    panoptic.StreamName = stream.Name;
                    panoptic.Run = _run;
                    return frame;
                }
                if (_trackerInput)
                {
                    frame.CopyTrackerInput(work.Detections.Items);
                }
                stream.Composer.Compose(work.Metadata, work.Detections, work.Tracks.AsSpan(0, work.Detections.Count), work.Semantic, stream.FramesPerSecond, panoptic);
                panoptic.StreamIndex = stream.Index;
                panoptic.StreamName = stream.Name;
                panoptic.CategoryTableVersion = _categoryTableVersion;
                panoptic.Run = _run;
                if (work.JpegDue)
                {
                    frame.JpegWriter.Write(work.Jpeg!.WrittenSpan);
                    frame.SetJpegSize(work.Image!.Width, work.Image.Height);
                }
                if (_pixels && work.HasImage)
                {
                    Inference.Preprocessing.ResizeBuffer image = work.Image!;
                    frame.CopyBgr(image.Data, image.Width, image.Height, image.Stride);
                }
                work.StageNs.AsSpan().CopyTo(panoptic.StageNs);
                long composed = MonotonicClock.NowNs();
                panoptic.Stamp(PipelineStage.Composed, composed);
                frame.Work = work.Work;
                frame.Work.ComposeNs = composed - start;
                return frame;
            }
            catch
            {
                frame.Release();
                throw;
            }
        }
        finally
        {
            _free.Return(work);
        }
    }

    private static async ValueTask WriteOrReleaseAsync(ChannelWriter<ComposedFrame> output, ComposedFrame frame)
    {
        try
        {
            await output.WriteAsync(frame, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            // The hand-off closed under us (a failed run): the frame never reached a holder.
            frame.Release();
            throw;
        }
    }
}
