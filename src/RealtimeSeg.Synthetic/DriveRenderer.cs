using System.Diagnostics;
using OpenCvSharp;

namespace RealtimeSeg.Synthetic;

/// <summary>
/// Draws one frame of a <see cref="DriveState"/> far to near (painter's order), each primitive once into the image and
/// once, with the same vertices, into the id map, so occlusion in the truth is exactly the image's. Stuff first (sky,
/// skyline, ground, markings, facades), then trees and things sorted by their nearest distance. Everything is a
/// convex polygon projected from metres; the only per-frame randomness is a pure function of the seed and the time
/// (camera shake, lighting), so re-rendering a state gives the same pixels.
/// </summary>
internal sealed class DriveRenderer
{
    private const int SkyBands = 12;
    private const int SkylineBlocks = 36;
    private const int DiscVertices = 12;
    private const float ThingCullDistance = 260f;
    private const float MarkingDistance = 240f;
    private const float DetailDistance = 110f;
    private const int MaxDrawables = DriveState.MaxObjects + DriveState.MaxTrees;

    private const ushort RoadId = SyntheticCategories.Road;
    private const ushort SidewalkId = SyntheticCategories.Sidewalk;
    private const ushort BuildingId = SyntheticCategories.Building;
    private const ushort VegetationId = SyntheticCategories.Vegetation;
    private const ushort SkyId = SyntheticCategories.Sky;
    private const ushort MarkingId = SyntheticCategories.LaneMarking;

    private const int Asphalt = 0x505257;
    private const int Paving = 0xA8A39A;
    private const int Kerb = 0xC9C5BD;
    private const int Grass = 0x557A36;
    private const int White = 0xE4E4E0;
    private const int Yellow = 0xE3B23C;
    private const int Glass = 0x2A3440;
    private const int Tyre = 0x1A1A1C;
    private const int Trim = 0x2B2B2E;
    private const int Bark = 0x5A3E26;

    private readonly int _width;
    private readonly int _height;
    private readonly float _shakeScale;
    private readonly float[] _phase = new float[6];
    private readonly float[] _cos = new float[DiscVertices];
    private readonly float[] _sin = new float[DiscVertices];

    // The skyline at infinity, as fractions of the image: fixed per seed, moved only by the camera shake.
    private readonly float[] _skylineX0 = new float[SkylineBlocks];
    private readonly float[] _skylineX1 = new float[SkylineBlocks];
    private readonly float[] _skylineTop = new float[SkylineBlocks];
    private readonly int[] _skylineColor = new int[SkylineBlocks];
    private readonly bool[] _skylineTrees = new bool[SkylineBlocks];

    private readonly float[] _keys = new float[MaxDrawables];
    private readonly int[] _items = new int[MaxDrawables];

    // Per-render context.
    private SceneCanvas _canvas = null!;
    private SyntheticGroundTruth? _truth;
    private DriveCamera _camera;
    private float _light;

    public DriveRenderer(int width, int height, long seed)
    {
        _width = width;
        _height = height;
        _shakeScale = width / 1280f;
        var random = new SceneRandom(SceneRandom.Hash((ulong)seed, 0x5CE2E));
        for (int i = 0; i < _phase.Length; i++)
        {
            _phase[i] = random.Range(0f, 2 * MathF.PI);
        }
        for (int i = 0; i < DiscVertices; i++)
        {
            float a = 2 * MathF.PI * i / DiscVertices;
            _cos[i] = MathF.Cos(a);
            _sin[i] = MathF.Sin(a);
        }
        float x = -0.02f;
        for (int i = 0; i < SkylineBlocks; i++)
        {
            bool trees = random.Chance(0.3);
            float w = trees ? random.Range(0.04f, 0.09f) : random.Range(0.015f, 0.05f);
            _skylineX0[i] = x;
            _skylineX1[i] = x + w;
            _skylineTop[i] = trees ? random.Range(0.008f, 0.022f) : random.Range(0.012f, 0.06f);
            _skylineTrees[i] = trees;
            int grey = 0x86 + random.Next(0x20);
            _skylineColor[i] = trees ? 0x4E6B4A : (grey << 16) | ((grey + 6) << 8) | (grey + 18);
            x += w * random.Range(0.75f, 1.1f);
        }
    }

