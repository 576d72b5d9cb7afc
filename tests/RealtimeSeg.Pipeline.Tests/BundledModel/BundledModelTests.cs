using RealtimeSeg.Core;
using RealtimeSeg.Inference;
using RealtimeSeg.Synthetic;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Pipeline.Tests.BundledModel;

/// <summary>
/// The committed demo model (models/realtimeseg-demo.onnx) configures itself from its metadata and sees the held-out
/// synthetic drive (seed 999, never trained on) for what it is: road below, sky above, cars where the truth has cars.
/// </summary>
public sealed class BundledModelTests
{
    private static readonly string ModelPath = Path.Combine(TestAssets.RepositoryRoot, "models", "realtimeseg-demo.onnx");

    [Fact]
    public void Load_BundledModel_ConfiguresItselfFromMetadata()
    {
        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = ModelPath }, NullPipelineLog.Instance);

        Assert.Equal("panoptic", model.DecoderName);
        Assert.True(model.ProducesSemantic);
        // 1280x720 scales exactly to the input (0.8), so the letterbox has no padding (models/README.md).
        Assert.Equal(1024, model.Input.Width);
        Assert.Equal(576, model.Input.Height);
        Assert.Equal(ColorOrder.Rgb, model.Input.ColorOrder);
        // The synthetic drive's own table: same ids, names and thing/stuff split, so eval against synth export works.
        Assert.Equal(SyntheticCategories.Table.Categories, model.Categories.Categories);
        Assert.Equal([SyntheticCategories.Person, SyntheticCategories.Car, SyntheticCategories.Bicycle], model.Classes.ThingCategoryForClass.ToArray());
        Assert.Equal([7, 8, 11, 21, 23, -1, -1, -1, 34], model.Classes.StuffCategoryForClass.ToArray());
        Assert.True(new FileInfo(ModelPath).Length <= 5 * 1024 * 1024, "the bundled model stays ≤ 5 MB");
    }

    [Fact]
    public unsafe void Decode_HeldOutSyntheticFrame_RoadBelowSkyAboveAndCarsFound()
    {
        const int W = 1280, H = 720;
        using SegmentationModel model = SegmentationModel.Load(new ModelOptions { Path = ModelPath, ConfidenceThreshold = 0.3f }, NullPipelineLog.Instance);
        using InferenceSlot slot = model.CreateSlot();
        DetectionSet detections = model.CreateDetectionSet();
        SemanticMap semantic = model.CreateSemanticMap()!;
        var bgr = new byte[W * H * 3];
        using var scene = new SyntheticDriveScene(new SyntheticDriveOptions { Seed = 999, Width = W, Height = H });
        SyntheticGroundTruth truth = scene.CreateGroundTruth();
        scene.Render(60, bgr, W * 3, truth);

        fixed (byte* p = bgr)
        {
            model.Preprocess((IntPtr)p, W, H, W * 3, slot);
        }
        model.Run(slot);
        model.Decode(slot, detections, semantic);

        // The map covers the image: sample it at image points through its geometry. The bottom band is mostly road
        // (lane lines cross it), the top band of the middle third mostly sky (buildings line both sides).
        Assert.True(Share(semantic, model, SyntheticCategories.Road, 0, W, H - 60, H) >= 0.6, "road in the bottom band");
        Assert.True(Share(semantic, model, SyntheticCategories.Sky, W / 3, 2 * W / 3, 0, 60) >= 0.6, "sky in the top band");

        int bigCars = 0, found = 0;
        foreach (SyntheticSegment s in truth.Segments)
        {
            if (s.CategoryId != SyntheticCategories.Car || s.Height < 40)
            {
                continue;
            }
            bigCars++;
            var box = new BoundingBox(s.X, s.Y, s.X + s.Width, s.Y + s.Height);
            foreach (Detection d in detections.Items)
            {
                if (model.Classes.ThingCategoryForClass[d.ClassId] == SyntheticCategories.Car && BoundingBox.IoU(d.Box, box) >= 0.5f)
                {
                    found++;
                    break;
                }
            }
        }
        Assert.True(bigCars > 0, "seed 999 frame 60 has cars at least 40 px tall");
        Assert.True(found * 2 >= bigCars, $"found {found} of {bigCars} cars ≥ 40 px tall at IoU ≥ 0.5");
    }

    /// <summary>Share of the image rectangle's pixels (sampled every 4 px) whose map cell is <paramref name="category"/>.</summary>
    private static double Share(SemanticMap map, SegmentationModel model, int category, int x0, int x1, int y0, int y1)
    {
        int hits = 0, total = 0;
        for (int y = y0; y < y1; y += 4)
        {
            for (int x = x0; x < x1; x += 4)
            {
                int u = Math.Clamp((int)((x + 0.5f - map.OriginX) / map.CellWidth), 0, map.Width - 1);
                int v = Math.Clamp((int)((y + 0.5f - map.OriginY) / map.CellHeight), 0, map.Height - 1);
                byte c = map.Classes[v * map.Width + u];
                hits += c != SemanticMap.NoClass && model.Classes.StuffCategoryForClass[c] == category ? 1 : 0;
                total++;
            }
        }
        return (double)hits / total;
    }
}
