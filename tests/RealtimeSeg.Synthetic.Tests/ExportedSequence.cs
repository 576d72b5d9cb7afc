using RealtimeSeg.Synthetic;

namespace RealtimeSeg.Synthetic.Tests;

/// <summary>One small exported sequence shared by the exporter tests, deleted afterwards.</summary>
public sealed class ExportedSequence : IDisposable
{
    public const int Frames = 12;

    public ExportedSequence()
    {
        Root = Path.Combine(Path.GetTempPath(), "realtimeseg-synth-" + Guid.NewGuid().ToString("N"));
        Options = new SyntheticDriveOptions { Seed = 7, Width = 320, Height = 180, Density = 1 };
        Dataset = SyntheticDatasetExporter.Export(Options, Frames, Root);
    }

    public string Root { get; }
    public SyntheticDriveOptions Options { get; }
    public SyntheticDataset Dataset { get; }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
