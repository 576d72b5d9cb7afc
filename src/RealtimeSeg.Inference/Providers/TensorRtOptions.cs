using System.Globalization;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Providers;

/// <summary>
/// The <c>model.tensorrt:</c> section: how ONNX Runtime's TensorRT execution provider builds and caches its engine.
/// Only read when "tensorrt" is in <see cref="ModelOptions.Providers"/> and the ONNX Runtime build has it
/// (<c>-p:OrtFlavor=Gpu</c>). Every default is TensorRT's own, except that the engine cache is on: an engine build
/// takes minutes, and a car should not repeat it on every start.
/// </summary>
public sealed record TensorRtOptions
{
    /// <summary>GPU ordinal; null = <see cref="ModelOptions.DeviceId"/>.</summary>
    public int? DeviceId { get; init; }

    /// <summary>Lets TensorRT pick fp16 kernels (about 2x faster on most GPUs, tiny accuracy change).</summary>
    public bool Fp16 { get; init; }

    /// <summary>Lets TensorRT pick int8 kernels; needs <see cref="Int8CalibrationTable"/> unless the model is QDQ-quantized.</summary>
    public bool Int8 { get; init; }

    /// <summary>Calibration table file name for int8, looked up in <see cref="EngineCacheDirectory"/> (TensorRT's convention).</summary>
    public string? Int8CalibrationTable { get; init; }

    /// <summary>Whether <see cref="Int8CalibrationTable"/> is TensorRT's native format rather than ONNX Runtime's.</summary>
    public bool Int8UseNativeCalibrationTable { get; init; }

    /// <summary>Where built engines are cached; null or empty disables the cache (every start rebuilds).</summary>
    public string? EngineCacheDirectory { get; init; } = "trt-cache";

    /// <summary>Where TensorRT's layer timing cache lives; null = no timing cache (engine builds re-time every tactic).</summary>
    public string? TimingCacheDirectory { get; init; } = "trt-cache";

    /// <summary>Scratch memory TensorRT may use while building and running, in bytes; 0 = TensorRT's default (the device's).</summary>
    public long WorkspaceBytes { get; init; }

    /// <summary>TensorRT builder optimisation level 0..5 (TensorRT's default 3; higher builds longer for faster engines).</summary>
    public int BuilderOptimizationLevel { get; init; } = 3;

    /// <summary>Optimisation profile for dynamic inputs, e.g. "images:1x3x320x320"; all three or none.</summary>
    public string? MinShapes { get; init; }

    public string? OptShapes { get; init; }

    public string? MaxShapes { get; init; }

    public const int MaxBuilderOptimizationLevel = 5;

    /// <summary>Throws <see cref="ConfigurationException"/> naming the first bad key (<c>model.tensorrt.KEY</c>).</summary>
    public void Validate()
    {
        if (DeviceId is < 0)
        {
            throw Invalid("device_id", $"must be ≥ 0, got {DeviceId}");
        }
        if (Int8CalibrationTable is not null && (Int8CalibrationTable.Length == 0 || Int8CalibrationTable.IndexOfAny(['/', '\\']) >= 0))
        {
            throw Invalid("int8_calibration_table", $"must be a file name inside engine_cache_directory (TensorRT looks it up there), got '{Int8CalibrationTable}'");
        }
        if (Int8CalibrationTable is not null && !Int8)
        {
            throw Invalid("int8_calibration_table", "is set but int8 is false; set int8: true or remove the table");
        }
        if (Int8CalibrationTable is not null && string.IsNullOrEmpty(EngineCacheDirectory))
        {
            throw Invalid("int8_calibration_table", "needs engine_cache_directory, where TensorRT looks the table up");
        }
        if (WorkspaceBytes < 0)
        {
            throw Invalid("workspace_bytes", $"must be ≥ 0 (0 = TensorRT's default), got {WorkspaceBytes.ToString(CultureInfo.InvariantCulture)}");
        }
        if (BuilderOptimizationLevel < 0 || BuilderOptimizationLevel > MaxBuilderOptimizationLevel)
        {
            throw Invalid("builder_optimization_level", $"must be in [0, {MaxBuilderOptimizationLevel}], got {BuilderOptimizationLevel}");
        }
        int given = (MinShapes is null ? 0 : 1) + (OptShapes is null ? 0 : 1) + (MaxShapes is null ? 0 : 1);
        if (given is not 0 and not 3)
        {
            throw Invalid(MinShapes is null ? "min_shapes" : OptShapes is null ? "opt_shapes" : "max_shapes",
                "an optimisation profile needs min_shapes, opt_shapes and max_shapes together");
        }
        CheckShapes("min_shapes", MinShapes);
        CheckShapes("opt_shapes", OptShapes);
        CheckShapes("max_shapes", MaxShapes);
    }

    /// <summary>
    /// "name:1x3x320x320[,name2:…]", TensorRT's profile syntax; checked here so a typo fails at start-up rather
    /// than minutes into an engine build.
    /// </summary>
    internal static bool IsShapeList(string text)
    {
        foreach (string entry in text.Split(','))
        {
            int colon = entry.LastIndexOf(':');
            if (colon <= 0 || colon == entry.Length - 1)
            {
                return false;
            }
            foreach (string dim in entry[(colon + 1)..].Split('x'))
            {
                if (!int.TryParse(dim, NumberStyles.None, CultureInfo.InvariantCulture, out int d) || d <= 0)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static void CheckShapes(string key, string? value)
    {
        if (value is not null && !IsShapeList(value))
        {
            throw Invalid(key, $"'{value}' is not a TensorRT shape list such as 'images:1x3x320x320' (input name, colon, dims joined by x; comma between inputs)");
        }
    }

    private static ConfigurationException Invalid(string key, string problem) => new($"model.tensorrt.{key}: {problem}");
}
