using RealtimeSeg.Core;
using RealtimeSeg.Inference.Panoptic;
using RealtimeSeg.TestSupport;
using static RealtimeSeg.Inference.Tests.Panoptic.ComposerScene;

namespace RealtimeSeg.Inference.Tests.Panoptic;

public sealed class PanopticComposerTests
{
    [Theory]
    // Box [2,6) × [1,4) on an 8x6 image. Map pixel centres are (u + 0.5)·d.
    [InlineData(1, "00000000|00111100|00111100|00111100|00000000|00000000", 12, 2f, 1f, 4f, 3f, 4f, 2.5f)]
    [InlineData(2, "0110|0110|0000", 16, 2f, 0f, 4f, 4f, 4f, 2f)]
    [InlineData(4, "10|00", 16, 0f, 0f, 4f, 4f, 2f, 2f)]
    public void Compose_BoxWithoutMask_ExactMapAndImageGeometry(int divisor, string expected, int area, float bx, float by, float bw, float bh,
        float cx, float cy)
    {
        var frame = Compose(Composer(divisor), 8, 6, Boxes((2, 1, 6, 4, 0.9f, CarClass)));

        Assert.Equal(expected, MapText(frame));
        PanopticSegment s = Assert.Single(frame.Segments.ToArray());
        Assert.Equal(1, s.Id);
        Assert.Equal(CarCategory, s.CategoryId);
        Assert.True(s.IsThing);
        Assert.Equal(SegmentFlags.BoxMask, s.Flags);
        Assert.Equal(0.9f, s.Score);
        Assert.Equal(area, s.Area);
        Assert.Equal((bx, by, bw, bh), (s.BboxX, s.BboxY, s.BboxWidth, s.BboxHeight));
        Assert.Equal((cx, cy), (s.CentroidX, s.CentroidY));
    }

    [Theory]
    [InlineData(1, 8, 6, 8, 6)]
    [InlineData(2, 1280, 720, 640, 360)]
    [InlineData(4, 10, 6, 3, 2)]
    [InlineData(2, 7, 5, 4, 3)]
    public void Compose_MapSize_ImageDividedRoundedUp(int divisor, int width, int height, int mapWidth, int mapHeight)
    {
        var frame = Compose(Composer(divisor), width, height, Boxes());

        Assert.Equal((mapWidth, mapHeight), (frame.MapWidth, frame.MapHeight));
        Assert.Equal((width, height), (frame.ImageWidth, frame.ImageHeight));
    }

    [Fact]
    public void Compose_BoxOnEdgeOfOddImage_PartialEdgePixelsPaintedAndGeometryClipped()
    {
        // 7x5 at divisor 2 → 4x3 map whose last column covers image x 6…8 and last row y 4…6, past the image. They
        // sample at the middle of their in-image part (x 6.5, y 4.5), so a box reaching the edge still covers them.
        var frame = Compose(Composer(2), 7, 5, Boxes((4, 2, 7, 5, 0.9f, CarClass)));

        PanopticSegment s = Assert.Single(frame.Segments.ToArray());
        Assert.Equal("0000|0011|0011", MapText(frame));
        Assert.Equal((4f, 2f, 3f, 3f), (s.BboxX, s.BboxY, s.BboxWidth, s.BboxHeight));
        // Sample points x ∈ {5, 6.5}, y ∈ {3, 4.5}.
        Assert.Equal(5.75f, s.CentroidX, 1e-5f);
        Assert.Equal(3.75f, s.CentroidY, 1e-5f);
    }

    [Fact]
    public void Compose_StuffOnOddImage_LastColumnAndRowNotVoid()
    {
        SemanticMap semantic = Semantic(1, 1, 0f, 0f, 7f, 5f, 1);

        var frame = Compose(Composer(2), 7, 5, Boxes(), semantic);

        Assert.Equal("1111|1111|1111", MapText(frame));
        Assert.Equal((0f, 0f, 7f, 5f), (frame.Segments[0].BboxX, frame.Segments[0].BboxY, frame.Segments[0].BboxWidth, frame.Segments[0].BboxHeight));
    }

