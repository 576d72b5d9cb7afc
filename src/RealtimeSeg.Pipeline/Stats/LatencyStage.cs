namespace RealtimeSeg.Pipeline.Stats;

/// <summary>The latencies reported under <c>latency_ms</c> in <c>--stats</c>, each derived from two <see cref="Core.PipelineStage"/> stamps.</summary>
public enum LatencyStage
{
    /// <summary>Captured → Published: what a subscriber waits beyond transport.</summary>
    CaptureToPublish,
    /// <summary>Captured → Dequeued by inference: time a frame waited in the capture ring.</summary>
    QueueWait,
    /// <summary>Dequeued → Preprocessed: letterbox, normalize, HWC→CHW.</summary>
    Preprocess,
    /// <summary>Preprocessed → Inferred: the ONNX Runtime run.</summary>
    Inference,
    /// <summary>Inferred → Decoded: output decoding, NMS and masks (plus any wait for the post-processing stage).</summary>
    Postprocess,
    /// <summary>Decoded → Tracked: the tracker update.</summary>
    Tracking,
    /// <summary>Tracked → Composed: the panoptic map and segments.</summary>
    Compose,
    /// <summary>Composed → Published: hand-off to the publisher thread, serialization and the socket send.</summary>
    Publish,
}
