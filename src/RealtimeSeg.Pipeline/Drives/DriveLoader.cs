using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Configuration;
using YamlDotNet.RepresentationModel;

namespace RealtimeSeg.Pipeline.Drives;

/// <summary>
/// Reads a drive file (<c>configs/drive-*.yaml</c>) into a validated <see cref="DriveConfig"/>. Camera URIs and
/// timestamps files are resolved against the drive file's folder; timestamps files are read and checked here, so a
/// bad drive fails at start-up with a <see cref="ConfigurationException"/> naming file, line and key. Start-up only.
/// </summary>
public static class DriveLoader
{
    public static DriveConfig Load(string path, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        YamlNode root = YamlFile.ReadRoot(path, "drive file");
        var binder = new YamlBinder(path, environment ?? Environment.GetEnvironmentVariable);
        DriveConfig drive = binder.Bind<DriveConfig>(root, "");
        ConfigOrigin origin = binder.Origin;
        string Where(string key) => origin.Where(key);

        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var cameras = new DriveCameraConfig[drive.Cameras.Count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < cameras.Length; i++)
        {
            DriveCameraConfig c = drive.Cameras[i];
            string key = $"cameras[{i}]";
            Check(origin, key, c.Validate);
            if (!names.Add(c.Name))
            {
                throw new ConfigurationException(Where(key) + $"key '{key}.name': camera name '{c.Name}' is used twice");
            }
            string? timestamps = c.Timestamps is null ? null : Path.GetFullPath(Path.Combine(folder, c.Timestamps));
            if (timestamps is not null)
            {
                // Read now only to fail early; the player reads it again when it opens the camera.
                DriveTimeline.ReadTimestamps(timestamps, Where(key) + $"key '{key}.timestamps': ");
            }
            cameras[i] = c with { Uri = PipelineConfigLoader.ResolveSourceUri(c.Uri, folder), Timestamps = timestamps };
        }
        drive = drive with { Cameras = cameras, Name = drive.Name ?? Path.GetFileNameWithoutExtension(path) };
        Check(origin, "", drive.Validate);
        return drive;
    }

    private static void Check(ConfigOrigin origin, string key, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw origin.Refuse(key, e);
        }
    }
}
