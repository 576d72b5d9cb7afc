using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using OpenCvSharp;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Synthetic;

/// <summary>
/// Writes a synthetic drive as a dataset in the layouts the reference evaluators read (MOTChallenge for tracking,
/// COCO panoptic for segmentation):
/// <code>
/// OUT/synth-drive-seed&lt;S&gt;/img1/000001.png …     frames, lossless PNG
/// OUT/synth-drive-seed&lt;S&gt;/gt/gt.txt              frame,id,x,y,w,h,1,class,visibility (things only)
/// OUT/synth-drive-seed&lt;S&gt;/seqinfo.ini             [Sequence] name, imDir, frameRate, seqLength, imWidth, imHeight, imExt
/// OUT/synth-drive-seed&lt;S&gt;/panoptic/000001.png …  RGB segment ids, id = R + 256·G + 256²·B (0 void; none in this scene)
/// OUT/synth-drive-seed&lt;S&gt;/panoptic.json           COCO panoptic images / annotations / categories
/// </code>
/// Frame numbers and image ids are 1-based (frame k is sequence number k-1 of the synthetic source with the same
/// options). Boxes everywhere are the visible extent after occlusion in 0-based pixel coordinates, x y w h with w and h
/// the pixel counts spanned (as COCO; the pipeline's dumps use the same convention). gt.txt's id is the persistent
/// object id, its class the MOTChallenge code (<see cref="SyntheticCategories.MotClassOf"/>), its visibility the
/// visible share of the object (<see cref="SyntheticSegment.Visibility"/>); rows are sorted by frame, then id.
/// panoptic.json's segments_info carry id, category_id, iscrowd 0, bbox, area, and a non-standard <c>track_id</c>:
/// the persistent object id for things, 0 for stuff. A thing's segment id is per frame; stuff segment ids equal their
/// category ids. An existing sequence directory of the same name is replaced.
/// </summary>
public static class SyntheticDatasetExporter
{
    public static string SequenceName(long seed) => string.Create(CultureInfo.InvariantCulture, $"synth-drive-seed{seed}");

    /// <summary>Exports frames 1…<paramref name="frameCount"/> of <c>synthetic:drive?seed=S&amp;size=WxH</c> (30 fps, density 0.5).</summary>
    public static SyntheticDataset Export(long seed, int frameCount, int width, int height, string outputDirectory)
        => Export(new SyntheticDriveOptions { Seed = seed, Width = width, Height = height }, frameCount, outputDirectory);

    /// <summary>Exports frames 1…<paramref name="frameCount"/> of the drive <paramref name="options"/> under <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="ConfigurationException">An option is out of range.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static SyntheticDataset Export(
        SyntheticDriveOptions options, int frameCount, string outputDirectory, IPipelineLog? log = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        options.Validate();
        log ??= NullPipelineLog.Instance;

