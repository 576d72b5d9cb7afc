using System.Diagnostics;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Inference.Tests.Decoders;

/// <summary>
/// Test models derived from the YOLOv8n-seg asset by tools/decoder-reference/derive_yolo_variants.py (a detection
/// head and an end-to-end head), made once per test run in a temporary folder: their weights are the asset's, which
/// must never be copied into the repository. Needs Debian's python3 with python3-onnx.
/// </summary>
internal static class DerivedModels
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Unavailable = new(CheckPython);
    private static readonly Lazy<string> Folder = new(Derive);

    /// <summary>Why the derived models cannot be made here, or null when they can.</summary>
    public static string? SkipReason => !TestAssets.Available ? TestAssets.MissingReason : Unavailable.Value;

    public static string Detect => Path.Combine(Folder.Value, "yolov8n-detect-derived.onnx");

    public static string EndToEnd => Path.Combine(Folder.Value, "yolov8n-seg-e2e-derived.onnx");

    private static string? CheckPython()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} not found: the derived YOLO test models need Debian's python3 with python3-onnx";
        }
        (int code, string err) = RunPython("-c \"import onnx, numpy\"");
        return code == 0 ? null : $"{Python} cannot import onnx/numpy ({err.Trim()}): apt-get install python3-onnx python3-numpy";
    }

    private static string Derive()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rseg-derived-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        // Seven megabytes of derived weights per test run: gone when the test host exits.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a temp folder left behind is harmless
            }
        };
        string script = Path.Combine(TestAssets.RepositoryRoot, "tools", "decoder-reference", "derive_yolo_variants.py");
        (int code, string err) = RunPython($"\"{script}\" \"{TestAssets.YoloSeg}\" \"{dir}\"");
        if (code != 0)
        {
            throw new InvalidOperationException($"derive_yolo_variants.py failed ({code}): {err}");
        }
        return dir;
    }

    private static (int Code, string Error) RunPython(string arguments)
    {
        using var p = Process.Start(new ProcessStartInfo(Python, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err);
    }
}