    /// <summary>Draws <paramref name="state"/> at <paramref name="timeSeconds"/>; registers each drawn thing with <paramref name="truth"/> when given.</summary>
    public void Render(DriveState state, double timeSeconds, SceneCanvas canvas, SyntheticGroundTruth? truth)
    {
        Debug.Assert(canvas.Width == _width && canvas.Height == _height);
        Debug.Assert(truth is null == !canvas.DrawsIds, "ids are drawn exactly when the truth is wanted");
        _canvas = canvas;
        _truth = truth;
        float t = (float)timeSeconds;
        _light = 1f + (0.07f * MathF.Sin((2 * MathF.PI * t / 19f) + _phase[0])) + (0.04f * MathF.Sin((2 * MathF.PI * t / 6.1f) + _phase[1]));
        float shake = _shakeScale * (0.4f + (0.6f * MathF.Min(1f, state.EgoSpeed / 11f)));
        float shakeX = shake * ((0.9f * MathF.Sin((2 * MathF.PI * 1.3f * t) + _phase[2])) + (0.5f * MathF.Sin((2 * MathF.PI * 3.1f * t) + _phase[3])));
        float shakeY = shake * ((1.3f * MathF.Sin((2 * MathF.PI * 1.7f * t) + _phase[4])) + (0.6f * MathF.Sin((2 * MathF.PI * 4.3f * t) + _phase[5])));
        _camera = new DriveCamera(_width, _height, shakeX, shakeY);

        DrawSky();
        DrawSkyline();
        DrawGround(state);
        DrawMarkings(state);
        DrawLots(state);
        DrawTreesAndThings(state);
        _canvas = null!;
        _truth = null;
    }

    private Scalar Color(int rgb, float shade = 1f)
    {
        float k = shade * _light;
        return new Scalar(
            MathF.Min(255f, (rgb & 0xFF) * k),
            MathF.Min(255f, ((rgb >> 8) & 0xFF) * k),
            MathF.Min(255f, ((rgb >> 16) & 0xFF) * k));
    }

    private static int Lerp(int a, int b, float t)
    {
        int r = (int)(((a >> 16) & 0xFF) + ((((b >> 16) & 0xFF) - ((a >> 16) & 0xFF)) * t));
        int g = (int)(((a >> 8) & 0xFF) + ((((b >> 8) & 0xFF) - ((a >> 8) & 0xFF)) * t));
        int bl = (int)((a & 0xFF) + (((b & 0xFF) - (a & 0xFF)) * t));
        return (r << 16) | (g << 8) | bl;
    }

    // ---- primitives -------------------------------------------------------------------------------------------

    private bool Rect(float x0, float y0, float x1, float y1, in Scalar color, ushort id)
    {
        _canvas.Add(x0, y0);
        _canvas.Add(x1, y0);
        _canvas.Add(x1, y1);
        _canvas.Add(x0, y1);
        return _canvas.Fill(color, id);
    }

    /// <summary>A strip of road surface between two lateral offsets and two distances.</summary>
    private bool Ground(float x0, float x1, float z0, float z1, in Scalar color, ushort id)
    {
        z0 = MathF.Max(z0, DriveLayout.NearPlane);
        z1 = MathF.Min(z1, DriveLayout.GroundFar);
        if (z1 <= z0)
        {
            return false;
        }
        DriveCamera c = _camera;
        float v0 = c.V(0, z0), v1 = c.V(0, z1);
        _canvas.Add(c.U(x0, z0), v0);
        _canvas.Add(c.U(x1, z0), v0);
        _canvas.Add(c.U(x1, z1), v1);
        _canvas.Add(c.U(x0, z1), v1);
        return _canvas.Fill(color, id);
    }

    /// <summary>A vertical rectangle in the plane X = <paramref name="x"/> (a facade, a vehicle's flank).</summary>
    private bool WallX(float x, float y0, float y1, float z0, float z1, in Scalar color, ushort id)
    {
        z0 = MathF.Max(z0, DriveLayout.NearPlane);
        if (z1 <= z0)
        {
            return false;
        }
        DriveCamera c = _camera;
        float u0 = c.U(x, z0), u1 = c.U(x, z1);
        _canvas.Add(u0, c.V(y0, z0));
        _canvas.Add(u0, c.V(y1, z0));
        _canvas.Add(u1, c.V(y1, z1));
        _canvas.Add(u1, c.V(y0, z1));
        return _canvas.Fill(color, id);
    }

    /// <summary>A vertical rectangle facing the camera at distance <paramref name="z"/>.</summary>
    private bool WallZ(float z, float x0, float x1, float y0, float y1, in Scalar color, ushort id)
    {
        if (z < DriveLayout.NearPlane)
        {
            return false;
        }
        DriveCamera c = _camera;
        return Rect(c.U(x0, z), c.V(y1, z), c.U(x1, z), c.V(y0, z), color, id);
    }

