using System.Diagnostics;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Runs every model of a <see cref="ModelSet"/> on one frame: the first on the calling (inference stage) thread, each
/// further one on its own <see cref="ModelWorker"/> thread at the same time (or all on the calling thread in turn when
/// not concurrent), then decodes them all into one
/// <see cref="WorkItem"/> (detections merged into the combined class space, the stuff model's semantic map). With one
/// model it is exactly the single-model path. <see cref="Preprocess"/> and <see cref="Run"/> belong to the inference
/// stage, <see cref="Decode"/> to post-processing (a different work item); none allocates after warm-up.
/// </summary>
internal sealed class ModelRunner : IDisposable
{
    private readonly ModelSet _models;
    private readonly ModelWorker[] _workers;
    private int _started;

    /// <param name="models">The models, in config order.</param>
    /// <param name="concurrent">False runs every model on the calling thread, one after the other (no worker threads).</param>
    public ModelRunner(ModelSet models, bool concurrent = true)
    {
        _models = models;
        _workers = new ModelWorker[concurrent ? models.Models.Length - 1 : 0];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new ModelWorker(models.Models[i + 1], "rseg-model-" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Letterboxes the BGR frame into every model's input and starts the other models' runs. When it returns no model
    /// reads the pixels any more, so the caller may release the frame.
    /// </summary>
    public void Preprocess(IntPtr bgr, int width, int height, int stride, WorkItem work)
    {
        int started = 0;
        try
        {
            for (; started < _workers.Length; started++)
            {
                _workers[started].Start(bgr, width, height, stride, work.Slots[started + 1]);
            }
            // Without workers (one model, or sequential fusion) this thread preprocesses every model.
            SegmentationModel[] models = _models.Models;
            for (int i = _workers.Length == 0 ? models.Length - 1 : 0; i >= 0; i--)
            {
                models[i].Preprocess(bgr, width, height, stride, work.Slots[i]);
            }
        }
        catch
        {
            // The started workers still use the frame and the work item: let them finish before the failure travels on.
            for (int i = 0; i < started; i++)
            {
                _workers[i].WaitPreprocessed();
                _workers[i].WaitInferred();
            }
            throw;
        }
        for (int i = 0; i < started; i++)
        {
            _workers[i].WaitPreprocessed();
        }
        _started = started;
        AssertInvariants();
    }

    /// <summary>Runs the first model and waits for the others; rethrows the first failure of any.</summary>
    public void Run(WorkItem work)
    {
        try
        {
            SegmentationModel[] models = _models.Models;
            for (int i = _workers.Length == 0 ? models.Length - 1 : 0; i >= 0; i--)
            {
                models[i].Run(work.Slots[i]);
            }
        }
        finally
        {
            // The other models write into this work item: it must not move on before they end.
            for (int i = 0; i < _started; i++)
            {
                _workers[i].WaitInferred();
            }
            _started = 0;
        }
        foreach (ModelWorker w in _workers)
        {
            w.ThrowIfFailed();
        }
    }

    /// <summary>Fills <see cref="WorkItem.Detections"/> with every model's detections and <see cref="WorkItem.Semantic"/> with the stuff model's map.</summary>
    public void Decode(WorkItem work)
    {
        SegmentationModel[] models = _models.Models;
        DetectionSet detections = work.Detections;
        if (models.Length == 1)
        {
            models[0].Decode(work.Slot, detections, work.Semantic);
            return;
        }
        detections.Clear();
        for (int i = 0; i < models.Length; i++)
        {
            models[i].Decode(work.Slots[i], work.ModelDetections[i], i == _models.SemanticModel ? work.Semantic : null);
            DetectionMerge.Append(work.ModelDetections[i], _models.ClassOffsets[i], detections);
        }
    }

    /// <summary>Sum over the worker threads of <see cref="ModelWorker.ThreadAllocatedBytes"/>.</summary>
    public long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            foreach (ModelWorker w in _workers)
            {
                sum += w.ThreadAllocatedBytes;
            }
            return sum;
        }
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_started == 0 || _started == _workers.Length, "a frame starts every worker or none");
        Debug.Assert(_workers.Length < _models.Models.Length, "model 0 always runs on the calling thread");
    }

    /// <summary>Stops the worker threads; call when no frame is in progress.</summary>
    public void Dispose()
    {
        foreach (ModelWorker w in _workers)
        {
            w.Dispose();
        }
    }
}
