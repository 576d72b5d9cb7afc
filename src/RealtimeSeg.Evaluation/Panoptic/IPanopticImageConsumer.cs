using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>Receives the (ground truth, prediction) pairs <see cref="PanopticImagePairs"/> reads.</summary>
internal interface IPanopticImageConsumer
{
    void Add(IdMap gt, CocoPanopticAnnotation gtAnnotation, IdMap pred, CocoPanopticAnnotation predAnnotation, string source);
}