    /// <summary>Adds a vertex of a polygon facing the camera at distance <paramref name="z"/>.</summary>
    private void Facing(float x, float y, float z) => _canvas.Add(_camera.U(x, z), _camera.V(y, z));

    /// <summary>Adds a vertex of a polygon in the plane X = <paramref name="x"/>, clamped to the near plane.</summary>
    private void Flank(float x, float y, float z)
    {
        z = MathF.Max(z, DriveLayout.NearPlane);
        _canvas.Add(_camera.U(x, z), _camera.V(y, z));
    }

    /// <summary>An ellipse facing the camera (a head, a tree crown).</summary>
    private bool DiscZ(float z, float cx, float cy, float rx, float ry, in Scalar color, ushort id)
    {
        if (z < DriveLayout.NearPlane)
        {
            return false;
        }
        for (int i = 0; i < DiscVertices; i++)
        {
            Facing(cx + (rx * _cos[i]), cy + (ry * _sin[i]), z);
        }
        return _canvas.Fill(color, id);
    }

    /// <summary>A circle in the plane X = <paramref name="x"/> (a wheel seen from the side); skipped when it reaches behind the near plane.</summary>
    private bool DiscX(float x, float cy, float cz, float r, in Scalar color, ushort id)
    {
        if (cz - r < DriveLayout.NearPlane)
        {
            return false;
        }
        for (int i = 0; i < DiscVertices; i++)
        {
            Facing(x, cy + (r * _sin[i]), cz + (r * _cos[i]));
        }
        return _canvas.Fill(color, id);
    }

    /// <summary>A thin bar in the plane X = <paramref name="x"/> from (y0, z0) to (y1, z1).</summary>
    private bool BarX(float x, float y0, float z0, float y1, float z1, float halfThickness, in Scalar color, ushort id)
    {
        if (MathF.Min(z0, z1) < DriveLayout.NearPlane)
        {
            return false;
        }
        Facing(x, y0 - halfThickness, z0);
        Facing(x, y0 + halfThickness, z0);
        Facing(x, y1 + halfThickness, z1);
        Facing(x, y1 - halfThickness, z1);
        return _canvas.Fill(color, id);
    }

    /// <summary>A limb facing the camera: a quad from a top centre to a bottom centre with the given widths.</summary>
    private bool Limb(float z, float xTop, float yTop, float xBottom, float yBottom, float width, in Scalar color, ushort id)
    {
        float h = width * 0.5f;
        Facing(xTop - h, yTop, z);
        Facing(xTop + h, yTop, z);
        Facing(xBottom + h, yBottom, z);
        Facing(xBottom - h, yBottom, z);
        return _canvas.Fill(color, id);
    }

    // ---- stuff ------------------------------------------------------------------------------------------------

    private void DrawSky()
    {
        float horizon = _camera.Horizon;
        for (int i = 0; i < SkyBands; i++)
        {
            float y0 = i == 0 ? -1f : horizon * i / SkyBands;
            float y1 = i == SkyBands - 1 ? horizon + 4f : (horizon * (i + 1) / SkyBands) + 1f;
            int rgb = Lerp(0x3E72B0, 0xC6DAEB, i / (float)(SkyBands - 1));
            Rect(-1f, y0, _width, y1, Color(rgb), SkyId);
        }
    }

    private void DrawSkyline()
    {
        float horizon = _camera.Horizon;
        float shift = _camera.CenterX - (_width * 0.5f);
        for (int i = 0; i < SkylineBlocks; i++)
        {
            float x0 = (_skylineX0[i] * _width) + shift;
            float x1 = (_skylineX1[i] * _width) + shift;
            float top = horizon - (_skylineTop[i] * _height);
            if (_skylineTrees[i])
            {
                // A rounded clump: the upper half of an ellipse standing on the horizon.
                float cx = (x0 + x1) * 0.5f, rx = (x1 - x0) * 0.5f, ry = horizon - top;
                for (int k = 0; k <= DiscVertices / 2; k++)
                {
                    _canvas.Add(cx + (rx * _cos[k]), horizon + 2f - ((ry + 2f) * _sin[k]));
                }
                _canvas.Fill(Color(_skylineColor[i]), VegetationId);
            }
            else
            {
                Rect(x0, top, x1, horizon + 2f, Color(_skylineColor[i]), BuildingId);
            }
        }
    }

