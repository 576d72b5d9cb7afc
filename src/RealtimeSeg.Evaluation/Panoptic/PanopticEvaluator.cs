using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>
/// <c>eval panoptic</c>: PQ / SQ / RQ of COCO panoptic predictions against COCO panoptic ground truth, with
/// panopticapi's rules (see <see cref="PqAccumulator"/>). No console output: render the result with
/// <see cref="PqResult.ToTable"/> or <see cref="PqResult.ToJson"/>.
/// </summary>
public static class PanopticEvaluator
{
    /// <param name="gtJsonPath">Ground-truth COCO panoptic JSON; its categories are the ones scored.</param>
    /// <param name="gtDirectory">Ground-truth PNG folder, or null for the JSON path without <c>.json</c>.</param>
    /// <param name="predJsonPath">Prediction COCO panoptic JSON.</param>
    /// <param name="predDirectory">Prediction PNG folder, or null for the JSON path without <c>.json</c>.</param>
    /// <exception cref="FileNotFoundException">A JSON file is missing.</exception>
    /// <exception cref="DirectoryNotFoundException">A PNG folder is missing.</exception>
    /// <exception cref="InvalidDataException">Malformed or inconsistent input; the message names the file.</exception>
    public static PqResult Evaluate(string gtJsonPath, string? gtDirectory, string predJsonPath, string? predDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(gtJsonPath);
        ArgumentException.ThrowIfNullOrEmpty(predJsonPath);
        CocoPanopticDataset gt = CocoPanopticDataset.Load(gtJsonPath);
        CocoPanopticDataset pred = CocoPanopticDataset.Load(predJsonPath);
        return Evaluate(gt, gtDirectory ?? CocoPanopticDataset.DefaultPngDirectory(gtJsonPath),
            pred, predDirectory ?? CocoPanopticDataset.DefaultPngDirectory(predJsonPath), gtJsonPath, predJsonPath);
    }

    /// <summary>Scores datasets already loaded; the PNGs are read from the two folders.</summary>
    public static PqResult Evaluate(CocoPanopticDataset groundTruth, string gtDirectory, CocoPanopticDataset predictions, string predDirectory)
        => Evaluate(groundTruth, gtDirectory, predictions, predDirectory, "ground truth", "predictions");

    /// <summary>As <see cref="Evaluate(CocoPanopticDataset, string, CocoPanopticDataset, string)"/>, naming the inputs in errors (e.g. their files).</summary>
    public static PqResult Evaluate(CocoPanopticDataset gt, string gtDirectory, CocoPanopticDataset pred, string predDirectory,
        string gtSource, string predSource)
    {
        ArgumentNullException.ThrowIfNull(gt);
        ArgumentNullException.ThrowIfNull(pred);
        ArgumentException.ThrowIfNullOrEmpty(gtDirectory);
        ArgumentException.ThrowIfNullOrEmpty(predDirectory);
        if (gt.Categories.Count == 0)
        {
            throw new InvalidDataException($"{gtSource}: no categories; PQ needs the ground truth's categories");
        }
        var consumer = new Consumer(new PqAccumulator(gt.Categories));
        PanopticImagePairs.ForEach(gt, gtDirectory, pred, predDirectory, predSource, consumer);
        return consumer.Accumulator.GetResult();
    }

    private readonly struct Consumer(PqAccumulator accumulator) : IPanopticImageConsumer
    {
        public PqAccumulator Accumulator { get; } = accumulator;

        public void Add(IdMap gt, CocoPanopticAnnotation gtAnnotation, IdMap pred, CocoPanopticAnnotation predAnnotation, string source)
            => Accumulator.AddImage(gt, gtAnnotation.Segments, pred, predAnnotation.Segments, source);
    }
}
