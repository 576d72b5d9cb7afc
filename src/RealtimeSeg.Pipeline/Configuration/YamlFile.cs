using RealtimeSeg.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>
/// Reads the first document of a YAML file — what pipeline configs and drive files share before binding. Every failure
/// is a <see cref="ConfigurationException"/> naming the file (and the line and column for a syntax error).
/// </summary>
internal static class YamlFile
{
    /// <param name="path">The file.</param>
    /// <param name="kind">What the file is, for the messages: "config file", "drive file".</param>
    public static YamlNode ReadRoot(string path, string kind)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"{kind} '{path}' does not exist");
        }
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ConfigurationException($"{path}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.InnerException?.Message ?? e.Message}", e);
        }
        if (stream.Documents.Count == 0)
        {
            throw new ConfigurationException($"{path}: the {kind} is empty");
        }
        return stream.Documents[0].RootNode;
    }
}