    private void DrawGround(DriveState s)
    {
        Rect(-1f, _camera.Horizon, _width, _height, Color(Grass), VegetationId);
        float near = DriveLayout.NearPlane, far = DriveLayout.GroundFar;
        Ground(DriveLayout.LeftSidewalkOuter, DriveLayout.LeftSidewalkInner, near, far, Color(Paving), SidewalkId);
        Ground(DriveLayout.RightSidewalkInner, DriveLayout.RightSidewalkOuter, near, far, Color(Paving), SidewalkId);
        Ground(DriveLayout.LeftSidewalkInner, DriveLayout.RoadLeft, near, far, Color(Kerb), SidewalkId);
        Ground(DriveLayout.RoadRight, DriveLayout.RightSidewalkInner, near, far, Color(Kerb), SidewalkId);

        // Paving joints every 2 m, world-fixed, so the sidewalks visibly stream past.
        Scalar joint = Color(Paving, 0.86f);
        double first = Math.Ceiling((s.EgoZ + near) / 2.0) * 2.0;
        for (double z = first; z < s.EgoZ + 60; z += 2.0)
        {
            float zr = (float)(z - s.EgoZ);
            Ground(DriveLayout.LeftSidewalkOuter, DriveLayout.LeftSidewalkInner, zr, zr + 0.06f, joint, SidewalkId);
            Ground(DriveLayout.RightSidewalkInner, DriveLayout.RightSidewalkOuter, zr, zr + 0.06f, joint, SidewalkId);
        }

        Ground(DriveLayout.RoadLeft, DriveLayout.RoadRight, near, far, Color(Asphalt), RoadId);
        Scalar worn = Color(Asphalt, 0.86f);
        for (int lane = 0; lane < 4; lane++)
        {
            float x = DriveLayout.OncomingOuterLane + (lane * DriveLayout.LaneWidth);
            Ground(x - 1.05f, x - 0.55f, near, 200f, worn, RoadId);
            Ground(x + 0.55f, x + 1.05f, near, 200f, worn, RoadId);
        }
    }

    private void DrawMarkings(DriveState s)
    {
        float near = DriveLayout.NearPlane;
        float half = DriveLayout.MarkingWidth * 0.5f;
        Scalar white = Color(White);
        Scalar yellow = Color(Yellow);
        Ground(DriveLayout.RoadLeft + 0.15f, DriveLayout.RoadLeft + 0.3f, near, 320f, white, MarkingId);
        Ground(DriveLayout.RoadRight - 0.3f, DriveLayout.RoadRight - 0.15f, near, 320f, white, MarkingId);
        Ground(-1.92f, -1.8f, near, 320f, yellow, MarkingId);
        Ground(-1.7f, -1.58f, near, 320f, yellow, MarkingId);

        double firstDash = Math.Floor((s.EgoZ + near - DriveLayout.DashLength) / DriveLayout.DashPeriod) * DriveLayout.DashPeriod;
        for (double z = firstDash; z < s.EgoZ + MarkingDistance; z += DriveLayout.DashPeriod)
        {
            float z0 = (float)(z - s.EgoZ);
            float z1 = z0 + DriveLayout.DashLength;
            Ground(-5.25f - half, -5.25f + half, z0, z1, white, MarkingId);
            Ground(1.75f - half, 1.75f + half, z0, z1, white, MarkingId);
        }

        for (int c = 0; c < s.CrosswalkCount; c++)
        {
            float zc = (float)(s.Crosswalks[c].Z - s.EgoZ);
            if (zc + DriveLayout.CrosswalkHalfDepth < near || zc - DriveLayout.CrosswalkHalfDepth > MarkingDistance)
            {
                continue;
            }
            for (float x = DriveLayout.RoadLeft + 0.4f; x + 0.5f < DriveLayout.RoadRight - 0.3f; x += 1f)
            {
                Ground(x, x + 0.5f, zc - DriveLayout.CrosswalkHalfDepth, zc + DriveLayout.CrosswalkHalfDepth, white, MarkingId);
            }
        }
    }

