using System.Diagnostics;

namespace RealtimeSeg.Synthetic;

/// <summary>
/// The traffic of the synthetic drive, stepped frame by frame: vehicles follow the intelligent driver model (they
/// keep their distance, queue, and stop for people at zebra crossings), change lanes to overtake slower traffic,
/// cyclists ride at the kerb, pedestrians walk the sidewalks and cross. Deterministic: the state at frame N depends
/// only on the options. Going back to an earlier frame restores the latest checkpoint at or before it (one every
/// <see cref="CheckpointEvery"/> frames, the last <see cref="CheckpointCount"/> kept) or restarts from frame 0, and
/// steps forward from there; stepping costs microseconds, so any frame is cheap to reach again.
/// </summary>
internal sealed class DriveSimulation
{
    public const int CheckpointEvery = 64;
    public const int CheckpointCount = 8;

    // Intelligent driver model (Treiber et al.): comfortable acceleration and braking, jam distance, time headway.
    private const float IdmAcceleration = 1.4f;
    private const float IdmBraking = 2.5f;
    private const float IdmJamGap = 2.5f;
    private const float IdmHeadway = 1.3f;
    private const float MaxBraking = 9f;

    // Whoever cannot stop with this deceleration before a crossing drives on instead of stopping on it.
    private const float StopDeceleration = 6f;
    private const float LaneChangeSpeed = 1.0f;
    private const float MaxStepSeconds = 1f / 30f;

    // Palettes, never written. Arrays on purpose: a ReadOnlySpan<int> property over a collection literal allocated on
    // every call in Debug builds, which the allocation test caught.
    private static readonly int[] CarColors =
    [
        0xE8E8E8, 0xA9ADB2, 0x1E1F22, 0x505458, 0xB3202A, 0x1F4E99, 0x1B2A4A, 0x2E5E3A, 0xE3B81F, 0xC9B48A, 0xD2691E, 0x6E1E2E,
    ];

    private static readonly int[] ShirtColors =
    [
        0xC0392B, 0x2E86C1, 0xF1C40F, 0x27AE60, 0xECF0F1, 0x212121, 0x8E44AD, 0xE67E22, 0x5D6D7E, 0xF5B7B1, 0x1ABC9C, 0x7B241C,
    ];

    private static readonly int[] TrouserColors = [0x1C2833, 0x2C3E50, 0x34495E, 0x4A235A, 0x5D4037, 0x212F3D, 0x7F8C8D, 0x17202A];
    private static readonly int[] SkinColors = [0xF1C27D, 0xE0AC69, 0xC68642, 0x8D5524, 0xFFDBAC, 0x5C3A21];
    private static readonly int[] FacadeColors = [0xC8B89A, 0xA0A0A0, 0x9C4A3A, 0xD9D2C5, 0x7C8A99, 0xB5A27A, 0x6F6F6F, 0xE0C9A6, 0x8B5A3C];

    private readonly ulong _seed;
    private readonly double _density;
    private readonly int _substeps;
    private readonly float _stepSeconds;
    private readonly int _targetSameDirection;
    private readonly int _targetOncoming;
    private readonly int _targetWalkers;
    private readonly int _targetCyclists;

    // Per-step scratch, indexed by object slot.
    private readonly float[] _acceleration = new float[DriveState.MaxObjects];
    private readonly float[] _leaderGap = new float[DriveState.MaxObjects];
    private readonly float[] _leaderSpeed = new float[DriveState.MaxObjects];

    private readonly DriveState[] _checkpoints = new DriveState[CheckpointCount];

    public DriveSimulation(SyntheticDriveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _seed = (ulong)options.Seed;
        _density = options.Density;
        double frameSeconds = 1.0 / options.FramesPerSecond;
        _substeps = Math.Max(1, (int)Math.Ceiling(frameSeconds / MaxStepSeconds - 1e-9));
        _stepSeconds = (float)(frameSeconds / _substeps);
        _targetSameDirection = (int)Math.Round(10 * _density);
        _targetOncoming = (int)Math.Round(6 * _density);
        _targetWalkers = (int)Math.Round(9 * _density);
        _targetCyclists = _density >= 0.25 ? (int)Math.Round(2 * _density) : 0;
        for (int i = 0; i < CheckpointCount; i++)
        {
            _checkpoints[i] = new DriveState();
        }
        Reset();
    }

