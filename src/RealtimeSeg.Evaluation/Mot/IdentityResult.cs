namespace RealtimeSeg.Evaluation.Mot;

/// <summary>Identity fields (Ristani et al. 2016) of one sequence or a combination (fractions).</summary>
internal sealed class IdentityResult
{
    public long IdTp { get; set; }
    public long IdFn { get; set; }
    public long IdFp { get; set; }
    public double Idf1 { get; private set; }
    public double Idr { get; private set; }
    public double Idp { get; private set; }

    public void ComputeFinalFields()
    {
        Idr = IdTp / Math.Max(1.0, IdTp + IdFn);
        Idp = IdTp / Math.Max(1.0, IdTp + IdFp);
        Idf1 = IdTp / Math.Max(1.0, IdTp + 0.5 * IdFp + 0.5 * IdFn);
    }
}