    private void DrawLots(DriveState s)
    {
        // Lots were generated in increasing distance per side, and the two sides never overlap in the image.
        for (int i = s.LotCount - 1; i >= 0; i--)
        {
            ref readonly RoadsideLot lot = ref s.Lots[i];
            float z0 = (float)(lot.Z0 - s.EgoZ);
            float z1 = (float)(lot.Z1 - s.EgoZ);
            if (z1 < DriveLayout.NearPlane || z0 > DriveLayout.GenerationAhead)
            {
                continue;
            }
            float x = lot.Side < 0 ? DriveLayout.LeftSidewalkOuter - lot.Setback : DriveLayout.RightSidewalkOuter + lot.Setback;
            if (!lot.IsBuilding)
            {
                WallX(x, 0, lot.Height, z0, z1, Color(lot.Color), VegetationId);
                continue;
            }
            float back = x + (lot.Side * 14f);
            WallZ(z0, MathF.Min(x, back), MathF.Max(x, back), 0, lot.Height, Color(lot.Color, 0.72f), BuildingId);
            WallX(x, 0, lot.Height, z0, z1, Color(lot.Color, 0.92f), BuildingId);
            if (z0 > DetailDistance || z1 - z0 < 2.5f)
            {
                continue;
            }
            Scalar glass = Color(0x56677A);
            WallX(x, 0.3f, 2.6f, z0 + 0.6f, z1 - 0.6f, Color(Glass), BuildingId);
            for (int floor = 1; floor < lot.Floors; floor++)
            {
                float y = floor * 3.2f;
                WallX(x, y + 0.9f, y + 2.3f, z0 + 0.8f, z1 - 0.8f, glass, BuildingId);
            }
        }
    }

    // ---- trees and things ---------------------------------------------------------------------------------------

    private void DrawTreesAndThings(DriveState s)
    {
        int n = 0;
        for (int i = 0; i < s.TreeCount; i++)
        {
            float z = (float)(s.Trees[i].Z - s.EgoZ);
            if (z > DriveLayout.NearPlane + 0.3f && z < ThingCullDistance)
            {
                _keys[n] = z;
                _items[n++] = -(i + 1);
            }
        }
        SceneObject[] objects = s.Objects;
        for (int i = 0; i < DriveState.MaxObjects; i++)
        {
            ref readonly SceneObject o = ref objects[i];
            if (o.Kind == SyntheticThingKind.None)
            {
                continue;
            }
            float z = (float)(o.Z - s.EgoZ);
            float key = o.Kind switch
            {
                SyntheticThingKind.Car => z - (o.Length * 0.5f),
                SyntheticThingKind.Bicycle => z - (o.Length * 0.5f),
                // The rider sits on the bicycle: drawn right after it.
                SyntheticThingKind.Rider => (float)(objects[o.Partner].Z - s.EgoZ) - (objects[o.Partner].Length * 0.5f) - 0.001f,
                _ => z,
            };
            if (z + (o.Length * 0.5f) < DriveLayout.NearPlane || key > ThingCullDistance)
            {
                continue;
            }
            _keys[n] = key;
            _items[n++] = i;
        }

        // Insertion sort, farthest first: stable and allocation-free for a few hundred items.
        for (int i = 1; i < n; i++)
        {
            float key = _keys[i];
            int item = _items[i];
            int j = i - 1;
            while (j >= 0 && _keys[j] < key)
            {
                _keys[j + 1] = _keys[j];
                _items[j + 1] = _items[j];
                j--;
            }
            _keys[j + 1] = key;
            _items[j + 1] = item;
        }

        for (int i = 0; i < n; i++)
        {
            int item = _items[i];
            if (item < 0)
            {
                DrawTree(s.Trees[-item - 1], (float)(s.Trees[-item - 1].Z - s.EgoZ));
            }
            else
            {
                DrawThing(s, item);
            }
        }
    }

    private void DrawTree(in RoadsideTree tree, float z)
    {
        float top = tree.TrunkHeight + (tree.CrownRadius * 0.5f);
        WallZ(z, tree.X - 0.14f, tree.X + 0.14f, 0, top, Color(Bark), VegetationId);
        DiscZ(z, tree.X, tree.TrunkHeight + (tree.CrownRadius * 0.85f), tree.CrownRadius, tree.CrownRadius * 1.1f, Color(tree.Color), VegetationId);
    }

