namespace RealtimeSeg.Inference.Providers;

/// <summary>How cuDNN picks convolution algorithms (ONNX Runtime's <c>cudnn_conv_algo_search</c>).</summary>
public enum CudnnConvAlgoSearch
{
    /// <summary>Benchmarks every algorithm on the first run: the fastest kernels, a slower first frame.</summary>
    Exhaustive = 0,

    /// <summary>cuDNN's heuristics: a quick first frame, kernels usually close to the fastest.</summary>
    Heuristic = 1,

    /// <summary>cuDNN's default algorithm: no search at all.</summary>
    Default = 2,
}
