namespace RealtimeSeg.Inference;

/// <summary>How a frame is fitted into the model input.</summary>
public enum ResizeMode
{
    /// <summary>Aspect ratio kept, the rest padded (Ultralytics, YOLOX, most detectors): geometry is never distorted.</summary>
    Letterbox = 0,

    /// <summary>
    /// Scaled to the input size on each axis independently: what square-input semantic models (TF DeepLab 257x257)
    /// were trained with; a 16:9 frame letterboxed into them leaves a third of the input as padding and objects too small.
    /// </summary>
    Stretch = 1,
}