    /// <summary>The drive at frame <see cref="DriveState.Frame"/>.</summary>
    public DriveState State { get; } = new();

    /// <summary>Brings <see cref="State"/> to <paramref name="frame"/>.</summary>
    public void AdvanceTo(long frame)
    {
        Debug.Assert(frame >= 0);
        if (frame < State.Frame)
        {
            DriveState? best = null;
            foreach (DriveState checkpoint in _checkpoints)
            {
                if (checkpoint.Frame >= 0 && checkpoint.Frame <= frame && (best is null || checkpoint.Frame > best.Frame))
                {
                    best = checkpoint;
                }
            }
            if (best is null)
            {
                Reset();
            }
            else
            {
                State.CopyFrom(best);
            }
        }
        while (State.Frame < frame)
        {
            for (int i = 0; i < _substeps; i++)
            {
                Step(_stepSeconds);
            }
            State.Frame++;
            if (State.Frame % CheckpointEvery == 0)
            {
                SaveCheckpoint();
            }
        }
        State.AssertInvariants();
    }

    private void SaveCheckpoint()
    {
        DriveState slot = _checkpoints[State.Frame / CheckpointEvery % CheckpointCount];
        slot.CopyFrom(State);
    }

    /// <summary>Frame 0: a street already in motion, populated at the density's targets.</summary>
    private void Reset()
    {
        DriveState s = State;
        Array.Clear(s.Objects);
        s.LotCount = 0;
        s.TreeCount = 0;
        s.CrosswalkCount = 0;
        s.Random = new SceneRandom(_seed);
        s.NextObjectId = 1;
        s.EgoZ = 0;
        s.EgoDesiredSpeed = s.Random.Range(10f, 12.5f);
        s.EgoSpeed = s.EgoDesiredSpeed;
        s.NextLotZLeft = -30;
        s.NextLotZRight = -30;
        s.NextCrosswalkZ = s.Random.Range(45.0, 120.0);
        GenerateRoadside();

        for (int i = 0; i < _targetSameDirection; i++)
        {
            for (int attempt = 0; attempt < 10; attempt++)
            {
                bool egoLane = s.Random.Chance(0.45);
                float lane = egoLane ? DriveLayout.EgoLane : DriveLayout.RightLane;
                double z = s.EgoZ + s.Random.Range(egoLane ? 20.0 : 6.0, 200.0);
                float desired = egoLane ? s.EgoDesiredSpeed + s.Random.Range(-0.3f, 2f) : s.Random.Range(6.5f, 14f);
                if (TrySpawnCar(lane, +1, z, desired))
                {
                    break;
                }
            }
        }
        for (int i = 0; i < _targetOncoming; i++)
        {
            for (int attempt = 0; attempt < 10; attempt++)
            {
                float lane = s.Random.Chance(0.5) ? DriveLayout.OncomingInnerLane : DriveLayout.OncomingOuterLane;
                if (TrySpawnCar(lane, -1, s.EgoZ + s.Random.Range(8.0, 230.0), s.Random.Range(9f, 14f)))
                {
                    break;
                }
            }
        }
        for (int i = 0; i < _targetWalkers; i++)
        {
            SpawnWalker(s.EgoZ + s.Random.Range(4.0, 150.0));
        }
        for (int i = 0; i < _targetCyclists; i++)
        {
            TrySpawnCyclist(s.EgoZ + s.Random.Range(15.0, 150.0));
        }
        DecideCrosswalks();
        s.Frame = 0;
        SaveCheckpoint();
        s.AssertInvariants();
    }

    private void Step(float dt)
    {
        GenerateRoadside();
        DecideCrosswalks();
        float egoAcceleration = ComputeAccelerations();
        ChangeLanes();
        MoveVehicles(dt, egoAcceleration);
        MovePedestrians(dt);
        Despawn();
        Spawn(dt);
    }

