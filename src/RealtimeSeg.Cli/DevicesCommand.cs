using System.CommandLine;
using System.Globalization;
using RealtimeSeg.Capture.Cameras;

namespace RealtimeSeg.Cli;

/// <summary><c>realtimeseg devices</c>: the V4L2 cameras on this machine with their formats, sizes and rates.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "list cameras (V4L2 /dev/videoN) with the modes they offer");
        command.SetAction(_ =>
        {
            IReadOnlyList<CameraDevice> devices = CameraDevices.Enumerate();
            Console.Out.Write(Render(devices));
            return 0;
        });
        return command;
    }

    internal static string Render(IReadOnlyList<CameraDevice> devices)
    {
        if (devices.Count == 0)
        {
            return "no cameras found (no V4L2 capture device under /dev/video*)\n";
        }
        var text = new System.Text.StringBuilder();
        foreach (CameraDevice d in devices)
        {
            text.Append(CultureInfo.InvariantCulture, $"{d.Uri}  {d.Path}  {d.Name}\n");
            if (d.Modes.Count == 0)
            {
                text.Append("    (modes unknown: the device could not be opened; busy, or no permission)\n");
            }
            foreach (CameraMode m in d.Modes)
            {
                string rates = m.FramesPerSecond.Count == 0 ? "" : " @ " + string.Join("/", m.FramesPerSecond.Select(r => r.ToString("0.##", CultureInfo.InvariantCulture))) + " fps";
                text.Append(CultureInfo.InvariantCulture, $"    {m.Fourcc} {m.Width}x{m.Height}{rates}  ({m.Description})\n");
            }
        }
        return text.ToString();
    }
}
