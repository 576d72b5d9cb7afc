namespace RealtimeSeg.Synthetic;

/// <summary>
/// One thing of the simulation (a vehicle, a cyclist's bicycle or rider, a pedestrian) in a fixed slot of
/// <see cref="DriveState.Objects"/>. A plain value so a whole state copies with one array copy.
/// </summary>
internal struct SceneObject
{
    /// <summary><see cref="SyntheticThingKind.None"/> marks a free slot.</summary>
    public SyntheticThingKind Kind;
    public PedestrianMode Mode;

    /// <summary>Vehicle body type, or a pedestrian's build; selects shapes, never identity.</summary>
    public byte Style;

    /// <summary>+1 travelling with the ego, -1 towards it.</summary>
    public sbyte Direction;

    /// <summary>The persistent object id (≥ 1), never reused within a drive.</summary>
    public int ObjectId;

    /// <summary>For a bicycle its rider's slot and for a rider its bicycle's; -1 otherwise.</summary>
    public int Partner;

    /// <summary>Centre along the road, world coordinates (the ego's odometer is <see cref="DriveState.EgoZ"/>).</summary>
    public double Z;

    /// <summary>For a waiting or crossing pedestrian, the crossing's centre; traffic stops before it.</summary>
    public double CrosswalkZ;

    public float X;
    public float TargetX;
    public float Speed;
    public float DesiredSpeed;
    public float Length;
    public float Width;
    public float Height;

    /// <summary>Seconds until the next lane change may start.</summary>
    public float LaneChangeCooldown;

    /// <summary>Seconds a waiting pedestrian still waits.</summary>
    public float Timer;

    /// <summary>Gait or pedalling phase, radians.</summary>
    public float Phase;

    public int Color;
    public int Color2;
    public int Color3;

    public readonly bool IsVehicle => Kind is SyntheticThingKind.Car or SyntheticThingKind.Bicycle;
}