    private float ComputeAccelerations()
    {
        DriveState s = State;
        SceneObject[] objects = s.Objects;
        for (int i = 0; i < DriveState.MaxObjects; i++)
        {
            ref readonly SceneObject o = ref objects[i];
            if (o.IsVehicle)
            {
                _acceleration[i] = Acceleration(i, o.X, o.TargetX, o.Width, o.Length, o.Direction, o.Z, o.Speed, o.DesiredSpeed, out _leaderGap[i], out _leaderSpeed[i]);
            }
        }
        return Acceleration(-1, DriveLayout.EgoLane, DriveLayout.EgoLane, DriveLayout.EgoWidth, DriveLayout.EgoLength, +1, s.EgoZ, s.EgoSpeed, s.EgoDesiredSpeed, out _, out _);
    }

    /// <summary>
    /// IDM acceleration of a vehicle (slot <paramref name="self"/>, -1 for the ego) against every vehicle ahead that
    /// shares its lane, the ego, and the stop line of every crossing with people waiting or on it. Also reports the
    /// gap to and speed of the most constraining vehicle, which lane changes look at.
    /// </summary>
    private float Acceleration(int self, float x, float targetX, float width, float length, int direction, double z, float v, float desired,
        out float leaderGap, out float leaderSpeed)
    {
        DriveState s = State;
        SceneObject[] objects = s.Objects;
        float ratio = v / desired;
        float free = IdmAcceleration * (1 - (ratio * ratio * ratio * ratio));
        float worst = 0;
        float worstVehicle = 0;
        leaderGap = float.PositiveInfinity;
        leaderSpeed = desired;

        for (int j = 0; j < DriveState.MaxObjects; j++)
        {
            if (j == self)
            {
                continue;
            }
            ref readonly SceneObject p = ref objects[j];
            if (p.Kind == SyntheticThingKind.Pedestrian && p.Mode != PedestrianMode.Walking)
            {
                // Yield at the crossing while the person waits at it or has still to pass this vehicle's lane.
                if (!OnRemainingPath(p.X, p.TargetX, x, width) && !OnRemainingPath(p.X, p.TargetX, targetX, width))
                {
                    continue;
                }
                float stopGap = (float)(direction * (p.CrosswalkZ - z)) - DriveLayout.CrosswalkHalfDepth - 1.5f - (length * 0.5f);
                if (stopGap > -0.5f && v * v / (2 * StopDeceleration) < stopGap + 1f)
                {
                    worst = MathF.Min(worst, Interaction(v, stopGap, 0));
                }
                continue;
            }
            if (!p.IsVehicle || p.Direction != direction)
            {
                continue;
            }
            float ahead = (float)(direction * (p.Z - z));
            if (ahead <= 0 || !SharesLane(x, targetX, width, p.X, p.TargetX, p.Width))
            {
                continue;
            }
            float gap = ahead - ((length + p.Length) * 0.5f);
            float term = Interaction(v, gap, p.Speed);
            worst = MathF.Min(worst, term);
            if (term < worstVehicle || (leaderGap == float.PositiveInfinity && gap < 60))
            {
                worstVehicle = MathF.Min(worstVehicle, term);
                leaderGap = gap;
                leaderSpeed = p.Speed;
            }
        }
        if (self >= 0 && direction > 0 && SharesLane(x, targetX, width, DriveLayout.EgoLane, DriveLayout.EgoLane, DriveLayout.EgoWidth))
        {
            float ahead = (float)(s.EgoZ - z);
            if (ahead > 0)
            {
                float gap = ahead - ((length + DriveLayout.EgoLength) * 0.5f);
                worst = MathF.Min(worst, Interaction(v, gap, s.EgoSpeed));
            }
        }
        return Math.Clamp(free + worst, -MaxBraking, IdmAcceleration);
    }

    private static bool OnRemainingPath(float pedestrianX, float pedestrianTargetX, float laneX, float width)
    {
        float reach = (width * 0.5f) + 1.1f;
        return laneX + reach > MathF.Min(pedestrianX, pedestrianTargetX) && laneX - reach < MathF.Max(pedestrianX, pedestrianTargetX);
    }

