namespace RealtimeSeg.Synthetic;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the scene's own generator, so a seed means the same drive on every
/// runtime version (<see cref="Random"/>'s algorithm is not a documented contract). A mutable struct kept inside the
/// simulation state, so copying the state copies the generator too.
/// </summary>
internal struct SceneRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public SceneRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public float Range(float min, float max) => min + ((max - min) * (float)NextDouble());

    public double Range(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>A well-mixed 64-bit value from a seed and a salt, for values that depend on nothing else (phases, palettes).</summary>
    public static ulong Hash(ulong seed, ulong salt)
    {
        ulong x = seed ^ (salt * 0xD1342543DE82EF95UL);
        return SplitMix64(ref x);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