    [Fact]
    public void Compose_BoxEndingBeforePartialPixelSample_LeavesItVoid()
    {
        // The partial last column samples at x 6.5: a box ending at 6.4 must not cover it, one ending at 6.6 must.
        var before = Compose(Composer(2), 7, 2, Boxes((0, 0, 6.4f, 2, 0.9f, CarClass)));
        var after = Compose(Composer(2), 7, 2, Boxes((0, 0, 6.6f, 2, 0.9f, CarClass)));

        Assert.Equal("1110", MapText(before));
        Assert.Equal("1111", MapText(after));
    }

    [Theory]
    // Grid of two cells [0, 1], each 4 px wide, over an 8 px wide image. Bilinear values at pixel centres 0.5…7.5:
    // 0, 0, .125, .375, .625, .875, 1, 1. Nearest-cell sampling would give 0,0,0,0,1,1,1,1 for any threshold.
    [InlineData(1, 0.5f, "00001111")]
    [InlineData(1, 0.3f, "00011111")]
    // Divisor 2: centres 1, 3, 5, 7 → 0, .25, .75, 1.
    [InlineData(2, 0.5f, "0011")]
    [InlineData(2, 0.2f, "0111")]
    public void Compose_MaskAlongX_SampledBilinearlyAtPixelCentres(int divisor, float threshold, string expectedRow)
    {
        var set = new DetectionSet(4, 64);
        AddMasked(set, new BoundingBox(0, 0, 8, 2), 0.9f, CarClass, 2, 0f, 0f, 4f, 2f, 0f, 1f);

        var frame = Compose(Composer(divisor, threshold: threshold), 8, 2, set);

        Assert.Equal(expectedRow, MapText(frame).Split('|')[0]);
        Assert.Equal(SegmentFlags.None, Assert.Single(frame.Segments.ToArray()).Flags);
    }

    [Fact]
    public void Compose_MaskAlongY_SampledBilinearly()
    {
        var set = new DetectionSet(4, 64);
        AddMasked(set, new BoundingBox(0, 0, 1, 8), 0.9f, CarClass, 1, 0f, 0f, 1f, 4f, 0f, 1f);

        var frame = Compose(Composer(1, threshold: 0.3f), 1, 8, set);

        Assert.Equal("0|0|0|1|1|1|1|1", MapText(frame));
    }

    [Fact]
    public void Compose_Mask2D_ProductOfWeightsAgainstThreshold()
    {
        // [[0, 0], [0, 1]] with 4x4 px cells: the value at a pixel centre is wx·wy, with
        // w = 0, 0, .125, .375, .625, .875, 1, 1 along each axis. Threshold 0.25.
        var set = new DetectionSet(4, 64);
        AddMasked(set, new BoundingBox(0, 0, 8, 8), 0.9f, CarClass, 2, 0f, 0f, 4f, 4f, 0f, 0f, 0f, 1f);

        var frame = Compose(Composer(1, threshold: 0.25f), 8, 8, set);

        Assert.Equal("00000000|00000000|00000000|00000111|00001111|00011111|00011111|00011111", MapText(frame));
        Assert.Equal(3 + 4 + 5 * 3, frame.Segments[0].Area);
    }

    [Fact]
    public void Compose_MaskLargerThanBox_OnlyPixelsInsideBox()
    {
        var set = new DetectionSet(4, 64);
        AddMasked(set, new BoundingBox(2, 2, 5, 5), 0.9f, CarClass, 2, 0f, 0f, 4f, 4f, 1f, 1f, 1f, 1f);

        var frame = Compose(Composer(1), 8, 8, set);

        Assert.Equal("00000000|00000000|00111000|00111000|00111000|00000000|00000000|00000000", MapText(frame));
    }

