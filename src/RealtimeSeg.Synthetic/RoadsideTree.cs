namespace RealtimeSeg.Synthetic;

/// <summary>A tree beside the road (vegetation, trunk included, as Cityscapes labels it).</summary>
internal struct RoadsideTree
{
    public double Z;
    public float X;
    public float TrunkHeight;
    public float CrownRadius;
    public int Color;
}
