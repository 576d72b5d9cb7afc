using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>
/// Walks the ground truth's annotations in file order, finds each one's prediction by <c>image_id</c> (as panopticapi
/// does; predictions for images without ground truth are ignored) and reads both PNGs into two reused maps.
/// </summary>
internal static class PanopticImagePairs
{
    /// <returns>The number of images read.</returns>
    /// <exception cref="InvalidDataException">A ground-truth image has no prediction, two predictions share an image id,
    /// or the two PNGs differ in size.</exception>
    /// <exception cref="DirectoryNotFoundException">A segmentation folder is missing.</exception>
    public static int ForEach<TConsumer>(CocoPanopticDataset gt, string gtDirectory, CocoPanopticDataset pred, string predDirectory,
        string predSource, TConsumer consumer)
        where TConsumer : IPanopticImageConsumer
    {
        RequireDirectory(gtDirectory, "ground-truth");
        RequireDirectory(predDirectory, "prediction");
        var predByImage = new Dictionary<CocoImageId, CocoPanopticAnnotation>(pred.Annotations.Count);
        foreach (CocoPanopticAnnotation p in pred.Annotations)
        {
            if (!predByImage.TryAdd(p.ImageId, p))
            {
                throw new InvalidDataException($"{predSource}: two annotations for image_id {p.ImageId}");
            }
        }
        var gtMap = new IdMap(0, 0);
        var predMap = new IdMap(0, 0);
        int count = 0;
        foreach (CocoPanopticAnnotation g in gt.Annotations)
        {
            if (!predByImage.TryGetValue(g.ImageId, out CocoPanopticAnnotation? p))
            {
                throw new InvalidDataException($"{predSource}: no prediction for the image with id {g.ImageId}");
            }
            string gtPath = Path.Combine(gtDirectory, g.FileName);
            string predPath = Path.Combine(predDirectory, p.FileName);
            PanopticIdPng.Read(gtPath, gtMap);
            PanopticIdPng.Read(predPath, predMap);
            if (gtMap.Width != predMap.Width || gtMap.Height != predMap.Height)
            {
                throw new InvalidDataException(
                    $"{predPath} is {predMap.Width}x{predMap.Height} but the ground truth {gtPath} is {gtMap.Width}x{gtMap.Height}");
            }
            consumer.Add(gtMap, g, predMap, p, predPath);
            count++;
        }
        return count;
    }

    private static void RequireDirectory(string directory, string role)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"the {role} segmentation folder {directory} does not exist");
        }
    }
}
