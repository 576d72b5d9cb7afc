using System.Diagnostics;

namespace RealtimeSeg.Synthetic;

/// <summary>
/// Everything that evolves in a drive: fixed-capacity arrays of plain values plus the random generator, so a
/// checkpoint is a copy and restoring it replays the drive bit for bit.
/// </summary>
internal sealed class DriveState
{
    public const int MaxObjects = 160;
    public const int MaxLots = 128;
    public const int MaxTrees = 160;
    public const int MaxCrosswalks = 8;

    public SceneObject[] Objects { get; } = new SceneObject[MaxObjects];
    public RoadsideLot[] Lots { get; } = new RoadsideLot[MaxLots];
    public RoadsideTree[] Trees { get; } = new RoadsideTree[MaxTrees];
    public Crosswalk[] Crosswalks { get; } = new Crosswalk[MaxCrosswalks];

    public int LotCount;
    public int TreeCount;
    public int CrosswalkCount;

    /// <summary>The frame this state shows; -1 before the first.</summary>
    public long Frame = -1;

    /// <summary>Distance the ego has driven, metres: the camera's world Z.</summary>
    public double EgoZ;
    public float EgoSpeed;
    public float EgoDesiredSpeed;

    public int NextObjectId = 1;
    public double NextLotZLeft;
    public double NextLotZRight;
    public double NextCrosswalkZ;

    public SceneRandom Random;

    public void CopyFrom(DriveState other)
    {
        Array.Copy(other.Objects, Objects, MaxObjects);
        Array.Copy(other.Lots, Lots, other.LotCount);
        Array.Copy(other.Trees, Trees, other.TreeCount);
        Array.Copy(other.Crosswalks, Crosswalks, other.CrosswalkCount);
        LotCount = other.LotCount;
        TreeCount = other.TreeCount;
        CrosswalkCount = other.CrosswalkCount;
        Frame = other.Frame;
        EgoZ = other.EgoZ;
        EgoSpeed = other.EgoSpeed;
        EgoDesiredSpeed = other.EgoDesiredSpeed;
        NextObjectId = other.NextObjectId;
        NextLotZLeft = other.NextLotZLeft;
        NextLotZRight = other.NextLotZRight;
        NextCrosswalkZ = other.NextCrosswalkZ;
        Random = other.Random;
    }

    /// <summary>A free object slot, or -1 when all are taken.</summary>
    public int FreeSlot()
    {
        for (int i = 0; i < MaxObjects; i++)
        {
            if (Objects[i].Kind == SyntheticThingKind.None)
            {
                return i;
            }
        }
        return -1;
    }

    [Conditional("DEBUG")]
    public void AssertInvariants()
    {
        Debug.Assert(LotCount is >= 0 and <= MaxLots);
        Debug.Assert(TreeCount is >= 0 and <= MaxTrees);
        Debug.Assert(CrosswalkCount is >= 0 and <= MaxCrosswalks);
        Debug.Assert(EgoSpeed >= 0 && float.IsFinite(EgoSpeed), "the ego never reverses");
        for (int i = 0; i < MaxObjects; i++)
        {
            ref readonly SceneObject o = ref Objects[i];
            if (o.Kind == SyntheticThingKind.None)
            {
                continue;
            }
            Debug.Assert(o.ObjectId is > 0 && o.ObjectId < NextObjectId, "object ids come from the drive's counter");
            Debug.Assert(o.Speed >= 0 && float.IsFinite(o.Speed) && double.IsFinite(o.Z), "speeds are magnitudes along the heading");
            Debug.Assert(o.Kind is not (SyntheticThingKind.Bicycle or SyntheticThingKind.Rider)
                || (o.Partner >= 0 && Objects[o.Partner].Partner == i), "a bicycle and its rider point at each other");
        }
    }
}
