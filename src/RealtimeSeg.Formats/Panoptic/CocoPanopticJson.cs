using System.Runtime.InteropServices;
using System.Text.Json;

namespace RealtimeSeg.Formats.Panoptic;

/// <summary>Reads and writes <see cref="CocoPanopticDataset"/> with System.Text.Json, naming the file and field on errors.</summary>
internal static class CocoPanopticJson
{
    public static CocoPanopticDataset Parse(ReadOnlySpan<byte> utf8Json, string source)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, "$", "the top level is not an object");
            }
            var dataset = new CocoPanopticDataset();
            if (root.TryGetProperty("info", out JsonElement info) && info.ValueKind == JsonValueKind.Object)
            {
                // Free-form: only the string entries are kept, nothing in it is required.
                foreach (JsonProperty entry in info.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.String)
                    {
                        dataset.Info[entry.Name] = entry.Value.GetString()!;
                    }
                }
            }
            if (root.TryGetProperty("categories", out JsonElement categories))
            {
                int i = 0;
                foreach (JsonElement c in Array(categories, source, "categories").EnumerateArray())
                {
                    dataset.Categories.Add(ReadCategory(c, source, $"categories[{i++}]"));
                }
            }
            if (root.TryGetProperty("images", out JsonElement images))
            {
                int i = 0;
                foreach (JsonElement image in Array(images, source, "images").EnumerateArray())
                {
                    dataset.Images.Add(ReadImage(image, source, $"images[{i++}]"));
                }
            }
            if (!root.TryGetProperty("annotations", out JsonElement annotations))
            {
                throw Error(source, "annotations", "missing");
            }
            int k = 0;
            foreach (JsonElement a in Array(annotations, source, "annotations").EnumerateArray())
            {
                dataset.Annotations.Add(ReadAnnotation(a, source, $"annotations[{k++}]"));
            }
            return dataset;
        }
    }

    public static void Write(CocoPanopticDataset dataset, Stream output)
    {
        using var w = new Utf8JsonWriter(output);
        Write(w, dataset, CollectionsMarshal.AsSpan(dataset.Images), CollectionsMarshal.AsSpan(dataset.Annotations), dataset.Categories);
    }

    /// <summary>
    /// One COCO panoptic object with <paramref name="dataset"/>'s info, the given images and annotations, and
    /// <paramref name="categories"/> (empty for none): the whole file, or one line of a <see cref="CocoPanopticJournal"/>.
    /// </summary>
    public static void Write(Utf8JsonWriter w, CocoPanopticDataset dataset, ReadOnlySpan<CocoImage> images,
        ReadOnlySpan<CocoPanopticAnnotation> annotations, List<CocoCategory> categories)
    {
        w.WriteStartObject();
        if (dataset.Info.Count > 0)
        {
            w.WriteStartObject("info");
            foreach ((string key, string value) in dataset.Info)
            {
                w.WriteString(key, value);
            }
            w.WriteEndObject();
        }
        w.WriteStartArray("images");
        foreach (CocoImage image in images)
        {
            w.WriteStartObject();
            WriteImageId(w, "id", image.Id);
            w.WriteString("file_name", image.FileName);
            w.WriteNumber("width", image.Width);
            w.WriteNumber("height", image.Height);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("annotations");
        foreach (CocoPanopticAnnotation a in annotations)
        {
            w.WriteStartObject();
            WriteImageId(w, "image_id", a.ImageId);
            w.WriteString("file_name", a.FileName);
            w.WriteStartArray("segments_info");
            foreach (CocoSegmentInfo s in a.Segments)
            {
                w.WriteStartObject();
                w.WriteNumber("id", s.Id);
                w.WriteNumber("category_id", s.CategoryId);
                w.WriteNumber("iscrowd", s.IsCrowd ? 1 : 0);
                w.WriteStartArray("bbox");
                w.WriteNumberValue(s.BboxX);
                w.WriteNumberValue(s.BboxY);
                w.WriteNumberValue(s.BboxWidth);
                w.WriteNumberValue(s.BboxHeight);
                w.WriteEndArray();
                w.WriteNumber("area", s.Area);
                if (s.TrackId is int track)
                {
                    w.WriteNumber("track_id", track);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("categories");
        foreach (CocoCategory c in categories)
        {
            w.WriteStartObject();
            w.WriteNumber("id", c.Id);
            w.WriteString("name", c.Name);
            if (c.Supercategory is not null)
            {
                w.WriteString("supercategory", c.Supercategory);
            }
            w.WriteNumber("isthing", c.IsThing ? 1 : 0);
            if (c.Color is int color)
            {
                w.WriteStartArray("color");
                w.WriteNumberValue((color >> 16) & 0xFF);
                w.WriteNumberValue((color >> 8) & 0xFF);
                w.WriteNumberValue(color & 0xFF);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static CocoCategory ReadCategory(JsonElement e, string source, string path)
    {
        Object(e, source, path);
        int id = Int(e, "id", source, path);
        string name = e.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : $"category_{id}";
        bool isThing = Flag(e, "isthing", source, path, required: true);
        int? color = null;
        if (e.TryGetProperty("color", out JsonElement c))
        {
            if (c.ValueKind != JsonValueKind.Array || c.GetArrayLength() != 3)
            {
                throw Error(source, path + ".color", "is not [r, g, b]");
            }
            int rgb = 0;
            foreach (JsonElement channel in c.EnumerateArray())
            {
                if (!channel.TryGetInt32(out int v) || v is < 0 or > 255)
                {
                    throw Error(source, path + ".color", "has a channel outside 0…255");
                }
                rgb = (rgb << 8) | v;
            }
            color = rgb;
        }
        string? super = e.TryGetProperty("supercategory", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        return new CocoCategory(id, name, isThing, color, super);
    }

    private static CocoImage ReadImage(JsonElement e, string source, string path)
    {
        Object(e, source, path);
        return new CocoImage(ImageId(e, "id", source, path), String(e, "file_name", source, path),
            Int(e, "width", source, path), Int(e, "height", source, path));
    }

    private static CocoPanopticAnnotation ReadAnnotation(JsonElement e, string source, string path)
    {
        Object(e, source, path);
        var annotation = new CocoPanopticAnnotation(ImageId(e, "image_id", source, path), String(e, "file_name", source, path));
        if (!e.TryGetProperty("segments_info", out JsonElement segments))
        {
            throw Error(source, path + ".segments_info", "missing");
        }
        int i = 0;
        foreach (JsonElement s in Array(segments, source, path + ".segments_info").EnumerateArray())
        {
            annotation.Segments.Add(ReadSegment(s, source, $"{path}.segments_info[{i++}]"));
        }
        return annotation;
    }

    private static CocoSegmentInfo ReadSegment(JsonElement e, string source, string path)
    {
        Object(e, source, path);
        double x = 0, y = 0, w = 0, h = 0;
        if (e.TryGetProperty("bbox", out JsonElement bbox))
        {
            if (bbox.ValueKind != JsonValueKind.Array || bbox.GetArrayLength() != 4)
            {
                throw Error(source, path + ".bbox", "is not [x, y, width, height]");
            }
            Span<double> v = stackalloc double[4];
            int k = 0;
            foreach (JsonElement number in bbox.EnumerateArray())
            {
                if (number.ValueKind != JsonValueKind.Number)
                {
                    throw Error(source, path + ".bbox", "holds a value that is not a number");
                }
                v[k++] = number.GetDouble();
            }
            (x, y, w, h) = (v[0], v[1], v[2], v[3]);
        }
        long area = 0;
        if (e.TryGetProperty("area", out JsonElement a))
        {
            if (a.ValueKind != JsonValueKind.Number)
            {
                throw Error(source, path + ".area", "is not a number");
            }
            area = a.TryGetInt64(out long whole) ? whole : (long)Math.Round(a.GetDouble());
        }
        int? track = null;
        if (e.TryGetProperty("track_id", out JsonElement t) && t.ValueKind != JsonValueKind.Null)
        {
            track = Int(e, "track_id", source, path);
        }
        return new CocoSegmentInfo
        {
            Id = Int(e, "id", source, path),
            CategoryId = Int(e, "category_id", source, path),
            IsCrowd = Flag(e, "iscrowd", source, path, required: false),
            BboxX = x,
            BboxY = y,
            BboxWidth = w,
            BboxHeight = h,
            Area = area,
            TrackId = track,
        };
    }

    private static void WriteImageId(Utf8JsonWriter w, string name, CocoImageId id)
    {
        if (id.IsNumber)
        {
            w.WriteNumber(name, id.Number);
        }
        else
        {
            w.WriteString(name, id.Text);
        }
    }

    private static CocoImageId ImageId(JsonElement e, string name, string source, string path)
    {
        if (!e.TryGetProperty(name, out JsonElement v))
        {
            throw Error(source, $"{path}.{name}", "missing");
        }
        if (v.ValueKind == JsonValueKind.String)
        {
            return CocoImageId.FromText(v.GetString()!);
        }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long number))
        {
            return CocoImageId.FromNumber(number);
        }
        throw Error(source, $"{path}.{name}", "is neither an integer nor a string");
    }

    private static int Int(JsonElement e, string name, string source, string path)
    {
        if (!e.TryGetProperty(name, out JsonElement v))
        {
            throw Error(source, $"{path}.{name}", "missing");
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int value))
        {
            throw Error(source, $"{path}.{name}", $"is not a 32-bit integer ({v.GetRawText()})");
        }
        return value;
    }

    private static string String(JsonElement e, string name, string source, string path)
    {
        if (!e.TryGetProperty(name, out JsonElement v) || v.ValueKind != JsonValueKind.String)
        {
            throw Error(source, $"{path}.{name}", "missing or not a string");
        }
        return v.GetString()!;
    }

    /// <summary>COCO writes flags as 0/1; JSON booleans are accepted too.</summary>
    private static bool Flag(JsonElement e, string name, string source, string path, bool required)
    {
        if (!e.TryGetProperty(name, out JsonElement v))
        {
            if (required)
            {
                throw Error(source, $"{path}.{name}", "missing");
            }
            return false;
        }
        switch (v.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number when v.TryGetInt32(out int i) && i is 0 or 1:
                return i == 1;
            default:
                throw Error(source, $"{path}.{name}", $"is not 0 or 1 ({v.GetRawText()})");
        }
    }

    private static void Object(JsonElement e, string source, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, path, "is not an object");
        }
    }

    private static JsonElement Array(JsonElement e, string source, string path)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw Error(source, path, "is not an array");
        }
        return e;
    }

    private static InvalidDataException Error(string source, string path, string message) => new($"{source}: {path} {message}");
}
