namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>One category's figures (fractions 0…1) and counts over all images.</summary>
public sealed record PqCategoryResult(int CategoryId, string Name, bool IsThing, double Pq, double Sq, double Rq, int Tp, int Fp, int Fn, double IouSum)
{
    /// <summary>Whether the category enters the averages: it has at least one match, miss or false alarm.</summary>
    public bool Counted => Tp + Fp + Fn > 0;
}
