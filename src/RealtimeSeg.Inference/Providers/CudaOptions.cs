using System.Globalization;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Providers;

/// <summary>
/// The <c>model.cuda:</c> section: ONNX Runtime's CUDA execution provider (also the fallback TensorRT hands the
/// nodes it cannot run to). Only read when "cuda" or "tensorrt" is in <see cref="ModelOptions.Providers"/> and the
/// build has CUDA. Defaults are ONNX Runtime's, except that TF32 is off: on Ampere and later it changes results
/// in the third digit, which breaks reproducible evaluation unless asked for.
/// </summary>
public sealed record CudaOptions
{
    /// <summary>GPU ordinal; null = <see cref="ModelOptions.DeviceId"/>.</summary>
    public int? DeviceId { get; init; }

    /// <summary>
    /// How the memory arena grows: <see cref="ArenaExtendStrategy.NextPowerOfTwo"/> (fewer, larger allocations) or
    /// <see cref="ArenaExtendStrategy.SameAsRequested"/> (tighter, for GPUs shared with other models).
    /// </summary>
    public ArenaExtendStrategy ArenaExtendStrategy { get; init; } = ArenaExtendStrategy.NextPowerOfTwo;

    /// <summary>Upper bound of the arena in bytes; 0 = no limit.</summary>
    public long MemoryLimitBytes { get; init; }

    /// <summary>cuDNN convolution algorithm search: exhaustive (ORT's default; slow first run), heuristic, or default.</summary>
    public CudnnConvAlgoSearch CudnnConvAlgoSearch { get; init; } = CudnnConvAlgoSearch.Exhaustive;

    /// <summary>Allow TF32 math in matmul/convolution on Ampere and later.</summary>
    public bool Tf32 { get; init; }

    /// <summary>Copies in the compute stream (ORT's default; safe). False overlaps copies but needs care with IOBinding.</summary>
    public bool CopyInDefaultStream { get; init; } = true;

    /// <summary>Throws <see cref="ConfigurationException"/> naming the first bad key (<c>model.cuda.KEY</c>).</summary>
    public void Validate()
    {
        if (DeviceId is < 0)
        {
            throw new ConfigurationException($"model.cuda.device_id: must be ≥ 0, got {DeviceId}");
        }
        if (MemoryLimitBytes < 0)
        {
            throw new ConfigurationException($"model.cuda.memory_limit_bytes: must be ≥ 0 (0 = no limit), got {MemoryLimitBytes.ToString(CultureInfo.InvariantCulture)}");
        }
        if (!Enum.IsDefined(ArenaExtendStrategy))
        {
            throw new ConfigurationException($"model.cuda.arena_extend_strategy: unknown value {(int)ArenaExtendStrategy}");
        }
        if (!Enum.IsDefined(CudnnConvAlgoSearch))
        {
            throw new ConfigurationException($"model.cuda.cudnn_conv_algo_search: unknown value {(int)CudnnConvAlgoSearch}");
        }
    }
}