    private static float Interaction(float v, float gap, float leaderSpeed)
    {
        float desiredGap = IdmJamGap + MathF.Max(0, (v * IdmHeadway) + (v * (v - leaderSpeed) / (2 * MathF.Sqrt(IdmAcceleration * IdmBraking))));
        float r = desiredGap / MathF.Max(gap, 0.2f);
        return -IdmAcceleration * r * r;
    }

    private static bool SharesLane(float x, float targetX, float width, float otherX, float otherTargetX, float otherWidth)
    {
        float reach = ((width + otherWidth) * 0.5f) + 0.3f;
        return MathF.Abs(x - otherX) < reach || MathF.Abs(targetX - otherX) < reach
            || MathF.Abs(x - otherTargetX) < reach || MathF.Abs(targetX - otherTargetX) < reach;
    }

    /// <summary>A car held up by a slower vehicle moves to the other lane of its direction when that lane has room.</summary>
    private void ChangeLanes()
    {
        DriveState s = State;
        SceneObject[] objects = s.Objects;
        for (int i = 0; i < DriveState.MaxObjects; i++)
        {
            ref SceneObject o = ref objects[i];
            if (o.Kind != SyntheticThingKind.Car || o.LaneChangeCooldown > 0 || o.X != o.TargetX)
            {
                continue;
            }
            if (!(_leaderGap[i] < 40 && _leaderSpeed[i] < o.DesiredSpeed - 1.5f))
            {
                continue;
            }
            float target = o.Direction > 0
                ? (o.X == DriveLayout.EgoLane ? DriveLayout.RightLane : DriveLayout.EgoLane)
                : (o.X == DriveLayout.OncomingInnerLane ? DriveLayout.OncomingOuterLane : DriveLayout.OncomingInnerLane);
            if (LaneHasRoom(i, target))
            {
                o.TargetX = target;
                o.LaneChangeCooldown = s.Random.Range(5f, 9f);
            }
        }
    }

    private bool LaneHasRoom(int self, float lane)
    {
        DriveState s = State;
        ref readonly SceneObject o = ref s.Objects[self];
        for (int j = 0; j < DriveState.MaxObjects; j++)
        {
            ref readonly SceneObject p = ref s.Objects[j];
            if (j == self || !p.IsVehicle || p.Direction != o.Direction)
            {
                continue;
            }
            if (MathF.Abs(p.X - lane) >= 2f && MathF.Abs(p.TargetX - lane) >= 2f)
            {
                continue;
            }
            float ahead = (float)(o.Direction * (p.Z - o.Z));
            float halfLengths = (o.Length + p.Length) * 0.5f;
            if (ahead > -(halfLengths + 6 + (2 * MathF.Max(0, p.Speed - o.Speed))) && ahead < halfLengths + 10)
            {
                return false;
            }
        }
        // Never cut in right in front of the camera.
        return !(o.Direction > 0 && lane == DriveLayout.EgoLane && o.Z - s.EgoZ < 16 + ((o.Length + DriveLayout.EgoLength) * 0.5f));
    }

    private void MoveVehicles(float dt, float egoAcceleration)
    {
        DriveState s = State;
        SceneObject[] objects = s.Objects;
        for (int i = 0; i < DriveState.MaxObjects; i++)
        {
            ref SceneObject o = ref objects[i];
            if (!o.IsVehicle)
            {
                continue;
            }
            float v = MathF.Max(0, o.Speed + (_acceleration[i] * dt));
            o.Z += o.Direction * (o.Speed + v) * 0.5 * dt;
            o.Speed = v;
            o.LaneChangeCooldown = MathF.Max(0, o.LaneChangeCooldown - dt);
            if (o.X != o.TargetX)
            {
                float dx = o.TargetX - o.X;
                float step = LaneChangeSpeed * dt;
                o.X = MathF.Abs(dx) <= step ? o.TargetX : o.X + MathF.CopySign(step, dx);
            }
            if (o.Kind == SyntheticThingKind.Bicycle)
            {
                // Wheel radius 0.34 m: the phase is the crank angle at a 2:1 gear.
                o.Phase = WrapPhase(o.Phase + (v * dt / 0.68f));
                ref SceneObject rider = ref objects[o.Partner];
                rider.X = o.X;
                rider.TargetX = o.TargetX;
                rider.Z = o.Z;
                rider.Speed = v;
                rider.Direction = o.Direction;
                rider.Phase = o.Phase;
            }
        }
        float egoV = MathF.Max(0, s.EgoSpeed + (egoAcceleration * dt));
        s.EgoZ += (s.EgoSpeed + egoV) * 0.5 * dt;
        s.EgoSpeed = egoV;
    }

