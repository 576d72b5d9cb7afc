using System.Buffers;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Protocol.Tests;

/// <summary>Round trips of real COCO val2017 panoptic ground truth (shared assets).</summary>
public sealed class CocoPanopticRoundTripTests
{
    [AssetTheory]
    [InlineData("000000439180", 32, MapEncoding.Rle16)]
    [InlineData("000000142238", 18, MapEncoding.Rle16)]
    [InlineData("000000439180", 32, MapEncoding.Raw16)]
    public void Write_CocoGroundTruthFrame_RoundTripsMapAndSegments(string imageId, int segments, MapEncoding encoding)
    {
        CategoryTable categories = CocoPanopticSample.LoadCategories();
        PanopticFrame frame = CocoPanopticSample.LoadFrame(imageId, categories);
        var buffer = new ArrayBufferWriter<byte>();
        var decoded = new PanopticFrame();

        new PanopticFrameSerializer(encoding).Write(buffer, frame);
        new PanopticFrameDeserializer().Read(buffer.WrittenMemory, decoded);

        Assert.Equal(segments, decoded.SegmentCount);
        FrameAssert.Equal(frame, decoded);
    }

    [AssetFact]
    public void LoadFrame_CocoGroundTruth_PixelCountsMatchAnnotatedAreas()
    {
        // Guards the test data itself: if the PNG decoding were wrong the round trip could pass on garbage.
        CategoryTable categories = CocoPanopticSample.LoadCategories();
        PanopticFrame frame = CocoPanopticSample.LoadFrame("000000439180", categories);
        int[] counts = new int[frame.SegmentCount + 1];
        foreach (ushort id in frame.Map)
        {
            counts[id]++;
        }

        Assert.Equal((640, 360), (frame.MapWidth, frame.MapHeight));
        foreach (PanopticSegment s in frame.Segments)
        {
            Assert.Equal(s.Area, counts[s.Id]);
        }
    }

    [AssetFact]
    public void Write_CocoFrame_Rle16IsUnderTenPercentOfRaw16()
    {
        CategoryTable categories = CocoPanopticSample.LoadCategories();
        PanopticFrame frame = CocoPanopticSample.LoadFrame("000000439180", categories);
        var rle = new ArrayBufferWriter<byte>();

        new PanopticFrameSerializer().Write(rle, frame);

        Assert.True(rle.WrittenCount < 640 * 360 * 2 / 10, $"rle16 message is {rle.WrittenCount} B");
    }

    [AssetFact]
    public void Write_Coco133Categories_RoundTrip()
    {
        CategoryTable categories = CocoPanopticSample.LoadCategories();

        CategoryTableMessage message = CategoryTableSerializer.Read(CategoryTableSerializer.ToArray("s0", categories));

        Assert.Equal(133, message.Categories.Categories.Count);
        Assert.Equal(categories.Categories, message.Categories.Categories);
        Assert.Equal(categories.Version, message.Version);
        Assert.True(message.Categories.TryGet(184, out Category stuff));
        Assert.False(stuff.IsThing);
    }
}