    private void DrawThing(DriveState s, int slot)
    {
        ref readonly SceneObject o = ref s.Objects[slot];
        SyntheticGroundTruth? truth = _truth;
        ushort id = truth?.NextThingId ?? 0;
        if (truth is not null && id == 0)
        {
            Debug.Fail("more things in view than thing ids");
            return;
        }
        float z = (float)(o.Z - s.EgoZ);
        _canvas.ResetBounds();
        bool drawn;
        int category;
        switch (o.Kind)
        {
            case SyntheticThingKind.Car:
                drawn = DrawCar(o, z, id);
                category = SyntheticCategories.Car;
                break;
            case SyntheticThingKind.Bicycle:
                drawn = DrawBicycle(o, z, id);
                category = SyntheticCategories.Bicycle;
                break;
            case SyntheticThingKind.Rider:
                drawn = DrawRider(o, z - 0.1f, id);
                category = SyntheticCategories.Person;
                break;
            default:
                drawn = DrawPedestrian(o, z, id);
                category = SyntheticCategories.Person;
                break;
        }
        if (drawn && truth is not null)
        {
            truth.AddThing(o.Kind, category, o.ObjectId, _canvas.BoundsMinX, _canvas.BoundsMinY, _canvas.BoundsMaxX, _canvas.BoundsMaxY);
        }
    }

    private bool DrawCar(in SceneObject o, float zc, ushort id)
    {
        float length = o.Length, width = o.Width, height = o.Height;
        float near = zc - (length * 0.5f);
        float far = zc + (length * 0.5f);
        int d = o.Direction;
        // Positions along the car are fractions from its rear; the rear is the near end of traffic going our way.
        float rear = d > 0 ? near : far;
        float along = d * length;
        float xl = o.X - (width * 0.5f), xr = o.X + (width * 0.5f);
        bool detailed = near < DetailDistance;
        bool truck = o.Style == 4;
        (float beltRear, float topRear, float topFront, float beltFront, float beltShare, float inset) = o.Style switch
        {
            0 => (0.18f, 0.32f, 0.62f, 0.78f, 0.55f, 0.13f),
            1 => (0.05f, 0.12f, 0.60f, 0.75f, 0.55f, 0.12f),
            2 => (0.04f, 0.08f, 0.66f, 0.76f, 0.58f, 0.08f),
            3 => (0.02f, 0.03f, 0.85f, 0.95f, 0.50f, 0.03f),
            _ => (0f, 0f, 0f, 0f, 0.5f, 0.02f),
        };
        float belt = height * beltShare;
        Scalar body = Color(o.Color);
        Scalar flank = Color(o.Color, 0.78f);
        Scalar glass = Color(Glass, 1.1f);
        Scalar tyre = Color(Tyre);
        bool drawn = false;

        // The flank that faces the camera, if any.
        float side = xl > 0.05f ? xl : xr < -0.05f ? xr : float.NaN;
        if (!float.IsNaN(side))
        {
            if (truck)
            {
                const float Cab = 2.3f;
                Scalar cargo = Color(o.Color2, 0.8f);
                drawn |= QuadFlank(side, 0.45f, height, rear, rear + (d * (length - Cab)), cargo, id);
                drawn |= QuadFlank(side, 0.4f, 2.7f, rear + (d * (length - Cab)), rear + along, flank, id);
                if (detailed)
                {
                    drawn |= QuadFlank(side, 1.6f, 2.5f, rear + (d * (length - Cab + 0.3f)), rear + (d * (length - 0.5f)), glass, id);
                }
            }
            else
            {
                drawn |= QuadFlank(side, 0.22f, belt, rear, rear + along, flank, id);
                Flank(side, belt, rear + (beltRear * along));
                Flank(side, height, rear + (topRear * along));
                Flank(side, height, rear + (topFront * along));
                Flank(side, belt, rear + (beltFront * along));
                drawn |= _canvas.Fill(flank, id);
                if (detailed)
                {
                    Flank(side, belt + 0.05f, rear + ((beltRear + 0.04f) * along));
                    Flank(side, height - 0.06f, rear + ((topRear + 0.03f) * along));
                    Flank(side, height - 0.06f, rear + ((topFront - 0.03f) * along));
                    Flank(side, belt + 0.05f, rear + ((beltFront - 0.04f) * along));
                    drawn |= _canvas.Fill(glass, id);
                }
            }
            float r = truck ? 0.5f : 0.33f;
            drawn |= DiscX(side, r, rear + (0.17f * along), r, tyre, id);
            drawn |= DiscX(side, r, rear + (0.83f * along), r, tyre, id);
        }

        if (near < DriveLayout.NearPlane)
        {
            return drawn;
        }
        // The face towards the camera: the rear of traffic going our way, the front of oncoming traffic.
        float wheelTop = truck ? 0.9f : 0.42f;
        drawn |= WallZ(near, xl, xl + 0.26f, 0, wheelTop, tyre, id);
        drawn |= WallZ(near, xr - 0.26f, xr, 0, wheelTop, tyre, id);
        if (truck)
        {
            if (d > 0)
            {
                drawn |= WallZ(near, xl, xr, 0.45f, height, Color(o.Color2), id);
            }
            else
            {
                drawn |= WallZ(near + 2.3f, xl, xr, 2.7f, height, Color(o.Color2, 0.85f), id);
                drawn |= WallZ(near, xl, xr, 0.4f, 2.7f, body, id);
                if (detailed)
                {
                    drawn |= WallZ(near, xl + 0.12f, xr - 0.12f, 1.65f, 2.55f, glass, id);
                }
            }
        }
        else
        {
            float top = width * inset;
            Facing(xl, 0.22f, near);
            Facing(xr, 0.22f, near);
            Facing(xr, belt, near);
            Facing(xr - top, height, near);
            Facing(xl + top, height, near);
            Facing(xl, belt, near);
            drawn |= _canvas.Fill(body, id);
            if (detailed)
            {
                float edge = width * 0.1f;
                Facing(xl + edge, belt + 0.06f, near);
                Facing(xr - edge, belt + 0.06f, near);
                Facing(xr - top - 0.06f, height - 0.07f, near);
                Facing(xl + top + 0.06f, height - 0.07f, near);
                drawn |= _canvas.Fill(glass, id);
            }
        }
        if (detailed)
        {
            drawn |= WallZ(near, xl, xr, 0.22f, 0.36f, Color(Trim), id);
            float lampY = truck ? 0.7f : belt - 0.2f;
            Scalar lamp = d > 0 ? Color(0xB01515) : Color(0xF5F0D0);
            drawn |= WallZ(near, xl + 0.06f, xl + 0.34f, lampY, lampY + 0.14f, lamp, id);
            drawn |= WallZ(near, xr - 0.34f, xr - 0.06f, lampY, lampY + 0.14f, lamp, id);
            drawn |= WallZ(near, o.X - 0.26f, o.X + 0.26f, 0.38f, 0.5f, Color(0xE8E8E0), id);
        }
        return drawn;
    }