    private void MovePedestrians(float dt)
    {
        DriveState s = State;
        SceneObject[] objects = s.Objects;
        for (int i = 0; i < DriveState.MaxObjects; i++)
        {
            ref SceneObject o = ref objects[i];
            if (o.Kind != SyntheticThingKind.Pedestrian)
            {
                continue;
            }
            switch (o.Mode)
            {
                case PedestrianMode.Walking:
                    o.Z += o.Direction * o.Speed * dt;
                    o.Phase = WrapPhase(o.Phase + (o.Speed * dt * MathF.PI / 0.75f));
                    break;
                case PedestrianMode.Waiting:
                    o.Timer -= dt;
                    if (o.Timer <= 0)
                    {
                        o.Mode = PedestrianMode.Crossing;
                    }
                    break;
                case PedestrianMode.Crossing:
                    float dx = o.TargetX - o.X;
                    float step = o.Speed * dt;
                    o.Phase = WrapPhase(o.Phase + (step * MathF.PI / 0.75f));
                    if (MathF.Abs(dx) <= step)
                    {
                        o.X = o.TargetX;
                        o.Mode = PedestrianMode.Walking;
                        o.Direction = (sbyte)(s.Random.Chance(0.5) ? 1 : -1);
                    }
                    else
                    {
                        o.X += MathF.CopySign(step, dx);
                    }
                    break;
            }
        }
    }

    private static float WrapPhase(float phase) => phase >= 2 * MathF.PI ? phase - (2 * MathF.PI) : phase;

    private void Despawn()
    {
        DriveState s = State;
        SceneObject[] objects = s.Objects;
        for (int i = 0; i < DriveState.MaxObjects; i++)
        {
            ref SceneObject o = ref objects[i];
            double rel = o.Z - s.EgoZ;
            bool gone = o.Kind switch
            {
                SyntheticThingKind.Car => o.Direction > 0 ? rel is > 270 or < -35 : rel is < -15 or > 300,
                SyntheticThingKind.Bicycle => rel is < -12 or > 270,
                SyntheticThingKind.Pedestrian => o.Mode == PedestrianMode.Walking && rel is < -6 or > 180,
                _ => false,
            };
            if (!gone)
            {
                continue;
            }
            if (o.Kind == SyntheticThingKind.Bicycle)
            {
                objects[o.Partner] = default;
            }
            o = default;
        }
    }

