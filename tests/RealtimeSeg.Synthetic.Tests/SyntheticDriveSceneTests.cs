using RealtimeSeg.Core;
using RealtimeSeg.Synthetic;
using static RealtimeSeg.Synthetic.Tests.SyntheticRendering;

namespace RealtimeSeg.Synthetic.Tests;

public sealed class SyntheticDriveSceneTests
{
    [Fact]
    public void Render_SameSeedInTwoScenes_IdenticalPixelsAndGroundTruth()
    {
        using var a = new SyntheticDriveScene(Small(seed: 11));
        using var b = new SyntheticDriveScene(Small(seed: 11));
        SyntheticGroundTruth ta = a.CreateGroundTruth(), tb = b.CreateGroundTruth();

        for (long frame = 0; frame < 60; frame += 3)
        {
            byte[] ia = Image(a, frame, ta);
            byte[] ib = Image(b, frame, tb);

            Assert.Equal(ia, ib);
            Assert.Equal(ta.Map.ToArray(), tb.Map.ToArray());
            Assert.Equal(ta.Segments.ToArray(), tb.Segments.ToArray());
        }
    }

    [Fact]
    public void Render_DifferentSeeds_DifferentPixelsAndObjects()
    {
        using var a = new SyntheticDriveScene(Small(seed: 1));
        using var b = new SyntheticDriveScene(Small(seed: 2));
        SyntheticGroundTruth ta = a.CreateGroundTruth(), tb = b.CreateGroundTruth();

        byte[] ia = Image(a, 30, ta);
        byte[] ib = Image(b, 30, tb);

        int differing = 0;
        for (int i = 0; i < ia.Length; i++)
        {
            differing += ia[i] != ib[i] ? 1 : 0;
        }
        Assert.True(differing > ia.Length / 10, $"only {differing} of {ia.Length} bytes differ between seeds");
        Assert.NotEqual(ta.Segments.ToArray(), tb.Segments.ToArray());
    }

    [Fact]
    public void Render_FramesOutOfOrder_EqualSequentialRendering()
    {
        using var sequential = new SyntheticDriveScene(Small(seed: 4));
        var expected = new Dictionary<long, byte[]>();
        long[] wanted = [0, 5, 63, 64, 65, 150, 700];
        for (long frame = 0; frame <= 700; frame++)
        {
            if (Array.IndexOf(wanted, frame) >= 0)
            {
                expected[frame] = Image(sequential, frame);
            }
        }

        using var jumping = new SyntheticDriveScene(Small(seed: 4));
        // Forward jumps, backward jumps within the checkpoints, and a jump back past all of them (a restart).
        foreach (long frame in (long[])[150, 65, 700, 64, 5, 63, 0, 700])
        {
            Assert.True(expected[frame].AsSpan().SequenceEqual(Image(jumping, frame)), $"frame {frame} differs when reached out of order");
        }
    }

