namespace RealtimeSeg.Core;

/// <summary>A model that cannot be loaded or does not match its decoder; the message names the model file,
/// the tensor and the expected vs actual shape (exit code 3).</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException(string modelPath, string reason, Exception? inner = null)
        : base($"cannot use model '{modelPath}': {reason}", inner)
    {
        ModelPath = modelPath;
        Reason = reason;
    }

    public string ModelPath { get; }
    public string Reason { get; }
}
