using System.Text.Json;
using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Protocol.Tests.Support;

/// <summary>
/// Real panoptic frames from the COCO val2017 ground truth in the shared assets
/// (panoptic/coco-sample): the PNG maps become segment-id maps, segments_info becomes segments, and the
/// 133 COCO panoptic categories become a <see cref="CategoryTable"/>.
/// </summary>
public static class CocoPanopticSample
{
    public const string Folder = "panoptic/coco-sample";

    /// <summary>"000000439180" is 640x360 with 32 segments; "000000142238" is 640x427 with 18.</summary>
    public static readonly string[] ImageIds = ["000000439180", "000000142238"];

    public static CategoryTable LoadCategories()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(TestAssets.Path($"{Folder}/panoptic_coco_categories.json")));
        var list = new List<Category>();
        foreach (JsonElement c in doc.RootElement.EnumerateArray())
        {
            JsonElement rgb = c.GetProperty("color");
            int color = (rgb[0].GetInt32() << 16) | (rgb[1].GetInt32() << 8) | rgb[2].GetInt32();
            list.Add(new Category(c.GetProperty("id").GetInt32(), c.GetProperty("name").GetString()!, c.GetProperty("isthing").GetInt32() == 1, color));
        }
        return new CategoryTable(list);
    }

    /// <summary>Builds the panoptic frame of one sample image, segment ids 1…N in segments_info order.</summary>
    public static PanopticFrame LoadFrame(string imageId, CategoryTable categories, string streamName = "s0", long sequence = 0)
    {
        byte[] rgb = PngRgbDecoder.Decode(TestAssets.Path($"{Folder}/panoptic_examples/{imageId}.png"), out int width, out int height);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(TestAssets.Path($"{Folder}/panoptic_examples.json")));
        JsonElement annotation = default;
        foreach (JsonElement a in doc.RootElement.GetProperty("annotations").EnumerateArray())
        {
            if (a.GetProperty("file_name").GetString() == imageId + ".png")
            {
                annotation = a;
            }
        }
        if (annotation.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"no annotation for {imageId}");
        }

        var frame = new PanopticFrame();
        frame.Reset(width, height);
        frame.StreamName = streamName;
        frame.Sequence = sequence;
        frame.ImageWidth = width;
        frame.ImageHeight = height;
        frame.CategoryTableVersion = categories.Version;

        var cocoToSegment = new Dictionary<int, int>();
        int index = 0;
        foreach (JsonElement s in annotation.GetProperty("segments_info").EnumerateArray())
        {
            index++;
            cocoToSegment[s.GetProperty("id").GetInt32()] = index;
            int categoryId = s.GetProperty("category_id").GetInt32();
            categories.TryGet(categoryId, out Category category);
            JsonElement box = s.GetProperty("bbox");
            ref PanopticSegment seg = ref frame.AddSegment();
            seg.Id = index;
            seg.CategoryId = categoryId;
            seg.IsThing = category.IsThing;
            seg.TrackId = category.IsThing ? 1000 + index : 0;
            seg.Score = 1f - index / 100f;
            seg.BboxX = box[0].GetSingle();
            seg.BboxY = box[1].GetSingle();
            seg.BboxWidth = box[2].GetSingle();
            seg.BboxHeight = box[3].GetSingle();
            seg.Area = s.GetProperty("area").GetInt32();
            seg.VelocityX = category.IsThing ? index * 1.5f : 0f;
            seg.VelocityY = category.IsThing ? -index * 0.25f : 0f;
            seg.AgeFrames = category.IsThing ? index * 3 : 0;
            seg.Flags = s.GetProperty("iscrowd").GetInt32() == 1 ? SegmentFlags.BoxMask : SegmentFlags.None;
        }

        Span<ushort> map = frame.Map;
        Span<double> sumX = new double[index + 1], sumY = new double[index + 1];
        Span<int> count = new int[index + 1];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int p = (y * width + x) * 3;
                int cocoId = rgb[p] + 256 * rgb[p + 1] + 65536 * rgb[p + 2];
                int id = cocoToSegment.GetValueOrDefault(cocoId);
                map[y * width + x] = (ushort)id;
                sumX[id] += x + 0.5;
                sumY[id] += y + 0.5;
                count[id]++;
            }
        }
        foreach (ref PanopticSegment seg in frame.Segments)
        {
            if (count[seg.Id] > 0)
            {
                seg.CentroidX = (float)(sumX[seg.Id] / count[seg.Id]);
                seg.CentroidY = (float)(sumY[seg.Id] / count[seg.Id]);
            }
        }
        return frame;
    }
}
