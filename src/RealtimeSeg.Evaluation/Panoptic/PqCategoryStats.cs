namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>panopticapi's <c>PQStatCat</c>: matches, misses, false alarms and the summed IoU of the matches.</summary>
internal struct PqCategoryStats
{
    public double IouSum;
    public int Tp;
    public int Fp;
    public int Fn;
}
