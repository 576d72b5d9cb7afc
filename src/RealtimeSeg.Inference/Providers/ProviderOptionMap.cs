using System.Globalization;

namespace RealtimeSeg.Inference.Providers;

/// <summary>
/// Maps the typed provider sections onto ONNX Runtime's string provider options (the keys of
/// <c>OrtTensorRTProviderOptions.UpdateOptions</c> and <c>OrtCUDAProviderOptions.UpdateOptions</c>). Kept apart
/// from appending so the mapping is tested on a machine whose ONNX Runtime has neither provider.
/// </summary>
internal static class ProviderOptionMap
{
    public static Dictionary<string, string> TensorRt(TensorRtOptions o, int defaultDeviceId)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = Int(o.DeviceId ?? defaultDeviceId),
            ["trt_fp16_enable"] = Flag(o.Fp16),
            ["trt_int8_enable"] = Flag(o.Int8),
            ["trt_builder_optimization_level"] = Int(o.BuilderOptimizationLevel),
        };
        if (o.Int8CalibrationTable is { } table)
        {
            map["trt_int8_calibration_table_name"] = table;
            map["trt_int8_use_native_calibration_table"] = Flag(o.Int8UseNativeCalibrationTable);
        }
        bool engineCache = !string.IsNullOrEmpty(o.EngineCacheDirectory);
        map["trt_engine_cache_enable"] = Flag(engineCache);
        if (engineCache)
        {
            map["trt_engine_cache_path"] = o.EngineCacheDirectory!;
        }
        bool timingCache = !string.IsNullOrEmpty(o.TimingCacheDirectory);
        map["trt_timing_cache_enable"] = Flag(timingCache);
        if (timingCache)
        {
            map["trt_timing_cache_path"] = o.TimingCacheDirectory!;
        }
        if (o.WorkspaceBytes > 0)
        {
            map["trt_max_workspace_size"] = o.WorkspaceBytes.ToString(CultureInfo.InvariantCulture);
        }
        if (o.MinShapes is not null && o.OptShapes is not null && o.MaxShapes is not null)
        {
            map["trt_profile_min_shapes"] = o.MinShapes;
            map["trt_profile_opt_shapes"] = o.OptShapes;
            map["trt_profile_max_shapes"] = o.MaxShapes;
        }
        return map;
    }

    public static Dictionary<string, string> Cuda(CudaOptions o, int defaultDeviceId) => new(StringComparer.Ordinal)
    {
        ["device_id"] = Int(o.DeviceId ?? defaultDeviceId),
        ["arena_extend_strategy"] = o.ArenaExtendStrategy == ArenaExtendStrategy.SameAsRequested ? "kSameAsRequested" : "kNextPowerOfTwo",
        ["gpu_mem_limit"] = o.MemoryLimitBytes > 0 ? o.MemoryLimitBytes.ToString(CultureInfo.InvariantCulture) : ulong.MaxValue.ToString(CultureInfo.InvariantCulture),
        ["cudnn_conv_algo_search"] = o.CudnnConvAlgoSearch switch
        {
            CudnnConvAlgoSearch.Heuristic => "HEURISTIC",
            CudnnConvAlgoSearch.Default => "DEFAULT",
            _ => "EXHAUSTIVE",
        },
        ["use_tf32"] = Flag(o.Tf32),
        ["do_copy_in_default_stream"] = Flag(o.CopyInDefaultStream),
    };

    private static string Flag(bool value) => value ? "1" : "0";

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