    private bool QuadFlank(float x, float y0, float y1, float zA, float zB, in Scalar color, ushort id)
    {
        Flank(x, y0, zA);
        Flank(x, y1, zA);
        Flank(x, y1, zB);
        Flank(x, y0, zB);
        return _canvas.Fill(color, id);
    }

    private bool DrawBicycle(in SceneObject o, float zc, ushort id)
    {
        float x = o.X;
        if (zc - 0.9f < DriveLayout.NearPlane)
        {
            return false;
        }
        Scalar tyre = Color(Tyre);
        Scalar frame = Color(o.Color);
        bool drawn = false;
        drawn |= DiscX(x, 0.34f, zc - 0.55f, 0.34f, tyre, id);
        drawn |= DiscX(x, 0.34f, zc + 0.55f, 0.34f, tyre, id);
        drawn |= BarX(x, 0.34f, zc - 0.55f, 0.36f, zc - 0.12f, 0.025f, frame, id);
        drawn |= BarX(x, 0.36f, zc - 0.12f, 0.9f, zc - 0.25f, 0.03f, frame, id);
        drawn |= BarX(x, 0.36f, zc - 0.12f, 0.86f, zc + 0.42f, 0.03f, frame, id);
        drawn |= BarX(x, 0.86f, zc - 0.25f, 0.88f, zc + 0.42f, 0.025f, frame, id);
        drawn |= BarX(x, 0.88f, zc + 0.42f, 0.34f, zc + 0.55f, 0.025f, frame, id);
        // What a bicycle shows from behind: the rear tyre edge-on, the saddle and the handlebar.
        drawn |= WallZ(zc - 0.89f, x - 0.03f, x + 0.03f, 0f, 0.68f, tyre, id);
        drawn |= WallZ(zc - 0.25f, x - 0.09f, x + 0.09f, 0.9f, 0.97f, Color(Trim), id);
        drawn |= WallZ(zc + 0.45f, x - 0.3f, x + 0.3f, 0.98f, 1.04f, frame, id);
        return drawn;
    }

