namespace RealtimeSeg.Pipeline.Stats;

/// <summary>
/// What a live status line shows, read while the pipeline runs without allocating (<see cref="PipelineReport"/> is the
/// whole report, built for <c>--stats</c> and the end-of-run summary).
/// </summary>
/// <param name="FramesPublished">Frames sent, all streams.</param>
/// <param name="FramesDropped">Frames dropped anywhere, all streams (as <see cref="PipelineReport.FramesDropped"/>).</param>
/// <param name="ActiveTracks">Tracks matched on their stream's latest frame, all streams.</param>
/// <param name="CaptureToPublishP50">Capture → publish median since the start, ms (0 before the first frame).</param>
/// <param name="CaptureToPublishP99">Its 99th percentile, ms.</param>
/// <param name="ExecutionProvider">The primary model's execution provider.</param>
public readonly record struct PipelineStatus(
    long FramesPublished, long FramesDropped, int ActiveTracks, double CaptureToPublishP50, double CaptureToPublishP99, string ExecutionProvider);
