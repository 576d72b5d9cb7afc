using System.Diagnostics;
using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Runtime.Stages;

/// <summary>
/// Stage 2, inference: the next stream's newest frame (round robin over the capture rings) is letterboxed into a free
/// <see cref="WorkItem"/>'s model inputs, its frame slot released, the model(s) run by ONNX Runtime and the outputs
/// decoded (and fused, for several models) into detections. ORT's <c>Run</c> blocks for a whole inference, so it runs
/// on a dedicated thread this stage owns, never on a thread-pool thread; every wait on that thread is a blocking,
/// allocation-free one (a free work item, the capture doorbell).
/// <para>Two shapes (<see cref="PrepareAhead"/>): <b>just in time</b> (one thread: take the freshest frame, preprocess,
/// run, decode) gives the freshest frames and the lowest latency when sources outrun inference; <b>ahead</b> (a second
/// thread preprocesses frame k+1 while frame k runs) overlaps preprocessing with inference for throughput when every
/// frame is processed (lockstep), at the price of a frame that waits, preprocessed, for one inference.</para>
/// <para>Completes <c>output</c> in <c>finally</c>: normally when every stream has ended, with the exception when a
/// model fails; <c>abort</c> stops it at the next frame boundary (a running inference is not interrupted).</para>
/// </summary>
internal sealed class InferenceStage
{
    private readonly StreamContext[] _streams;
    private readonly ModelRunner _runner;
    private readonly BlockingPool<WorkItem> _free;
    private readonly PicturePlan _pictures;

    /// <param name="pictures">Which frames are also scaled into their work item (for the image stage's JPEG, for the sinks' pixels).</param>
    public InferenceStage(StreamContext[] streams, ModelRunner runner, BlockingPool<WorkItem> free, bool prepareAhead, PicturePlan pictures)
    {
        _streams = streams;
        _runner = runner;
        _free = free;
        _pictures = pictures;
        PrepareAhead = prepareAhead;
    }

    /// <summary>True: preprocessing runs on its own thread, one frame ahead of inference.</summary>
    public bool PrepareAhead { get; }

    /// <summary>
    /// Runs the stage on its own thread(s); the task completes (or faults) when they have ended. <paramref name="stop"/>
    /// is the caller's stop: a stream that ends after it ends with reason "stopping".
    /// </summary>
    public Task RunAsync(CaptureRings input, ChannelWriter<WorkItem> output, CancellationToken abort, CancellationToken stop)
    {
        var run = new Run(this, input, output, abort, stop);
        return run.Start();
    }

    /// <summary>
    /// Takes a free work item and fills it: with the end of a stream that has ended (in order after its last frame), or
    /// with the next frame, preprocessed. False when every stream has ended (and its end gone out) or the run aborts.
    /// </summary>
    private bool TryPrepare(CaptureRings input, out WorkItem work, CancellationToken abort, CancellationToken stop)
    {
        if (!_free.Take(out work))
        {
            return false;
        }
        int stream;
        FrameLease lease;
        // Free work item first, frame second: while we waited for the item, the rings kept only the freshest frames.
        while ((stream = input.Scheduler.TryTake(out lease)) < 0)
        {
            if (input.TryTakeEnded(out int ended, out Exception? failure))
            {
                work.MarkEndOfStream(ended, failure is not (null or OperationCanceledException or ChannelClosedException)
                    ? StreamEndReason.SourceLost
                    : stop.IsCancellationRequested ? StreamEndReason.Stopping : StreamEndReason.Completed);
                return true;
            }
            if (input.Scheduler.AllEnded || abort.IsCancellationRequested)
            {
                _free.Return(work);
                work = null!;
                return false;
            }
            // Any ring's write or completion rings the bell after it happened, so nothing slips between the scan and the wait.
            input.Bell.Wait();
        }
        work.MarkFrame();
        long dequeued = MonotonicClock.NowNs();
        try
        {
            FrameMetadata meta = lease.Metadata;
            Array.Clear(work.StageNs);
            work.Work = default;
            work.Metadata = meta;
            work.StreamIndex = _streams[stream].Index;
            work.StageNs[(int)PipelineStage.Captured] = meta.CaptureMonotonicNs;
            work.StageNs[(int)PipelineStage.Dequeued] = dequeued;
            work.HasImage = _pictures.ScaleDue(meta.Sequence);
            work.JpegDue = _pictures.JpegDue(meta.Sequence);
            // The picture is scaled now, while the slot is still ours (encoded later, off this thread): by the letterbox
            // on its way through the rows when it is an exact halving (720p → 640 wide), else by its own resize.
            (int w, int h) = work.HasImage ? _pictures.Images.ScaledSize(lease.Width, lease.Height) : (0, 0);
            Inference.Preprocessing.PictureTarget picture = work.HasImage && w * 2 == lease.Width && h * 2 == lease.Height
                ? work.Image!.Target(w, h) : Inference.Preprocessing.PictureTarget.None;
            bool pictured = _runner.Preprocess(lease.Pointer, lease.Width, lease.Height, lease.Stride, work, picture);
            if (work.HasImage && !pictured)
            {
                work.Image!.Resize(lease.Pointer, lease.Width, lease.Height, lease.Stride, w, h);
            }
            if (work.Grey is { } grey)
            {
                // Camera motion needs the pixels after the slot is gone: a small grey copy travels with the item.
                long shrink = MonotonicClock.NowNs();
                grey.Fill(lease.Pointer, lease.Width, lease.Height, lease.Stride);
                work.Work.CameraMotionNs = MonotonicClock.NowNs() - shrink;
            }
        }
        catch
        {
            _free.Return(work);
            throw;
        }
        finally
        {
            // The pixels are in every model's input now; the slot can take the next frame.
            lease.Dispose();
        }
        work.Stamp(PipelineStage.Preprocessed);
        work.Work.PreprocessNs = work.StageNs[(int)PipelineStage.Preprocessed] - dequeued - work.Work.CameraMotionNs;
        return true;
    }