    private void Spawn(float dt)
    {
        DriveState s = State;
        int sameDirection = 0, oncoming = 0, walkers = 0, cyclists = 0;
        foreach (ref readonly SceneObject o in s.Objects.AsSpan())
        {
            switch (o.Kind)
            {
                case SyntheticThingKind.Car when o.Direction > 0:
                    sameDirection++;
                    break;
                case SyntheticThingKind.Car:
                    oncoming++;
                    break;
                case SyntheticThingKind.Pedestrian when o.Mode == PedestrianMode.Walking:
                    walkers++;
                    break;
                case SyntheticThingKind.Bicycle:
                    cyclists++;
                    break;
            }
        }

        if (sameDirection < _targetSameDirection && s.Random.Chance(0.6 * dt))
        {
            double roll = s.Random.NextDouble();
            if (roll < 0.35)
            {
                // From behind in the right lane, faster than the ego: it overtakes the camera.
                TrySpawnCar(DriveLayout.RightLane, +1, s.EgoZ - 20, s.EgoSpeed + s.Random.Range(2.5f, 5f));
            }
            else if (roll < 0.75)
            {
                TrySpawnCar(DriveLayout.RightLane, +1, s.EgoZ + s.Random.Range(210.0, 240.0), s.Random.Range(6.5f, 10.5f));
            }
            else
            {
                TrySpawnCar(DriveLayout.EgoLane, +1, s.EgoZ + s.Random.Range(210.0, 240.0), s.EgoDesiredSpeed + s.Random.Range(-0.5f, 2.5f));
            }
        }
        if (oncoming < _targetOncoming && s.Random.Chance(0.7 * dt))
        {
            float lane = s.Random.Chance(0.5) ? DriveLayout.OncomingInnerLane : DriveLayout.OncomingOuterLane;
            TrySpawnCar(lane, -1, s.EgoZ + s.Random.Range(220.0, 250.0), s.Random.Range(9f, 14f));
        }
        if (walkers < _targetWalkers && s.Random.Chance(0.5 * dt))
        {
            SpawnWalker(s.EgoZ + s.Random.Range(120.0, 165.0));
        }
        if (cyclists < _targetCyclists && s.Random.Chance(0.08 * dt))
        {
            TrySpawnCyclist(s.EgoZ + s.Random.Range(170.0, 210.0));
        }
    }

    private bool LaneClear(float lane, double z, float clearance)
    {
        foreach (ref readonly SceneObject p in State.Objects.AsSpan())
        {
            if (p.IsVehicle && (MathF.Abs(p.X - lane) < 2f || MathF.Abs(p.TargetX - lane) < 2f) && Math.Abs(p.Z - z) < clearance)
            {
                return false;
            }
        }
        return true;
    }

    private bool TrySpawnCar(float lane, int direction, double z, float desiredSpeed)
    {
        DriveState s = State;
        // Draw every random number first so that the sequence does not depend on whether the spot is free.
        double styleRoll = s.Random.NextDouble();
        float scale = s.Random.Range(0.95f, 1.05f);
        int color = CarColors[s.Random.Next(CarColors.Length)];
        int cargoColor = s.Random.Chance(0.6) ? 0xF0F0F0 : FacadeColors[s.Random.Next(FacadeColors.Length)];
        int slot = s.FreeSlot();
        if (slot < 0 || !LaneClear(lane, z, 18))
        {
            return false;
        }
        (byte style, float length, float width, float height) = styleRoll switch
        {
            < 0.35 => ((byte)0, 4.6f, 1.8f, 1.45f),
            < 0.60 => ((byte)1, 4.1f, 1.75f, 1.5f),
            < 0.80 => ((byte)2, 4.8f, 1.95f, 1.75f),
            < 0.92 => ((byte)3, 5.3f, 2.0f, 2.2f),
            _ => ((byte)4, 8.0f, 2.45f, 3.2f),
        };
        s.Objects[slot] = new SceneObject
        {
            Kind = SyntheticThingKind.Car,
            Style = style,
            Direction = (sbyte)direction,
            ObjectId = s.NextObjectId++,
            Partner = -1,
            Z = z,
            X = lane,
            TargetX = lane,
            Speed = desiredSpeed,
            DesiredSpeed = desiredSpeed,
            Length = length * scale,
            Width = MathF.Min(width * scale, 2.5f),
            Height = height * scale,
            Color = color,
            Color2 = cargoColor,
        };
        return true;
    }

    private void SpawnWalker(double z)
    {
        DriveState s = State;
        bool left = s.Random.Chance(0.5);
        float x = left
            ? s.Random.Range(DriveLayout.LeftSidewalkOuter + 0.5f, DriveLayout.LeftSidewalkInner - 0.5f)
            : s.Random.Range(DriveLayout.RightSidewalkInner + 0.5f, DriveLayout.RightSidewalkOuter - 0.5f);
        SpawnPedestrian(x, z, s.Random.Chance(0.5) ? 1 : -1, PedestrianMode.Walking, x, 0, 0);
    }

