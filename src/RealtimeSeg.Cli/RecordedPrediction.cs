using RealtimeSeg.Pipeline.Recorder;

namespace RealtimeSeg.Cli;

/// <summary>
/// A recording given to <c>eval</c> as the prediction: one stream exported to a temporary MOT file or COCO panoptic
/// folder (what <c>--dump-mot</c>/<c>--dump-panoptic</c> would have written), deleted on dispose.
/// </summary>
internal sealed class RecordedPrediction : IDisposable
{
    private readonly string _directory;

    private RecordedPrediction(string directory, string path)
    {
        _directory = directory;
        Path = path;
    }

    /// <summary>The exported file (MOT) or JSON (panoptic) to evaluate.</summary>
    public string Path { get; }

    /// <summary>Null when <paramref name="prediction"/> is not a recording.</summary>
    public static RecordedPrediction? ForMot(string prediction, string? stream)
    {
        if (!IsRecording(prediction))
        {
            return null;
        }
        string name = RecordingExport.ResolveStream(prediction, stream);
        string dir = TempDirectory();
        string mot = System.IO.Path.Combine(dir, name + ".txt");
        RecordingExport.WriteMot(prediction, name, mot);
        return new RecordedPrediction(dir, mot);
    }

    /// <summary>Null when <paramref name="prediction"/> is not a recording.</summary>
    public static RecordedPrediction? ForPanoptic(string prediction, string? stream)
    {
        if (!IsRecording(prediction))
        {
            return null;
        }
        string name = RecordingExport.ResolveStream(prediction, stream);
        string dir = TempDirectory();
        RecordingExport.WritePanoptic(prediction, name, dir);
        return new RecordedPrediction(dir, System.IO.Path.Combine(dir, "panoptic.json"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private static bool IsRecording(string path) => path.EndsWith(".mcap", StringComparison.OrdinalIgnoreCase);

    private static string TempDirectory()
    {
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rseg-eval-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
