namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>Choices where the STQ definition and its reference code part ways.</summary>
public sealed record StqOptions
{
    /// <summary>
    /// deeplab2's <c>stq.py</c> maps void predictions to an extra "ignore" column of the confusion matrix and, whenever
    /// labelled pixels were predicted void, counts that column as one more class with IoU 0 in the mean. Set true to
    /// reproduce its figures exactly. Default false: a labelled pixel predicted void is a miss (false negative) of its
    /// class and nothing more, as in the usual mIoU.
    /// </summary>
    public bool CountVoidPredictionsAsClass { get; init; }
}
