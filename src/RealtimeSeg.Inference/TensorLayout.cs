namespace RealtimeSeg.Inference;

/// <summary>How an image input tensor orders its dimensions.</summary>
public enum TensorLayout
{
    /// <summary>[1, C, H, W]: one plane per channel (PyTorch exports, Ultralytics).</summary>
    Nchw = 0,

    /// <summary>[1, H, W, C]: channels interleaved per pixel (TensorFlow exports).</summary>
    Nhwc = 1,
}
