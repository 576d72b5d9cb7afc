namespace RealtimeSeg.Synthetic;

/// <summary>A zebra crossing across the whole road.</summary>
internal struct Crosswalk
{
    public double Z;

    /// <summary>Set once the crossing came within sight and it was decided whether anyone crosses.</summary>
    public bool Decided;
}