    private int SpawnPedestrian(float x, double z, int direction, PedestrianMode mode, float targetX, double crosswalkZ, float timer)
    {
        DriveState s = State;
        float height = s.Random.Range(1.55f, 1.92f);
        float speed = s.Random.Range(1.0f, 1.6f);
        int shirt = ShirtColors[s.Random.Next(ShirtColors.Length)];
        int trousers = TrouserColors[s.Random.Next(TrouserColors.Length)];
        int skin = SkinColors[s.Random.Next(SkinColors.Length)];
        byte style = (byte)s.Random.Next(4);
        float phase = s.Random.Range(0f, 2 * MathF.PI);
        int slot = s.FreeSlot();
        if (slot < 0)
        {
            return -1;
        }
        s.Objects[slot] = new SceneObject
        {
            Kind = SyntheticThingKind.Pedestrian,
            Mode = mode,
            Style = style,
            Direction = (sbyte)direction,
            ObjectId = s.NextObjectId++,
            Partner = -1,
            Z = z,
            CrosswalkZ = crosswalkZ,
            X = x,
            TargetX = targetX,
            Speed = speed,
            DesiredSpeed = speed,
            Length = 0.35f,
            Width = 0.5f,
            Height = height,
            Timer = timer,
            Phase = phase,
            Color = shirt,
            Color2 = trousers,
            Color3 = skin,
        };
        return slot;
    }

    private void TrySpawnCyclist(double z)
    {
        DriveState s = State;
        float speed = s.Random.Range(4f, 6.5f);
        int frame = CarColors[s.Random.Next(CarColors.Length)];
        int rider = SpawnPedestrian(DriveLayout.BikeLine, z, +1, PedestrianMode.Walking, DriveLayout.BikeLine, 0, 0);
        if (rider < 0)
        {
            return;
        }
        int bike = s.FreeSlot();
        if (bike < 0 || !LaneClear(DriveLayout.BikeLine, z, 12))
        {
            // The rider's id stays unused: ids are never reused, gaps are allowed.
            s.Objects[rider] = default;
            return;
        }
        ref SceneObject r = ref s.Objects[rider];
        r.Kind = SyntheticThingKind.Rider;
        r.Partner = bike;
        r.Speed = speed;
        s.Objects[bike] = new SceneObject
        {
            Kind = SyntheticThingKind.Bicycle,
            Direction = +1,
            ObjectId = s.NextObjectId++,
            Partner = rider,
            Z = z,
            X = DriveLayout.BikeLine,
            TargetX = DriveLayout.BikeLine,
            Speed = speed,
            DesiredSpeed = speed,
            Length = 1.75f,
            Width = 0.6f,
            Height = 1.05f,
            Color = frame,
        };
    }

    /// <summary>When a crossing comes within 95 m it is decided, once, whether people will cross there.</summary>
    private void DecideCrosswalks()
    {
        DriveState s = State;
        for (int c = 0; c < s.CrosswalkCount; c++)
        {
            ref Crosswalk crosswalk = ref s.Crosswalks[c];
            if (crosswalk.Decided || crosswalk.Z - s.EgoZ > 95)
            {
                continue;
            }
            crosswalk.Decided = true;
            if (_density <= 0 || !s.Random.Chance(0.3 + (0.7 * _density)))
            {
                continue;
            }
            int people = 1 + s.Random.Next(1 + (int)Math.Round(3 * _density));
            for (int k = 0; k < people; k++)
            {
                bool fromLeft = s.Random.Chance(0.5);
                float leftX = DriveLayout.LeftSidewalkInner - s.Random.Range(0.3f, 1.2f);
                float rightX = DriveLayout.RightSidewalkInner + s.Random.Range(0.3f, 1.2f);
                double z = crosswalk.Z + s.Random.Range(-1.5, 1.5);
                float wait = s.Random.Range(0.2f, 2.5f) + (k * 0.4f);
                int slot = SpawnPedestrian(fromLeft ? leftX : rightX, z, 1, PedestrianMode.Waiting, fromLeft ? rightX : leftX, crosswalk.Z, wait);
                if (slot >= 0)
                {
                    // People on a crossing walk briskly.
                    s.Objects[slot].Speed += 0.3f;
                }
            }
        }
    }

