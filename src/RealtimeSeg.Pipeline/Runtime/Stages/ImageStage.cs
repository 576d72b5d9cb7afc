using System.Diagnostics;
using System.Threading.Channels;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime.Images;

namespace RealtimeSeg.Pipeline.Runtime.Stages;

/// <summary>
/// Optional stage between tracking and composition (images on): JPEG-encodes the scaled frame each work item carries
/// (the inference stage scaled it before releasing the frame slot), once for every sink. Encoding takes milliseconds, so
/// it runs on a dedicated thread of its own — never on the inference thread or a thread-pool thread — and overlaps the
/// next frame's inference. Completes <c>output</c> in <c>finally</c>.
/// </summary>
internal sealed class ImageStage
{
    private readonly ImageOptions _options;

    public ImageStage(ImageOptions options)
    {
        _options = options;
    }

    public Task RunAsync(ChannelReader<WorkItem> input, ChannelWriter<WorkItem> output)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() => Loop(input, output, done)) { IsBackground = true, Name = "rseg-image" }.Start();
        return done.Task;
    }

    private void Loop(ChannelReader<WorkItem> input, ChannelWriter<WorkItem> output, TaskCompletionSource done)
    {
        Exception? failure = null;
        var waiter = new ChannelWaiter();
        using var jpeg = new JpegEncoder(_options.Quality);
        try
        {
            // The upstream stage's completion ends the wait: no stop token is needed here.
            while (waiter.WaitToRead(input, static () => false, Timeout.InfiniteTimeSpan) == ChannelWaitResult.Readable)
            {
                while (input.TryRead(out WorkItem? work))
                {
                    Encode(work, jpeg);
                    bool written = output.TryWrite(work);
                    Debug.Assert(written, "the output holds as many items as exist, so it is never full");
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            output.TryComplete(failure);
            if (failure is null)
            {
                done.TrySetResult();
            }
            else
            {
                done.TrySetException(failure);
            }
        }
    }

    private static void Encode(WorkItem work, JpegEncoder jpeg)
    {
        if (!work.JpegDue)
        {
            return;
        }
        Inference.Preprocessing.ResizeBuffer image = work.Image!;
        work.Jpeg!.ResetWrittenCount();
        jpeg.Encode(image.Data, image.Width, image.Height, image.Stride, work.Jpeg);
    }
}
