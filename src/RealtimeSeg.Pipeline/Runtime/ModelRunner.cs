using System.Diagnostics;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Runs every model of a <see cref="ModelSet"/> on one frame: <see cref="Preprocess"/> letterboxes the frame into every
/// model's input on the calling thread; <see cref="Run"/> runs the first model on the calling (inference) thread and each
/// further one on its own <see cref="ModelWorker"/> thread at the same time (or all on the calling thread in turn when
/// not concurrent); <see cref="Decode"/> decodes them all into one <see cref="WorkItem"/> (detections merged into the
/// combined class space, the stuff model's semantic map). With one model it is exactly the single-model path. The three
/// steps may run on different threads for different work items (preprocessing frame k+1 while frame k runs); none
/// allocates after warm-up.
/// </summary>
internal sealed class ModelRunner : IDisposable
{
    private readonly ModelSet _models;
    private readonly ModelWorker[] _workers;

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
        AssertInvariants();
    }

    /// <summary>Letterboxes the BGR frame into every model's input. When it returns no model reads the pixels any more.</summary>
    public void Preprocess(IntPtr bgr, int width, int height, int stride, WorkItem work)
        => Preprocess(bgr, width, height, stride, work, Inference.Preprocessing.PictureTarget.None);

    /// <summary>The same; the first model's letterbox also writes the half-size <paramref name="picture"/> if it can (returns whether it did).</summary>
    public bool Preprocess(IntPtr bgr, int width, int height, int stride, WorkItem work, in Inference.Preprocessing.PictureTarget picture)
    {
        SegmentationModel[] models = _models.Models;
        bool pictured = models[0].Preprocess(bgr, width, height, stride, work.Slots[0], picture);
        for (int i = 1; i < models.Length; i++)
        {
            models[i].Preprocess(bgr, width, height, stride, work.Slots[i]);
        }
        return pictured;
    }

    /// <summary>Runs every model on the work item's inputs; rethrows the first failure of any once all have ended.</summary>
    public void Run(WorkItem work)
    {
        SegmentationModel[] models = _models.Models;
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i].Start(work.Slots[i + 1]);
        }
        try
        {
            // Without workers (one model, or sequential fusion) this thread runs every model.
            int last = _workers.Length == 0 ? models.Length - 1 : 0;
            for (int i = 0; i <= last; i++)
            {
                models[i].Run(work.Slots[i]);
            }
        }
        finally
        {
            // The other models write into this work item: it must not move on before they end.
            foreach (ModelWorker w in _workers)
            {
                w.WaitRun();
            }
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