    /// <summary>Keeps lots, trees and crossings generated up to <see cref="DriveLayout.GenerationAhead"/> and drops those behind.</summary>
    private void GenerateRoadside()
    {
        DriveState s = State;
        double behind = s.EgoZ - 5;
        int kept = 0;
        for (int i = 0; i < s.LotCount; i++)
        {
            if (s.Lots[i].Z1 >= behind)
            {
                s.Lots[kept++] = s.Lots[i];
            }
        }
        s.LotCount = kept;
        kept = 0;
        for (int i = 0; i < s.TreeCount; i++)
        {
            if (s.Trees[i].Z >= behind)
            {
                s.Trees[kept++] = s.Trees[i];
            }
        }
        s.TreeCount = kept;
        kept = 0;
        for (int i = 0; i < s.CrosswalkCount; i++)
        {
            if (s.Crosswalks[i].Z >= s.EgoZ - 10)
            {
                s.Crosswalks[kept++] = s.Crosswalks[i];
            }
        }
        s.CrosswalkCount = kept;

        double horizon = s.EgoZ + DriveLayout.GenerationAhead;
        while (s.LotCount < DriveState.MaxLots - 1 && (s.NextLotZLeft < horizon || s.NextLotZRight < horizon))
        {
            if (s.NextLotZLeft <= s.NextLotZRight)
            {
                s.NextLotZLeft = AddLot(-1, s.NextLotZLeft);
            }
            else
            {
                s.NextLotZRight = AddLot(+1, s.NextLotZRight);
            }
        }
        while (s.CrosswalkCount < DriveState.MaxCrosswalks && s.NextCrosswalkZ < horizon)
        {
            s.Crosswalks[s.CrosswalkCount++] = new Crosswalk { Z = s.NextCrosswalkZ };
            s.NextCrosswalkZ += s.Random.Range(150.0, 280.0);
        }
    }

    private double AddLot(int side, double z0)
    {
        DriveState s = State;
        double length = s.Random.Range(8.0, 32.0);
        bool building = s.Random.Chance(0.65);
        float setback = building ? s.Random.Range(0f, 2.5f) : s.Random.Range(2.5f, 6f);
        float height = building ? s.Random.Range(6f, 24f) : s.Random.Range(0.8f, 1.5f);
        int color = building ? FacadeColors[s.Random.Next(FacadeColors.Length)] : 0x2F5A1E;
        s.Lots[s.LotCount++] = new RoadsideLot
        {
            Z0 = z0,
            Z1 = z0 + length,
            Side = (sbyte)side,
            IsBuilding = building,
            Setback = setback,
            Height = height,
            Color = color,
            Floors = (byte)(building ? (int)(height / 3.2f) : 0),
        };

        float outer = side < 0 ? DriveLayout.LeftSidewalkOuter : DriveLayout.RightSidewalkOuter;
        double z = z0 + s.Random.Range(1.5, 5.0);
        double step = building ? 14.0 : 7.0;
        while (z < z0 + length - 1)
        {
            bool plant = building ? s.Random.Chance(0.3) : s.Random.Chance(0.85);
            float offset = building ? s.Random.Range(-0.9f, -0.4f) : s.Random.Range(0.8f, setback - 0.6f);
            float trunk = s.Random.Range(1.6f, 3f);
            float crown = s.Random.Range(1.2f, 2.6f);
            int green = 0x1E5A14 + (s.Random.Next(5) * 0x081006);
            if (plant && s.TreeCount < DriveState.MaxTrees)
            {
                // Street trees stand in the sidewalk's outer edge; park trees on the grass behind it.
                s.Trees[s.TreeCount++] = new RoadsideTree
                {
                    Z = z,
                    X = outer + (side * offset),
                    TrunkHeight = trunk,
                    CrownRadius = crown,
                    Color = green,
                };
            }
            z += step * s.Random.Range(0.8, 1.3);
        }
        return z0 + length;
    }
}
