using System.Globalization;
using System.Runtime.InteropServices;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Synthetic;

/// <summary>
/// Writes a synthetic drive as a dataset in the layouts the reference evaluators read (MOTChallenge for tracking,
/// COCO panoptic for segmentation):
/// <code>
/// OUT/synth-drive-seed&lt;S&gt;/img1/000001.png …     frames, lossless PNG
/// OUT/synth-drive-seed&lt;S&gt;/gt/gt.txt              frame,id,x,y,w,h,1,class,visibility (things only)
/// OUT/synth-drive-seed&lt;S&gt;/seqinfo.ini             [Sequence] name, imDir, frameRate, seqLength, imWidth, imHeight, imExt
/// OUT/synth-drive-seed&lt;S&gt;/panoptic/000001.png …  RGB segment ids, id = R + 256·G + 256²·B (0 void; none in this scene)
/// OUT/synth-drive-seed&lt;S&gt;/panoptic.json           COCO panoptic info / images / annotations / categories
/// </code>
/// The MOTChallenge and COCO panoptic files are written by RealtimeSeg.Formats, the same writers as the pipeline's dumps.
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
        using var scene = new SyntheticDriveScene(options);
        SyntheticGroundTruth truth = scene.CreateGroundTruth();
        using var imageMat = Mat.FromPixelData(height, width, MatType.CV_8UC3, Marshal.UnsafeAddrOfPinnedArrayElement(image, 0), stride);

        CocoPanopticDataset coco = CreateCocoDataset(options);
        var things = new List<SyntheticSegment>();
        using (MotTrackWriter mot = MotTrackWriter.Create(dataset.MotGroundTruthPath))
        {
            for (int frame = 1; frame <= frameCount; frame++)
            {
                ct.ThrowIfCancellationRequested();
                scene.Render(frame - 1, image, stride, truth);
                string fileName = FileName(frame);
                string imagePath = Path.Combine(dataset.ImageDirectory, fileName);
                if (!Cv2.ImWrite(imagePath, imageMat))
                {
                    throw new IOException($"OpenCV could not write '{imagePath}'");
                }
                PanopticIdPng.Write(Path.Combine(dataset.PanopticDirectory, fileName), width, height, truth.Map);
                coco.Images.Add(new CocoImage(frame, fileName, width, height));
                coco.Annotations.Add(Annotation(frame, truth));
                WriteMotRows(mot, things, frame, truth);
                if (frame % 100 == 0 || frame == frameCount)
                {
                    log.Info($"synth export {name}: {frame}/{frameCount} frames");
                }
            }
        }
        coco.Save(dataset.PanopticJsonPath);
        new MotSeqInfo
        {
            Name = name,
            ImageDirectory = "img1",
            FrameRate = options.FramesPerSecond,
            SeqLength = frameCount,
            ImageWidth = width,
            ImageHeight = height,
            ImageExtension = ".png",
        }.WriteFile(dataset.SeqInfoPath);
        return dataset;
    }

    /// <summary>The file name of 1-based frame <paramref name="frame"/> in img1/ and panoptic/: 000001.png.</summary>
    public static string FileName(int frame) => string.Create(CultureInfo.InvariantCulture, $"{frame:D6}.png");

    private static void WriteMotRows(MotTrackWriter mot, List<SyntheticSegment> things, int frame, SyntheticGroundTruth truth)
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
            // Four decimals, half away from zero: what a share of pixels is worth, and what earlier exports wrote.
            mot.WriteGroundTruth(frame, s.ObjectId, s.X, s.Y, s.Width, s.Height, SyntheticCategories.MotClassOf(s.Kind), Math.Round(s.Visibility, 4, MidpointRounding.AwayFromZero));
        }
    }

    private static CocoPanopticDataset CreateCocoDataset(SyntheticDriveOptions options)
    {
        var coco = new CocoPanopticDataset();
        coco.Info["description"] = "RealtimeSeg synthetic drive: exact panoptic and tracking ground truth";
        coco.Info["source"] = options.ToUri();
        coco.Info["bbox_convention"] = "0-based pixel x, y, width, height of the visible extent";
        foreach (Category c in SyntheticCategories.Table.Categories)
        {
            string supercategory = c.Id switch
            {
                SyntheticCategories.Building => "construction",
                SyntheticCategories.Vegetation => "nature",
                SyntheticCategories.Sky => "sky",
                SyntheticCategories.Person => "human",
                SyntheticCategories.Car or SyntheticCategories.Bicycle => "vehicle",
                _ => "flat",
            };
            coco.Categories.Add(new CocoCategory(c.Id, c.Name, c.IsThing, c.Color, supercategory));
        }
        return coco;
    }

    private static CocoPanopticAnnotation Annotation(int frame, SyntheticGroundTruth truth)
    {
        var annotation = new CocoPanopticAnnotation(frame, FileName(frame));
        foreach (SyntheticSegment s in truth.Segments)
        {
            annotation.Segments.Add(new CocoSegmentInfo
            {
                Id = s.Id,
                CategoryId = s.CategoryId,
                BboxX = s.X,
                BboxY = s.Y,
                BboxWidth = s.Width,
                BboxHeight = s.Height,
                Area = s.Area,
                TrackId = s.ObjectId,
            });
        }
        return annotation;
    }
}
