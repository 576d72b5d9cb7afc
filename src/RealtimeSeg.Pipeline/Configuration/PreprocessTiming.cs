namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>When the inference stage letterboxes a frame into the model input (<c>pipeline.preprocess</c>).</summary>
public enum PreprocessTiming
{
    /// <summary>Ahead in lockstep, just in time otherwise.</summary>
    Auto,

    /// <summary>On a thread of its own, one frame ahead of the model run: throughput.</summary>
    Ahead,

    /// <summary>On the inference thread right before the run: the freshest frame, lowest latency.</summary>
    JustInTime,
}