    [Fact]
    public void Compose_MaskOffsetFromImageOrigin_UsesGridOrigin()
    {
        // One-cell-high grid [0, 1] whose cells are 2 px wide starting at x = 4 (cell centres at 5 and 7): values at
        // pixel centres x ≤ 5 → 0 (clamped), 5.5 → .25, 6.5 → .75, 7.5 → 1.
        var set = new DetectionSet(4, 64);
        AddMasked(set, new BoundingBox(0, 0, 8, 1), 0.9f, CarClass, 2, 4f, 0f, 2f, 1f, 0f, 1f);

        var frame = Compose(Composer(1), 8, 1, set);

        Assert.Equal("00000011", MapText(frame));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Compose_OverlappingThings_HigherScoreWinsWhateverTheOrder(bool highFirst)
    {
        (float, float, float, float, float, int) low = (0, 0, 6, 4, 0.6f, CarClass);
        (float, float, float, float, float, int) high = (3, 1, 8, 5, 0.9f, PersonClass);
        DetectionSet set = highFirst ? Boxes(high, low) : Boxes(low, high);

        var frame = Compose(Composer(1), 8, 6, set);

        // Painted in descending score: the person is segment 1, the car 2.
        Assert.Equal("22222200|22211111|22211111|22211111|00011111|00000000", MapText(frame));
        Assert.Equal(PersonCategory, Segment(frame, 1).CategoryId);
        Assert.Equal(20, Segment(frame, 1).Area);
        Assert.Equal(15, Segment(frame, 2).Area);
        // The car's bbox is of its visible pixels: still 6 wide and 4 high here.
        Assert.Equal((0f, 0f, 6f, 4f), (Segment(frame, 2).BboxX, Segment(frame, 2).BboxY, Segment(frame, 2).BboxWidth, Segment(frame, 2).BboxHeight));
    }

    [Fact]
    public void Compose_EqualScores_LowerIndexWins()
    {
        var frame = Compose(Composer(1), 4, 1, Boxes((0, 0, 3, 1, 0.7f, CarClass), (1, 0, 4, 1, 0.7f, PersonClass)));

        Assert.Equal("1112", MapText(frame));
        Assert.Equal(CarCategory, Segment(frame, 1).CategoryId);
    }

    [Fact]
    public void Compose_ThingBelowMinArea_BecomesVoidNotWhatLiesBeneath()
    {
        // A small high-score thing inside a big low-score one: the small one has 2 pixels < 4, so it is dropped and
        // its pixels become void; the big one does not get them.
        var frame = Compose(Composer(1, minArea: 4), 8, 6, Boxes((0, 0, 8, 6, 0.5f, CarClass), (2, 2, 3, 4, 0.9f, PersonClass)));

        Assert.Equal("11111111|11111111|11011111|11011111|11111111|11111111", MapText(frame));
        PanopticSegment s = Assert.Single(frame.Segments.ToArray());
        Assert.Equal(1, s.Id);
        Assert.Equal(CarCategory, s.CategoryId);
        Assert.Equal(46, s.Area);
    }

    [Fact]
    public void Compose_VoidedThingOverStuff_StaysVoid()
    {
        SemanticMap road = Semantic(1, 1, 0f, 0f, 8f, 6f, 1);

        var frame = Compose(Composer(1, minArea: 4), 8, 6, Boxes((2, 2, 3, 4, 0.9f, PersonClass)), road);

        Assert.Equal("11111111|11111111|11011111|11011111|11111111|11111111", MapText(frame));
        Assert.Equal(RoadCategory, Assert.Single(frame.Segments.ToArray()).CategoryId);
    }

    [Fact]
    public void Compose_StuffAndThings_ThingsOverStuffIdsThingsThenStuffByFirstAppearance()
    {
        // 8x8 image, divisor 2 → 4x4 map; the semantic map is 4x4 with 2 px cells, so one cell per map pixel.
        // Rows 0–1 sky (0); rows 2–3 road (1), with lane mark (3 → road) at (3,3) and no class at (0,3).
        SemanticMap semantic = Semantic(4, 4, 0f, 0f, 2f, 2f,
            0, 0, 0, 0,
            0, 0, 0, 0,
            1, 1, 1, 1,
            SemanticMap.NoClass, 1, 1, 3);

        var frame = Compose(Composer(2), 8, 8, Boxes((2, 4, 6, 8, 0.8f, PersonClass)), semantic);

        Assert.Equal("2222|2222|3113|0113", MapText(frame));
        Assert.Equal(3, frame.SegmentCount);
        PanopticSegment person = Segment(frame, 1), sky = Segment(frame, 2), road = Segment(frame, 3);
        Assert.True(person.IsThing);
        Assert.Equal(16, person.Area);
        Assert.Equal((false, SkyCategory, 0, 1f), (sky.IsThing, sky.CategoryId, sky.TrackId, sky.Score));
        Assert.Equal(32, sky.Area);
        Assert.Equal((0f, 0f, 8f, 4f), (sky.BboxX, sky.BboxY, sky.BboxWidth, sky.BboxHeight));
        Assert.Equal((4f, 2f), (sky.CentroidX, sky.CentroidY));
        Assert.Equal(RoadCategory, road.CategoryId);
        Assert.Equal(12, road.Area);
        Assert.Equal((0f, 4f, 8f, 4f), (road.BboxX, road.BboxY, road.BboxWidth, road.BboxHeight));
        // Road pixels (0,2), (3,2), (3,3): mean u = 2, mean v = 7/3; centre = (mean + 0.5)·2.
        Assert.Equal(5f, road.CentroidX, 1e-5f);
        Assert.Equal((7f / 3f + 0.5f) * 2f, road.CentroidY, 1e-5f);
    }

    [Fact]
    public void Compose_SemanticMapAtOtherResolution_SampledNearest()
    {
        // 3x2 semantic cells of 2x2 px over a 6x4 image, map at full resolution.
        SemanticMap semantic = Semantic(3, 2, 0f, 0f, 2f, 2f,
            0, 1, 2,
            1, 1, 0);

        var frame = Compose(Composer(1), 6, 4, Boxes(), semantic);

        // Ids by first appearance: sky 1, road 2, curb 3.
        Assert.Equal("112233|112233|222211|222211", MapText(frame));
        Assert.Equal([SkyCategory, RoadCategory, CurbCategory], frame.Segments.ToArray().Select(s => s.CategoryId));
        Assert.Equal(4 + 4, Segment(frame, 1).Area);
    }

    [Fact]
    public void Compose_SemanticMapCoveringPartOfImage_RestIsVoid()
    {
        // Letterboxed: the semantic map covers image rows 1…2 only, and columns 0…3 of 6. Road appears first (id 1).
        SemanticMap semantic = Semantic(2, 2, 0f, 1f, 2f, 1f,
            1, 1,
            0, 1);

        var frame = Compose(Composer(1), 6, 4, Boxes(), semantic);

        Assert.Equal("000000|111100|221100|000000", MapText(frame));
    }

    [Fact]
    public void Compose_TinyStuffRegion_BecomesVoid()
    {
        SemanticMap semantic = Semantic(4, 2, 0f, 0f, 1f, 1f,
            1, 1, 1, 2,
            1, 1, 1, 1);

        var frame = Compose(Composer(1, minArea: 2), 4, 2, Boxes(), semantic);

        Assert.Equal("1110|1111", MapText(frame));
        Assert.Equal(RoadCategory, Assert.Single(frame.Segments.ToArray()).CategoryId);
    }

    [Fact]
    public void Compose_TinyStuffAppearingFirst_LaterStuffIdsMoveDown()
    {
        // Person (id 1) on the right; curb appears first in raster order but has 1 pixel < 2, so it becomes void and
        // road and sky, which appeared after it, take ids 2 and 3.
        SemanticMap semantic = Semantic(6, 2, 0f, 0f, 1f, 1f,
            2, 1, 1, 1, 1, 1,
            0, 0, 1, 1, 1, 1);

        var frame = Compose(Composer(1, minArea: 2), 6, 2, Boxes((4, 0, 6, 2, 0.9f, PersonClass)), semantic);

        Assert.Equal("022211|332211", MapText(frame));
        Assert.Equal([PersonCategory, RoadCategory, SkyCategory], frame.Segments.ToArray().Select(s => s.CategoryId));
        Assert.Equal([1, 2, 3], frame.Segments.ToArray().Select(s => s.Id));
        Assert.Equal(5, Segment(frame, 2).Area);
    }

    [Fact]
    public void Compose_UnmappedOrUnknownClass_NotPainted()
    {
        var frame = Compose(Composer(1), 4, 1, Boxes((0, 0, 2, 1, 0.9f, IgnoredClass), (2, 0, 4, 1, 0.9f, 17)));

        Assert.Equal("0000", MapText(frame));
        Assert.Equal(0, frame.SegmentCount);
    }

    [Fact]
    public void Compose_WithTracks_TrackIdAgeAndVelocityInPixelsPerSecond()
    {
        var set = Boxes((0, 0, 2, 2, 0.9f, CarClass), (4, 0, 6, 2, 0.8f, PersonClass));
        TrackInfo[] tracks = [new TrackInfo(7, 1.5f, -2f, 12), TrackInfo.Untracked];

        var frame = Compose(Composer(1), 8, 2, set, tracks: tracks);

        PanopticSegment car = Segment(frame, 1), person = Segment(frame, 2);
        Assert.Equal((7, 37.5f, -50f, 12), (car.TrackId, car.VelocityX, car.VelocityY, car.AgeFrames));
        Assert.Equal((0, 0f, 0f, 0), (person.TrackId, person.VelocityX, person.VelocityY, person.AgeFrames));
    }

    [Fact]
    public void Compose_Header_FromMetadataAndStampsKept()
    {
        var composer = Composer(2);
        var frame = new PanopticFrame();
        frame.Stamp(PipelineStage.Inferred, 4242);
        var meta = new FrameMetadata(3, 99, 1_700_000_000_000_000_000, 555, 16, 8);

        composer.Compose(meta, Boxes(), [], null, 30f, frame);

        Assert.Equal((3, 99L, 1_700_000_000_000_000_000L, 555L), (frame.StreamIndex, frame.Sequence, frame.CaptureUtcNs, frame.CaptureMonotonicNs));
        Assert.Equal((16, 8, 8, 4), (frame.ImageWidth, frame.ImageHeight, frame.MapWidth, frame.MapHeight));
        Assert.Equal(Categories.Version, frame.CategoryTableVersion);
        Assert.Equal(4242L, frame.StageNs[(int)PipelineStage.Inferred]);
    }

    [Fact]
    public void Compose_ReusedFrame_NothingLeftFromPreviousFrame()
    {
        var composer = Composer(1);
        var frame = new PanopticFrame();
        composer.Compose(Meta(8, 6), Boxes((0, 0, 8, 6, 0.9f, CarClass)), [], null, 25f, frame);

        composer.Compose(Meta(4, 2), Boxes(), [], null, 25f, frame);

        Assert.Equal("0000|0000", MapText(frame));
        Assert.Equal(0, frame.SegmentCount);
    }

    [Fact]
    public void Compose_AfterWarmUp_AllocatesNothing()
    {
        var composer = new PanopticComposer(new ComposerOptions(), Categories, ThingMap, StuffMap);
        var (detections, semantic) = RealisticScene.Build(1280, 720, instances: 20, seed: 5);
        var frame = new PanopticFrame();
        var tracks = new TrackInfo[detections.Count];
        var meta = Meta(1280, 720);
        composer.Compose(meta, detections, tracks, semantic, 30f, frame);
        composer.Compose(meta, detections, tracks, semantic, 30f, frame);

        long allocated = AllocationProbe.MinAllocatedBytes(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                composer.Compose(meta, detections, tracks, semantic, 30f, frame);
            }
        });

