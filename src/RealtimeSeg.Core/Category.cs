namespace RealtimeSeg.Core;

/// <summary>An output category: things get instance (track) ids, stuff only a class.</summary>
/// <param name="Id">Category id as it appears on the wire.</param>
/// <param name="Name">Human-readable name, e.g. "car".</param>
/// <param name="IsThing">True for countable objects (car, person), false for stuff (road, sky).</param>
/// <param name="Color">Display colour, 0xRRGGBB.</param>
public sealed record Category(int Id, string Name, bool IsThing, int Color);
