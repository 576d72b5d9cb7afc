namespace RealtimeSeg.Synthetic;

/// <summary>Where <see cref="SyntheticDatasetExporter.Export(SyntheticDriveOptions, int, string, Core.IPipelineLog?, CancellationToken)"/> wrote a sequence.</summary>
/// <param name="Name">Sequence name, <c>synth-drive-seed&lt;S&gt;</c>.</param>
/// <param name="SequenceDirectory">OUT/NAME.</param>
/// <param name="FrameCount">Frames written (MOTChallenge and COCO frame numbers 1…FrameCount).</param>
/// <param name="ImageDirectory">OUT/NAME/img1: 000001.png… (BGR frames as rendered).</param>
/// <param name="MotGroundTruthPath">OUT/NAME/gt/gt.txt.</param>
/// <param name="SeqInfoPath">OUT/NAME/seqinfo.ini.</param>
/// <param name="PanopticDirectory">OUT/NAME/panoptic: 000001.png… (segment id = R + 256·G + 256²·B).</param>
/// <param name="PanopticJsonPath">OUT/NAME/panoptic.json (COCO panoptic).</param>
public sealed record SyntheticDataset(
    string Name,
    string SequenceDirectory,
    int FrameCount,
    string ImageDirectory,
    string MotGroundTruthPath,
    string SeqInfoPath,
    string PanopticDirectory,
    string PanopticJsonPath);