        Assert.Equal(0L, allocated);
        Assert.True(frame.SegmentCount > 10, "the scene should produce many segments");
    }

    [Fact]
    public void Compose_TracksShorterThanDetections_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Composer().Compose(Meta(8, 8), Boxes((0, 0, 2, 2, 0.9f, CarClass), (4, 4, 6, 6, 0.9f, CarClass)), new TrackInfo[1], null, 25f, new PanopticFrame()));
        Assert.Equal("tracks", ex.ParamName);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void Compose_BadFrameRate_Throws(float fps)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Composer().Compose(Meta(8, 8), Boxes(), [], null, fps, new PanopticFrame()));
        Assert.Equal("framesPerSecond", ex.ParamName);
    }

    [Fact]
    public void Constructor_ThingClassMappedToStuffCategory_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PanopticComposer(new ComposerOptions(), Categories, [RoadCategory], StuffMap));
        Assert.Equal("thingCategoryForClass", ex.ParamName);
        Assert.Contains("road", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_StuffClassMappedToUnknownCategory_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PanopticComposer(new ComposerOptions(), Categories, ThingMap, [SkyCategory, 999]));
        Assert.Equal("stuffCategoryForClass", ex.ParamName);
        Assert.Contains("999", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 16, 0.5f, nameof(ComposerOptions.MapDivisor))]
    [InlineData(0, 16, 0.5f, nameof(ComposerOptions.MapDivisor))]
    [InlineData(2, -1, 0.5f, nameof(ComposerOptions.MinSegmentArea))]
    [InlineData(2, 16, 0f, nameof(ComposerOptions.MaskThreshold))]
    [InlineData(2, 16, 1.5f, nameof(ComposerOptions.MaskThreshold))]
    public void Validate_BadOption_ThrowsNamingIt(int divisor, int minArea, float threshold, string name)
    {
        var options = new ComposerOptions { MapDivisor = divisor, MinSegmentArea = minArea, MaskThreshold = threshold };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(name, ex.ParamName);
    }
}