    [Fact]
    public void Render_SameFrameTwice_SamePixels()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 8));

        Assert.Equal(Image(scene, 42), Image(scene, 42));
    }

    [Fact]
    public void RenderGroundTruth_WithoutImage_EqualsTheTruthOfAFullRender()
    {
        using var full = new SyntheticDriveScene(Small(seed: 6, density: 1));
        using var idsOnly = new SyntheticDriveScene(Small(seed: 6, density: 1));
        SyntheticGroundTruth a = full.CreateGroundTruth(), b = idsOnly.CreateGroundTruth();

        foreach (long frame in (long[])[0, 17, 90])
        {
            Image(full, frame, a);
            idsOnly.RenderGroundTruth(frame, b);

            Assert.Equal(frame, b.FrameIndex);
            Assert.Equal(a.Map.ToArray(), b.Map.ToArray());
            Assert.Equal(a.Segments.ToArray(), b.Segments.ToArray());
        }
    }

    [Fact]
    public void Render_GroundTruth_EveryPixelHasAListedSegmentAndNoneIsVoid()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 3, density: 1));
        SyntheticGroundTruth truth = scene.CreateGroundTruth();

        for (long frame = 0; frame < 120; frame += 7)
        {
            Image(scene, frame, truth);

            Assert.Equal(0, truth.VoidArea);
            var listed = new HashSet<int>();
            foreach (SyntheticSegment s in truth.Segments)
            {
                Assert.True(listed.Add(s.Id), $"segment id {s.Id} listed twice");
            }
            foreach (ushort id in truth.Map)
            {
                Assert.Contains((int)id, listed);
            }
        }
    }

    [Fact]
    public void Render_GroundTruth_AreasBoxesAndCentroidsEqualTheMapsCounts()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 5, density: 1));
        SyntheticGroundTruth truth = scene.CreateGroundTruth();

        foreach (long frame in (long[])[0, 33, 101])
        {
            Image(scene, frame, truth);
            var counts = Recount(truth);

            Assert.Equal(counts.Count, truth.Segments.Length);
            foreach (SyntheticSegment s in truth.Segments)
            {
                var c = counts[s.Id];
                Assert.Equal(c.Area, s.Area);
                Assert.Equal((c.MinX, c.MinY, c.MaxX - c.MinX + 1, c.MaxY - c.MinY + 1), (s.X, s.Y, s.Width, s.Height));
                Assert.Equal((c.SumX / (double)c.Area) + 0.5, s.CentroidX, 3);
                Assert.Equal((c.SumY / (double)c.Area) + 0.5, s.CentroidY, 3);
                Assert.True(s.UnoccludedArea >= s.Area, $"segment {s.Id}: visible {s.Area} > unoccluded {s.UnoccludedArea}");
                Assert.Equal(s.IsThing, SyntheticCategories.IsThing(s.CategoryId));
                Assert.Equal(s.IsThing, s.Id >= SyntheticGroundTruth.FirstThingSegmentId);
                Assert.True(SyntheticCategories.Table.TryGet(s.CategoryId, out _), $"unknown category {s.CategoryId}");
                if (!s.IsThing)
                {
                    Assert.Equal(s.CategoryId, s.Id);
                }
            }
        }
    }

    [Fact]
    public void Render_ImageAndMap_AgreeOnWhatIsWhere()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 2));
        SyntheticGroundTruth truth = scene.CreateGroundTruth();
        byte[] bgr = Image(scene, 25, truth);

        (double b, double g, double r) sky = MeanColor(bgr, truth, SyntheticCategories.Sky);
        (double b, double g, double r) road = MeanColor(bgr, truth, SyntheticCategories.Road);
        (double b, double g, double r) marking = MeanColor(bgr, truth, SyntheticCategories.LaneMarking);

        Assert.True(sky.b > sky.r + 30, $"sky pixels are not blue: {sky}");
        Assert.True(Math.Abs(road.r - road.g) < 20 && Math.Abs(road.g - road.b) < 20, $"road pixels are not grey: {road}");
        Assert.True(marking.g > road.g + 60, $"lane markings are not brighter than the road: {marking} vs {road}");
    }

    [Fact]
    public void Render_HundredFrames_ShowEveryStuffCategoryAndEveryKindOfThing()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 1));
        SyntheticGroundTruth truth = scene.CreateGroundTruth();
        var categories = new HashSet<int>();
        var kinds = new HashSet<SyntheticThingKind>();

        for (long frame = 0; frame < 100; frame++)
        {
            scene.RenderGroundTruth(frame, truth);
            foreach (SyntheticSegment s in truth.Segments)
            {
                categories.Add(s.CategoryId);
                kinds.Add(s.Kind);
            }
        }

        foreach (Category c in SyntheticCategories.Table.Categories)
        {
            Assert.Contains(c.Id, categories);
        }
        Assert.Equal(
            [SyntheticThingKind.None, SyntheticThingKind.Car, SyntheticThingKind.Pedestrian, SyntheticThingKind.Bicycle, SyntheticThingKind.Rider],
            kinds.Order());
    }

    [Fact]
    public void Render_ObjectIds_KeepTheirKindAndMoveContinuouslyFrameToFrame()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 7, density: 1));
        SyntheticGroundTruth truth = scene.CreateGroundTruth();
        var kindOf = new Dictionary<int, SyntheticThingKind>();
        var previous = new Dictionary<int, SyntheticSegment>();
        int followed = 0;

        for (long frame = 0; frame < 150; frame++)
        {
            scene.RenderGroundTruth(frame, truth);
            var current = new Dictionary<int, SyntheticSegment>();
            foreach (SyntheticSegment s in truth.Segments)
            {
                if (!s.IsThing)
                {
                    continue;
                }
                Assert.True(current.TryAdd(s.ObjectId, s), $"object {s.ObjectId} has two segments in frame {frame}");
                Assert.Equal(kindOf.GetValueOrDefault(s.ObjectId, s.Kind), s.Kind);
                kindOf[s.ObjectId] = s.Kind;
                if (previous.TryGetValue(s.ObjectId, out SyntheticSegment before) && Unclipped(before, truth) && Unclipped(s, truth)
                    && before.Visibility == 1 && s.Visibility == 1)
                {
                    // Fully visible in both frames: the same object has moved a little, not jumped elsewhere.
                    float jump = MathF.Abs((s.X + (s.Width * 0.5f)) - (before.X + (before.Width * 0.5f)))
                        + MathF.Abs((s.Y + (s.Height * 0.5f)) - (before.Y + (before.Height * 0.5f)));
                    Assert.True(jump <= Math.Max(before.Width, before.Height) + 4,
                        $"object {s.ObjectId} jumped {jump:0.0} px between frames {frame - 1} and {frame}");
                    followed++;
                }
            }
            previous = current;
        }

        Assert.True(followed > 500, $"only {followed} frame-to-frame steps of fully visible objects were checked");
        Assert.True(kindOf.Count > 20, $"only {kindOf.Count} objects seen");
    }

    [Fact]
    public void Render_OccludedObject_ShrinksByExactlyWhatIsDrawnInFrontOfIt()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 3, density: 1));
        SyntheticGroundTruth truth = scene.CreateGroundTruth();
        SyntheticSegment occluded = default;
        long frame = 0;
        for (; frame < 300 && occluded.ObjectId == 0; frame++)
        {
            scene.RenderGroundTruth(frame, truth);
            foreach (SyntheticSegment s in truth.Segments)
            {
                if (s.Kind is SyntheticThingKind.Car or SyntheticThingKind.Pedestrian && s.Area > 20 && s.Visibility < 0.8)
                {
                    occluded = s;
                    break;
                }
            }
        }
        Assert.True(occluded.ObjectId != 0, "no partly occluded car or pedestrian in 300 frames");
        frame--;

        // Remove everything but the object, then draw the same frame again: it now shows all it would without occluders.
        DriveState state = scene.State;
        for (int i = 0; i < state.Objects.Length; i++)
        {
            if (state.Objects[i].ObjectId != occluded.ObjectId)
            {
                state.Objects[i] = default;
            }
        }
        state.TreeCount = 0;
        scene.RenderGroundTruth(frame, truth);

        Assert.True(truth.TryGetObject(occluded.ObjectId, out SyntheticSegment alone));
        Assert.Equal(occluded.UnoccludedArea, alone.Area);
        Assert.True(alone.Area > occluded.Area);
        Assert.Equal(1.0, alone.Visibility);
    }

    [Fact]
    public void Render_AfterWarmUp_AllocatesNothing()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 2, density: 1));
        SyntheticGroundTruth truth = scene.CreateGroundTruth();
        byte[] bgr = GC.AllocateArray<byte>(scene.Width * 3 * scene.Height, pinned: true);
        IntPtr pixels = System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(bgr, 0);
        for (long frame = 0; frame < 200; frame++)
        {
            scene.Render(frame, pixels, scene.Width * 3, (frame & 1) == 0 ? truth : null);
            scene.RenderGroundTruth(frame, truth);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long frame = 200; frame < 260; frame++)
        {
            scene.Render(frame, pixels, scene.Width * 3, (frame & 1) == 0 ? truth : null);
        }
        // Back to a checkpoint, then a long way forward: spawning, despawning and roadside generation included.
        scene.RenderGroundTruth(100, truth);
        scene.RenderGroundTruth(3000, truth);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Render_BadArguments_ThrowBeforeDrawing()
    {
        var scene = new SyntheticDriveScene(Small());
        byte[] bgr = new byte[scene.Width * 3 * scene.Height];

        Assert.Throws<ArgumentOutOfRangeException>(() => scene.Render(-1, bgr, scene.Width * 3, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => scene.Render(0, bgr, (scene.Width * 3) - 1, null));
        Assert.Throws<ArgumentException>(() => scene.Render(0, bgr.AsSpan(1), scene.Width * 3, null));
        Assert.Throws<ArgumentNullException>(() => scene.Render(0, IntPtr.Zero, scene.Width * 3, null));
        Assert.Throws<ArgumentException>(() => scene.Render(0, bgr, scene.Width * 3, new SyntheticGroundTruth(scene.Width, scene.Height + 1)));
        Assert.Throws<ConfigurationException>(() => new SyntheticDriveScene(Small() with { Density = 3 }));
        scene.Dispose();
        Assert.Throws<ObjectDisposedException>(() => scene.Render(0, bgr, scene.Width * 3, null));
    }

    [Fact]
    public void Render_PaddedRows_LeavesThePaddingAlone()
    {
        using var scene = new SyntheticDriveScene(Small(seed: 9));
        int stride = (scene.Width * 3) + 64;
        byte[] padded = new byte[stride * scene.Height];
        padded.AsSpan().Fill(0xAB);

        scene.Render(12, padded, stride, null);
        byte[] packed = Image(scene, 12);

        for (int y = 0; y < scene.Height; y++)
        {
            Assert.True(padded.AsSpan(y * stride, scene.Width * 3).SequenceEqual(packed.AsSpan(y * scene.Width * 3, scene.Width * 3)), $"row {y} differs");
            Assert.True(padded.AsSpan((y * stride) + (scene.Width * 3), 64).IndexOfAnyExcept((byte)0xAB) < 0, $"padding of row {y} was written");
        }
    }

    private static bool Unclipped(in SyntheticSegment s, SyntheticGroundTruth truth)
        => s.X > 0 && s.Y > 0 && s.X + s.Width < truth.Width && s.Y + s.Height < truth.Height;

    private static (double B, double G, double R) MeanColor(byte[] bgr, SyntheticGroundTruth truth, int segmentId)
    {
        double b = 0, g = 0, r = 0;
        int n = 0;
        ReadOnlySpan<ushort> map = truth.Map;
        for (int i = 0; i < map.Length; i++)
        {
            if (map[i] == segmentId)
            {
                b += bgr[i * 3];
                g += bgr[(i * 3) + 1];
                r += bgr[(i * 3) + 2];
                n++;
            }
        }
        Assert.True(n > 0, $"segment {segmentId} is not in the frame");
        return (b / n, g / n, r / n);
    }
}
