namespace RealtimeSeg.Synthetic;

/// <summary>What a thing of the synthetic drive is; finer than its category (a rider and a pedestrian are both <c>person</c>).</summary>
public enum SyntheticThingKind : byte
{
    /// <summary>Not a thing (a stuff segment).</summary>
    None = 0,
    Car = 1,
    Pedestrian = 2,
    Bicycle = 3,

    /// <summary>The person riding a <see cref="Bicycle"/>; a separate object with its own id.</summary>
    Rider = 4,
}
