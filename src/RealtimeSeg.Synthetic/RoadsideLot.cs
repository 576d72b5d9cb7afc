namespace RealtimeSeg.Synthetic;

/// <summary>A stretch of roadside beyond a sidewalk: a building facade, or a park behind a hedge.</summary>
internal struct RoadsideLot
{
    public double Z0;
    public double Z1;

    /// <summary>-1 left of the road, +1 right.</summary>
    public sbyte Side;
    public bool IsBuilding;

    /// <summary>Grass between the sidewalk and the facade or hedge, metres.</summary>
    public float Setback;
    public float Height;
    public int Color;

    /// <summary>Storeys drawn as window bands (buildings only).</summary>
    public byte Floors;
}