        string name = SequenceName(options.Seed);
        string sequence = Path.GetFullPath(Path.Combine(outputDirectory, name));
        var dataset = new SyntheticDataset(
            name,
            sequence,
            frameCount,
            Path.Combine(sequence, "img1"),
            Path.Combine(sequence, "gt", "gt.txt"),
            Path.Combine(sequence, "seqinfo.ini"),
            Path.Combine(sequence, "panoptic"),
            Path.Combine(sequence, "panoptic.json"));
        foreach (string dir in (ReadOnlySpan<string>)[dataset.ImageDirectory, dataset.PanopticDirectory])
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
            Directory.CreateDirectory(dir);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(dataset.MotGroundTruthPath)!);

        int width = options.Width, height = options.Height;
        int stride = width * 3;
        byte[] image = GC.AllocateArray<byte>(stride * height, pinned: true);
        byte[] ids = GC.AllocateArray<byte>(stride * height, pinned: true);
        using var scene = new SyntheticDriveScene(options);
        SyntheticGroundTruth truth = scene.CreateGroundTruth();
        using var imageMat = Mat.FromPixelData(height, width, MatType.CV_8UC3, Marshal.UnsafeAddrOfPinnedArrayElement(image, 0), stride);
        using var idMat = Mat.FromPixelData(height, width, MatType.CV_8UC3, Marshal.UnsafeAddrOfPinnedArrayElement(ids, 0), stride);

        var mot = new StringBuilder();
        var things = new List<SyntheticSegment>();
        using var jsonStream = new FileStream(dataset.PanopticJsonPath, FileMode.Create, FileAccess.Write, FileShare.None);
        using var json = new Utf8JsonWriter(jsonStream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        WriteInfo(json, options);
        json.WriteStartArray("images");
        for (int frame = 1; frame <= frameCount; frame++)
        {
            json.WriteStartObject();
            json.WriteNumber("id", frame);
            json.WriteString("file_name", FileName(frame));
            json.WriteNumber("width", width);
            json.WriteNumber("height", height);
            json.WriteNumber("frame_id", frame);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("annotations");
        for (int frame = 1; frame <= frameCount; frame++)
        {
            ct.ThrowIfCancellationRequested();
            scene.Render(frame - 1, image, stride, truth);
            EncodeIds(truth, ids);
            Write(Path.Combine(dataset.ImageDirectory, FileName(frame)), imageMat);
            Write(Path.Combine(dataset.PanopticDirectory, FileName(frame)), idMat);
            WriteAnnotation(json, frame, truth);
            AppendMotRows(mot, things, frame, truth);
            if (frame % 100 == 0 || frame == frameCount)
            {
                log.Info($"synth export {name}: {frame}/{frameCount} frames");
            }
        }
        json.WriteEndArray();
        WriteCategories(json);
        json.WriteEndObject();
        json.Flush();

        File.WriteAllText(dataset.MotGroundTruthPath, mot.ToString());
        File.WriteAllText(dataset.SeqInfoPath, string.Create(CultureInfo.InvariantCulture,
            $"[Sequence]\nname={name}\nimDir=img1\nframeRate={options.FramesPerSecond}\nseqLength={frameCount}\nimWidth={width}\nimHeight={height}\nimExt=.png\n"));
        return dataset;
    }

    /// <summary>The file name of 1-based frame <paramref name="frame"/> in img1/ and panoptic/: 000001.png.</summary>
    public static string FileName(int frame) => string.Create(CultureInfo.InvariantCulture, $"{frame:D6}.png");

    /// <summary>Segment ids as the COCO panoptic PNG wants them (R + 256·G + 256²·B), in OpenCV's BGR byte order.</summary>
    private static void EncodeIds(SyntheticGroundTruth truth, byte[] bgr)
    {
        ReadOnlySpan<ushort> map = truth.Map;
        for (int i = 0, o = 0; i < map.Length; i++, o += 3)
        {
            ushort id = map[i];
            bgr[o] = 0;
            bgr[o + 1] = (byte)(id >> 8);
            bgr[o + 2] = (byte)id;
        }
    }

    private static void Write(string path, Mat mat)
    {
        if (!Cv2.ImWrite(path, mat))
        {
            throw new IOException($"OpenCV could not write '{path}'");
        }
    }

    private static void AppendMotRows(StringBuilder mot, List<SyntheticSegment> things, int frame, SyntheticGroundTruth truth)
    {
        things.Clear();
        foreach (SyntheticSegment s in truth.Segments)
        {
            if (s.IsThing)
            {
                things.Add(s);
            }
        }
        // Segments come in drawing order; MOTChallenge files read best sorted by id within a frame.
        things.Sort(static (a, b) => a.ObjectId.CompareTo(b.ObjectId));
        foreach (SyntheticSegment s in things)
        {
            mot.Append(CultureInfo.InvariantCulture,
                $"{frame},{s.ObjectId},{s.X},{s.Y},{s.Width},{s.Height},1,{SyntheticCategories.MotClassOf(s.Kind)},{s.Visibility:0.####}\n");
        }
    }

    private static void WriteInfo(Utf8JsonWriter json, SyntheticDriveOptions options)
    {
        json.WriteStartObject("info");
        json.WriteString("description", "RealtimeSeg synthetic drive: exact panoptic and tracking ground truth");
        json.WriteString("source", options.ToUri());
        json.WriteString("bbox_convention", "0-based pixel x, y, width, height of the visible extent");
        json.WriteEndObject();
        json.WriteStartArray("licenses");
        json.WriteEndArray();
    }

    private static void WriteAnnotation(Utf8JsonWriter json, int frame, SyntheticGroundTruth truth)
    {
        json.WriteStartObject();
        json.WriteNumber("image_id", frame);
        json.WriteString("file_name", FileName(frame));
        json.WriteStartArray("segments_info");
        foreach (SyntheticSegment s in truth.Segments)
        {
            json.WriteStartObject();
            json.WriteNumber("id", s.Id);
            json.WriteNumber("category_id", s.CategoryId);
            json.WriteNumber("iscrowd", 0);
            json.WriteStartArray("bbox");
            json.WriteNumberValue(s.X);
            json.WriteNumberValue(s.Y);
            json.WriteNumberValue(s.Width);
            json.WriteNumberValue(s.Height);
            json.WriteEndArray();
            json.WriteNumber("area", s.Area);
            json.WriteNumber("track_id", s.ObjectId);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCategories(Utf8JsonWriter json)
    {
        json.WriteStartArray("categories");
        foreach (Category c in SyntheticCategories.Table.Categories)
        {
            json.WriteStartObject();
            json.WriteNumber("id", c.Id);
            json.WriteString("name", c.Name);
            json.WriteString("supercategory", c.Id switch
            {
                SyntheticCategories.Building => "construction",
                SyntheticCategories.Vegetation => "nature",
                SyntheticCategories.Sky => "sky",
                SyntheticCategories.Person => "human",
                SyntheticCategories.Car or SyntheticCategories.Bicycle => "vehicle",
                _ => "flat",
            });
            json.WriteNumber("isthing", c.IsThing ? 1 : 0);
            json.WriteStartArray("color");
            json.WriteNumberValue((c.Color >> 16) & 0xFF);
            json.WriteNumberValue((c.Color >> 8) & 0xFF);
            json.WriteNumberValue(c.Color & 0xFF);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