    private void Infer(WorkItem work)
    {
        if (work.IsEndOfStream)
        {
            return;
        }
        try
        {
            _runner.Run(work);
            work.Stamp(PipelineStage.Inferred);
            _runner.Decode(work);
            work.Stamp(PipelineStage.Decoded);
            work.Work.DecodeNs = work.StageNs[(int)PipelineStage.Decoded] - work.StageNs[(int)PipelineStage.Inferred];
        }
        catch
        {
            _free.Return(work);
            throw;
        }
    }

    /// <summary>One <see cref="RunAsync"/>: its threads and how they end.</summary>
    private sealed class Run
    {
        private readonly InferenceStage _stage;
        private readonly CaptureRings _input;
        private readonly ChannelWriter<WorkItem> _output;
        private readonly CancellationToken _abort;
        private readonly CancellationToken _stop;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly BlockingQueue<WorkItem>? _prepared;
        private Exception? _prepareFailure;

        public Run(InferenceStage stage, CaptureRings input, ChannelWriter<WorkItem> output, CancellationToken abort, CancellationToken stop)
        {
            _stage = stage;
            _input = input;
            _output = output;
            _abort = abort;
            _stop = stop;
            _prepared = stage.PrepareAhead ? new BlockingQueue<WorkItem>(stage._free.Capacity) : null;
        }

        public Task Start()
        {
            // Once per run: wake every blocking wait of the stage's threads when the run aborts.
            CancellationTokenRegistration onAbort = _abort.UnsafeRegister(static state => ((Run)state!).Wake(), this);
            _ = _done.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), onAbort, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (_prepared is not null)
            {
                new Thread(PrepareLoop) { IsBackground = true, Name = "rseg-prepare" }.Start();
            }
            new Thread(InferLoop) { IsBackground = true, Name = "rseg-inference" }.Start();
            return _done.Task;
        }

        private void Wake()
        {
            _stage._free.Close();
            _input.Bell.Ring();
            _prepared?.Complete();
        }

        /// <summary>Ahead mode only: preprocesses frames into work items for <see cref="InferLoop"/>.</summary>
        private void PrepareLoop()
        {
            Debug.Assert(_prepared is not null);
            try
            {
                while (_stage.TryPrepare(_input, out WorkItem work, _abort, _stop))
                {
                    if (!_prepared.TryEnqueue(work))
                    {
                        // Completed by an abort: the item goes back so every one is accounted for.
                        _stage._free.Return(work);
                        return;
                    }
                }
            }
            catch (Exception e)
            {
                _prepareFailure = e;
            }
            finally
            {
                // Publishes _prepareFailure to the inference thread (the queue's lock is a full fence).
                _prepared.Complete();
            }
        }

        private void InferLoop()
        {
            Exception? failure = null;
            try
            {
                while (Next(out WorkItem work))
                {
                    _stage.Infer(work);
                    bool written = _output.TryWrite(work);
                    Debug.Assert(written, "the output holds as many items as exist, so it is never full");
                }
                failure = _prepareFailure;
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                _output.TryComplete(failure);
                if (failure is null)
                {
                    _done.TrySetResult();
                }
                else
                {
                    _done.TrySetException(failure);
                }
            }
        }

        private bool Next(out WorkItem work)
        {
            if (_prepared is null)
            {
                return _stage.TryPrepare(_input, out work, _abort, _stop);
            }
            if (!_prepared.TryDequeue(out work))
            {
                return false;
            }
            if (_abort.IsCancellationRequested)
            {
                // Aborting: prepared frames are not run; the items go back so every one is accounted for.
                _stage._free.Return(work);
                while (_prepared.TryDequeue(out work))
                {
                    _stage._free.Return(work);
                }
                return false;
            }
            return true;
        }
    }
}
