using RealtimeSeg.Synthetic;

namespace RealtimeSeg.Synthetic.Tests;

public sealed class DriveSimulationTests
{
    [Fact]
    public void AdvanceTo_EarlierFrame_RestoresExactlyTheStateSteppedTo()
    {
        var forward = new DriveSimulation(new SyntheticDriveOptions { Seed = 12, Density = 1 });
        forward.AdvanceTo(1000);
        SceneObject[] expected = forward.State.Objects.ToArray();
        (double egoZ, float egoSpeed, int nextId) = (forward.State.EgoZ, forward.State.EgoSpeed, forward.State.NextObjectId);

        forward.AdvanceTo(1200);
        forward.AdvanceTo(100);
        forward.AdvanceTo(1000);

        Assert.Equal(expected, forward.State.Objects);
        Assert.Equal((egoZ, egoSpeed, nextId), (forward.State.EgoZ, forward.State.EgoSpeed, forward.State.NextObjectId));
    }

    [Fact]
    public void AdvanceTo_HigherFrameRate_SamplesTheSameDriveMoreFinely()
    {
        var at30 = new DriveSimulation(new SyntheticDriveOptions { Seed = 3, FramesPerSecond = 30 });
        var at10 = new DriveSimulation(new SyntheticDriveOptions { Seed = 3, FramesPerSecond = 10 });

        at30.AdvanceTo(30);
        at10.AdvanceTo(10);

        // One second in either case: 30 steps of 1/30 s, or 10 frames of 3 sub-steps.
        Assert.Equal(at30.State.EgoZ, at10.State.EgoZ, 6);
        Assert.Equal(at30.State.Objects, at10.State.Objects);
    }

    [Fact]
    public void Density0_NoThingsEver()
    {
        var simulation = new DriveSimulation(new SyntheticDriveOptions { Seed = 2, Density = 0 });

        for (long frame = 0; frame <= 3000; frame += 100)
        {
            simulation.AdvanceTo(frame);
            Assert.All(simulation.State.Objects, o => Assert.Equal(SyntheticThingKind.None, o.Kind));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Traffic_TwoMinutes_OvertakesChangesLanesSlowsForCrossingsAndNeverCollides(long seed)
    {
        var simulation = new DriveSimulation(new SyntheticDriveOptions { Seed = seed, Density = 1 });
        var seenIds = new HashSet<int>();
        var relativeZ = new Dictionary<int, double>();
        bool laneChange = false, crossing = false, overtakenByACar = false, egoSlowed = false;
        int highestId = 0;

        for (long frame = 0; frame <= 3600; frame++)
        {
            simulation.AdvanceTo(frame);
            DriveState s = simulation.State;
            egoSlowed |= s.EgoSpeed < 0.25f * s.EgoDesiredSpeed;
            var live = new HashSet<int>();
            for (int i = 0; i < DriveState.MaxObjects; i++)
            {
                ref readonly SceneObject o = ref s.Objects[i];
                if (o.Kind == SyntheticThingKind.None)
                {
                    continue;
                }
                Assert.True(live.Add(o.ObjectId), $"object id {o.ObjectId} is used twice at frame {frame}");
                if (seenIds.Add(o.ObjectId))
                {
                    Assert.True(o.ObjectId > highestId, $"object id {o.ObjectId} was handed out again, or out of order");
                    highestId = o.ObjectId;
                }
                laneChange |= o.Kind == SyntheticThingKind.Car && o.X != o.TargetX;
                crossing |= o.Kind == SyntheticThingKind.Pedestrian && o.Mode == PedestrianMode.Crossing && o.Z - s.EgoZ < 60;
                double z = o.Z - s.EgoZ;
                if (o.Kind == SyntheticThingKind.Car && o.Direction > 0 && relativeZ.TryGetValue(o.ObjectId, out double before) && before < -2.5 && z >= -2.5)
                {
                    overtakenByACar = true;
                }
                relativeZ[o.ObjectId] = z;
                AssertNoOverlap(s, i, frame);
            }
        }

        Assert.True(laneChange, "no car changed lanes in two minutes");
        Assert.True(crossing, "nobody crossed the road ahead in two minutes");
        Assert.True(overtakenByACar, "no car overtook the camera in two minutes");
        Assert.True(egoSlowed, "the ego never slowed to a crawl (for a crossing or a queue) in two minutes");
    }

    /// <summary>Vehicles going the same way never overlap each other or the ego (footprints with a 0.2 m tolerance).</summary>
    private static void AssertNoOverlap(DriveState s, int i, long frame)
    {
        ref readonly SceneObject a = ref s.Objects[i];
        if (!a.IsVehicle)
        {
            return;
        }
        for (int j = i + 1; j < DriveState.MaxObjects; j++)
        {
            ref readonly SceneObject b = ref s.Objects[j];
            if (b.IsVehicle && b.Direction == a.Direction)
            {
                Assert.False(Overlap(a.X, a.Z, a.Width, a.Length, b.X, b.Z, b.Width, b.Length),
                    $"vehicles {a.ObjectId} and {b.ObjectId} overlap at frame {frame}");
            }
        }
        if (a.Direction > 0)
        {
            Assert.False(Overlap(a.X, a.Z, a.Width, a.Length, 0, s.EgoZ, DriveLayout.EgoWidth, DriveLayout.EgoLength),
                $"vehicle {a.ObjectId} overlaps the ego at frame {frame}");
        }
    }

    private static bool Overlap(float xa, double za, float wa, float la, float xb, double zb, float wb, float lb)
        => Math.Abs(xa - xb) < ((wa + wb) * 0.5) - 0.2 && Math.Abs(za - zb) < ((la + lb) * 0.5) - 0.2;
}
