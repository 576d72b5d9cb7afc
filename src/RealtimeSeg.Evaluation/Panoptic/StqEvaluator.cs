using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>
/// <c>eval stq</c>: STQ of one video given as COCO panoptic ground truth and predictions (one annotation per frame,
/// matched by <c>image_id</c>; track identity from <c>track_id</c>, else the segment id — see <see cref="StqAccumulator"/>).
/// No console output: render with <see cref="StqResult.ToTable"/> or <see cref="StqResult.ToJson"/>.
/// </summary>
public static class StqEvaluator
{
    /// <param name="gtJsonPath">Ground-truth COCO panoptic JSON of the sequence; its categories are the classes.</param>
    /// <param name="gtDirectory">Ground-truth PNG folder, or null for the JSON path without <c>.json</c>.</param>
    /// <param name="predJsonPath">Prediction COCO panoptic JSON.</param>
    /// <param name="predDirectory">Prediction PNG folder, or null for the JSON path without <c>.json</c>.</param>
    /// <param name="options">Reference-compatibility choices; null for the defaults.</param>
    /// <exception cref="FileNotFoundException">A JSON file is missing.</exception>
    /// <exception cref="DirectoryNotFoundException">A PNG folder is missing.</exception>
    /// <exception cref="InvalidDataException">Malformed or inconsistent input; the message names the file.</exception>
    public static StqResult Evaluate(string gtJsonPath, string? gtDirectory, string predJsonPath, string? predDirectory, StqOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(gtJsonPath);
        ArgumentException.ThrowIfNullOrEmpty(predJsonPath);
        CocoPanopticDataset gt = CocoPanopticDataset.Load(gtJsonPath);
        CocoPanopticDataset pred = CocoPanopticDataset.Load(predJsonPath);
        return Evaluate(gt, gtDirectory ?? CocoPanopticDataset.DefaultPngDirectory(gtJsonPath),
            pred, predDirectory ?? CocoPanopticDataset.DefaultPngDirectory(predJsonPath), options, gtJsonPath, predJsonPath);
    }

    /// <summary>Scores datasets already loaded; the PNGs are read from the two folders.</summary>
    public static StqResult Evaluate(CocoPanopticDataset groundTruth, string gtDirectory, CocoPanopticDataset predictions, string predDirectory,
        StqOptions? options = null)
        => Evaluate(groundTruth, gtDirectory, predictions, predDirectory, options, "ground truth", "predictions");

    /// <summary>As <see cref="Evaluate(CocoPanopticDataset, string, CocoPanopticDataset, string, StqOptions?)"/>, naming the inputs in errors (e.g. their files).</summary>
    public static StqResult Evaluate(CocoPanopticDataset gt, string gtDirectory, CocoPanopticDataset pred, string predDirectory, StqOptions? options,
        string gtSource, string predSource)
    {
        ArgumentNullException.ThrowIfNull(gt);
        ArgumentNullException.ThrowIfNull(pred);
        ArgumentException.ThrowIfNullOrEmpty(gtDirectory);
        ArgumentException.ThrowIfNullOrEmpty(predDirectory);
        if (gt.Categories.Count == 0)
        {
            throw new InvalidDataException($"{gtSource}: no categories; STQ needs the ground truth's categories");
        }
        var consumer = new Consumer(new StqAccumulator(gt.Categories, options));
        PanopticImagePairs.ForEach(gt, gtDirectory, pred, predDirectory, predSource, consumer);
        return consumer.Accumulator.GetResult();
    }

    private readonly struct Consumer(StqAccumulator accumulator) : IPanopticImageConsumer
    {
        public StqAccumulator Accumulator { get; } = accumulator;

        public void Add(IdMap gt, CocoPanopticAnnotation gtAnnotation, IdMap pred, CocoPanopticAnnotation predAnnotation, string source)
            => Accumulator.AddFrame(gt, gtAnnotation.Segments, pred, predAnnotation.Segments, source);
    }
}
