namespace RealtimeSeg.Synthetic;

/// <summary>What a pedestrian of the simulation is doing.</summary>
internal enum PedestrianMode : byte
{
    /// <summary>Along a sidewalk, in <see cref="SceneObject.Direction"/>.</summary>
    Walking,

    /// <summary>At the kerb of a zebra crossing, until <see cref="SceneObject.Timer"/> runs out; traffic already yields.</summary>
    Waiting,

    /// <summary>On the zebra crossing towards <see cref="SceneObject.TargetX"/>.</summary>
    Crossing,
}
