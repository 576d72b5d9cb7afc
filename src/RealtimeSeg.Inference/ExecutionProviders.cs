using Microsoft.ML.OnnxRuntime;
using RealtimeSeg.Core;
using RealtimeSeg.Inference.Providers;

namespace RealtimeSeg.Inference;

/// <summary>
/// Turns the configured provider chain ("tensorrt", "cuda", "cpu") into session options. A provider this ONNX
/// Runtime build lacks, or one that fails to start, falls back to the next with one warning each, so a config
/// written for a GPU car runs unchanged (slower) on a laptop.
/// </summary>
internal static class ExecutionProviders
{
    public const string TensorRt = "tensorrt";
    public const string Cuda = "cuda";
    public const string Cpu = "cpu";

    public const string KnownNames = "tensorrt, cuda, cpu";

    public static bool IsKnown(string? name) => name is not null && Normalize(name) is TensorRt or Cuda or Cpu;

    /// <summary>Config files say "CUDA" as often as "cuda".</summary>
    public static string Normalize(string name) => name.Trim().ToLowerInvariant();

    public static string OrtName(string name) => name switch
    {
        TensorRt => "TensorrtExecutionProvider",
        Cuda => "CUDAExecutionProvider",
        Cpu => "CPUExecutionProvider",
        _ => throw new ConfigurationException($"model.providers: unknown execution provider '{name}' (known: {KnownNames})"),
    };

    /// <summary>The providers compiled into the loaded ONNX Runtime library.</summary>
    public static string[] Available() => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>
    /// Appends the providers of <paramref name="chain"/> from <paramref name="start"/> on to <paramref name="options"/>
    /// and returns the index in <paramref name="chain"/> of the one that will run the model, or -1 for the implicit CPU
    /// fallback at the end of the chain. GPU providers that are available are all appended, in order, so TensorRT can
    /// hand the nodes it cannot run to CUDA before CPU. Whatever was skipped is reported in one warning line, so a GPU
    /// config on a CPU machine says once, clearly, what runs instead.
    /// </summary>
    public static int Append(SessionOptions options, IReadOnlyList<string> chain, int start, ModelOptions model, IReadOnlyCollection<string> available, IPipelineLog log)
    {
        int primary = -1;
        List<string>? unavailable = null;
        List<string>? failed = null;
        for (int i = start; i < chain.Count; i++)
        {
            string name = chain[i];
            string ortName = OrtName(name);
            if (name == Cpu)
            {
                // CPU is always there and always last inside ONNX Runtime: later entries could never run anything.
                primary = primary >= 0 ? primary : i;
                break;
            }
            if (!available.Contains(ortName))
            {
                (unavailable ??= []).Add(name);
                continue;
            }
            try
            {
                AppendOne(options, name, model);
                if (primary < 0)
                {
                    primary = i;
                }
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or OnnxRuntimeException or DllNotFoundException)
            {
                (failed ??= []).Add($"execution provider '{name}' could not be enabled ({ex.GetType().Name}: {FirstLine(ex.Message)})");
            }
        }
        if (unavailable is not null || failed is not null)
        {
            string target = primary >= 0 ? chain[primary] : Cpu;
            log.Warn(FallbackMessage(unavailable, failed, available, target));
        }
        return primary;
    }

    /// <summary>The one warning a skipped part of the chain produces.</summary>
    internal static string FallbackMessage(IReadOnlyList<string>? unavailable, IReadOnlyList<string>? failed, IReadOnlyCollection<string> available, string target)
    {
        var parts = new List<string>(2);
        if (unavailable is { Count: > 0 })
        {
            string names = string.Join(", ", unavailable.Select(n => $"'{n}'"));
            string hint = available.Contains(OrtName(Cuda)) ? "" : "; GPU providers need the GPU build, -p:OrtFlavor=Gpu";
            parts.Add(unavailable.Count == 1
                ? $"execution provider {names} unavailable in this ONNX Runtime build (available: {string.Join(", ", available)}{hint})"
                : $"execution providers {names} unavailable in this ONNX Runtime build (available: {string.Join(", ", available)}{hint})");
        }
        if (failed is { Count: > 0 })
        {
            parts.AddRange(failed);
        }
        return $"{string.Join("; ", parts)}; falling back to '{target}' ({OrtName(target)})";
    }

    /// <summary>The provider after <paramref name="index"/> in the chain, or "cpu" when the chain ends.</summary>
    public static string Next(IReadOnlyList<string> chain, int index) => index + 1 < chain.Count ? chain[index + 1] : Cpu;

    private static void AppendOne(SessionOptions options, string name, ModelOptions model)
    {
        // The managed API is the same in the CPU and GPU packages; on a CPU-only native library these calls fail
        // (EntryPointNotFoundException or OnnxRuntimeException), which the caller turns into a fallback.
        switch (name)
        {
            case TensorRt:
            {
                using var trt = new OrtTensorRTProviderOptions();
                trt.UpdateOptions(ProviderOptionMap.TensorRt(model.Tensorrt, model.DeviceId));
                options.AppendExecutionProvider_Tensorrt(trt);
                break;
            }
            case Cuda:
            {
                using var cuda = new OrtCUDAProviderOptions();
                cuda.UpdateOptions(ProviderOptionMap.Cuda(model.Cuda, model.DeviceId));
                options.AppendExecutionProvider_CUDA(cuda);
                break;
            }
            default:
                throw new ConfigurationException($"model.providers: unknown execution provider '{name}' (known: {KnownNames})");
        }
    }

    internal static string FirstLine(string message)
    {
        int nl = message.AsSpan().IndexOfAny('\r', '\n');
        return nl < 0 ? message : message[..nl];
    }
}