    private bool DrawPedestrian(in SceneObject o, float z, ushort id)
    {
        if (z < DriveLayout.NearPlane + 0.3f)
        {
            return false;
        }
        float h = o.Height, x = o.X;
        bool profile = o.Mode == PedestrianMode.Crossing;
        float swing = o.Mode == PedestrianMode.Waiting ? 0f : MathF.Sin(o.Phase);
        float hipY = 0.52f * h, shoulderY = 0.82f * h, head = 0.065f * h;
        float shoulder = (profile ? 0.075f : 0.13f) * h;
        float hip = (profile ? 0.07f : 0.1f) * h;
        float leg = 0.085f * h, arm = 0.055f * h;
        Scalar trousers = Color(o.Color2);
        Scalar shirt = Color(o.Color);
        Scalar sleeve = Color(o.Color, 0.85f);
        Scalar skin = Color(o.Color3);
        bool drawn = false;
        if (profile)
        {
            float stride = 0.17f * h * swing;
            drawn |= Limb(z, x, shoulderY, x + (0.12f * h * swing), 0.5f * h, arm, sleeve, id);
            drawn |= Limb(z, x, hipY, x - stride, 0f, leg, trousers, id);
            drawn |= Limb(z, x, hipY, x + stride, 0f, leg, trousers, id);
        }
        else
        {
            float liftLeft = 0.05f * h * MathF.Max(0, swing);
            float liftRight = 0.05f * h * MathF.Max(0, -swing);
            drawn |= Limb(z, x - (0.05f * h), hipY, x - (0.06f * h), liftLeft, leg, trousers, id);
            drawn |= Limb(z, x + (0.05f * h), hipY, x + (0.06f * h), liftRight, leg, trousers, id);
            drawn |= Limb(z, x - shoulder - (0.02f * h), shoulderY, x - shoulder - (0.035f * h), 0.5f * h, arm, sleeve, id);
            drawn |= Limb(z, x + shoulder + (0.02f * h), shoulderY, x + shoulder + (0.035f * h), 0.5f * h, arm, sleeve, id);
        }
        Facing(x - shoulder, shoulderY, z);
        Facing(x + shoulder, shoulderY, z);
        Facing(x + hip, hipY - (0.03f * h), z);
        Facing(x - hip, hipY - (0.03f * h), z);
        drawn |= _canvas.Fill(shirt, id);
        if (profile)
        {
            drawn |= Limb(z, x, shoulderY, x - (0.12f * h * swing), 0.5f * h, arm, sleeve, id);
        }
        drawn |= WallZ(z, x - (0.025f * h), x + (0.025f * h), shoulderY - 0.01f, h - (1.6f * head), skin, id);
        drawn |= DiscZ(z, x, h - head, head * 0.85f, head, skin, id);
        if (z < DetailDistance)
        {
            int hair = (o.Style & 1) == 0 ? 0x2B1B10 : 0x9C7A3C;
            drawn |= DiscZ(z, x, h - (0.75f * head), head * 0.88f, head * 0.45f, Color(hair), id);
        }
        return drawn;
    }

    private bool DrawRider(in SceneObject o, float z, ushort id)
    {
        if (z < DriveLayout.NearPlane + 0.3f)
        {
            return false;
        }
        float h = o.Height, x = o.X;
        const float HipY = 0.95f;
        float shoulderY = HipY + (0.32f * h), head = 0.065f * h, shoulder = 0.12f * h;
        float pedal = 0.12f * MathF.Sin(o.Phase);
        Scalar trousers = Color(o.Color2);
        Scalar shirt = Color(o.Color);
        Scalar skin = Color(o.Color3);
        bool drawn = false;
        drawn |= Limb(z, x - 0.07f, HipY, x - 0.1f, 0.32f + pedal, 0.085f * h, trousers, id);
        drawn |= Limb(z, x + 0.07f, HipY, x + 0.1f, 0.32f - pedal, 0.085f * h, trousers, id);
        Facing(x - shoulder, shoulderY, z);
        Facing(x + shoulder, shoulderY, z);
        Facing(x + (0.09f * h), HipY, z);
        Facing(x - (0.09f * h), HipY, z);
        drawn |= _canvas.Fill(shirt, id);
        drawn |= Limb(z, x - shoulder, shoulderY, x - 0.28f, 1.02f, 0.05f * h, shirt, id);
        drawn |= Limb(z, x + shoulder, shoulderY, x + 0.28f, 1.02f, 0.05f * h, shirt, id);
        drawn |= DiscZ(z, x, shoulderY + (1.3f * head), head * 0.85f, head, skin, id);
        drawn |= DiscZ(z, x, shoulderY + (1.75f * head), head * 0.95f, head * 0.6f, Color(0xE74C3C), id);
        return drawn;
    }
}
