using RealtimeSeg.Core;

namespace RealtimeSeg.Cli;

/// <summary>
/// The model and demo config that ship with the executable (copied next to it by the build from <c>models/</c> and
/// <c>configs/</c>): what <c>realtimeseg demo</c> runs and what <c>run</c> uses when given neither a model nor a config.
/// </summary>
internal static class BundledModel
{
    public const string FileName = "realtimeseg-demo.onnx";

    /// <summary>The bundled model's path next to the executable.</summary>
    public static string ModelPath => Path.Combine(AppContext.BaseDirectory, "models", FileName);

    /// <summary>The demo pipeline config next to the executable.</summary>
    public static string DemoConfigPath => Path.Combine(AppContext.BaseDirectory, "configs", "demo.yaml");

    /// <summary>The bundled model's path; a <see cref="ModelLoadException"/> saying how to get it back when the build did not copy it.</summary>
    public static string RequireModel()
    {
        string path = ModelPath;
        if (!File.Exists(path))
        {
            throw new ModelLoadException(path, $"the bundled model is missing; the build copies models/{FileName} from the repository next to the executable (rebuild, or pass --model FILE)");
        }
        return path;
    }
}
