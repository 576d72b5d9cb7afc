using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RealtimeSeg.Capture.Cameras;

/// <summary>
/// Lists V4L2 capture devices (<c>/dev/videoN</c>) with their formats, sizes and rates, asked of the driver directly
/// (VIDIOC_ENUM_FMT / ENUM_FRAMESIZES / ENUM_FRAMEINTERVALS), so nothing beyond the kernel is needed. Nodes that are
/// not capture devices (a UVC camera's metadata node) answer no formats and are left out.
/// </summary>
public static partial class CameraDevices
{
    private const uint VidiocEnumFmt = 0xC0405602;          // _IOWR('V', 2, struct v4l2_fmtdesc) — 64 bytes
    private const uint VidiocEnumFramesizes = 0xC02C564A;   // _IOWR('V', 74, struct v4l2_frmsizeenum) — 44 bytes
    private const uint VidiocEnumFrameintervals = 0xC034564B; // _IOWR('V', 75, struct v4l2_frmivalenum) — 52 bytes
    private const uint BufTypeVideoCapture = 1;
    private const uint TypeDiscrete = 1;
    private const int OpenReadWriteNonBlocking = 0x2 | 0x800;

    /// <summary>Every capture device, in device-number order; empty when there are none (or not on Linux).</summary>
    public static IReadOnlyList<CameraDevice> Enumerate(string devDirectory = "/dev")
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists(devDirectory))
        {
            return [];
        }
        var devices = new List<CameraDevice>();
        string[] nodes = Directory.GetFiles(devDirectory, "video*");
        Array.Sort(nodes, (a, b) => Images.NaturalStringComparer.Instance.Compare(a, b));
        foreach (string node in nodes)
        {
            if (!int.TryParse(Path.GetFileName(node).AsSpan("video".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                continue;
            }
            IReadOnlyList<CameraMode>? modes = QueryModes(node);
            if (modes is { Count: 0 })
            {
                continue;
            }
            devices.Add(new CameraDevice(node, ReadName(number), modes ?? []));
        }
        return devices;
    }

    private static string ReadName(int number)
    {
        string sys = $"/sys/class/video4linux/video{number.ToString(CultureInfo.InvariantCulture)}/name";
        try
        {
            return File.Exists(sys) ? File.ReadAllText(sys).Trim() : "(unnamed)";
        }
        catch (IOException)
        {
            return "(unnamed)";
        }
    }

    /// <summary>The device's modes; null when it cannot be opened (busy, no permission) — still listed, without modes.</summary>
    private static unsafe List<CameraMode>? QueryModes(string node)
    {
        int fd = Open(node, OpenReadWriteNonBlocking);
        if (fd < 0)
        {
            return null;
        }
        try
        {
            var modes = new List<CameraMode>();
            byte* fmt = stackalloc byte[64];
            for (uint i = 0; ; i++)
            {
                new Span<byte>(fmt, 64).Clear();
                BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(fmt, 4), i);
                BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(fmt + 4, 4), BufTypeVideoCapture);
                if (Ioctl(fd, VidiocEnumFmt, fmt) != 0)
                {
                    break;
                }
                string description = Encoding.ASCII.GetString(new ReadOnlySpan<byte>(fmt + 12, 32)).TrimEnd('\0');
                uint pixelFormat = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(fmt + 44, 4));
                string fourcc = CameraVideoReader.FourccText((int)pixelFormat);
                AddSizes(fd, pixelFormat, fourcc, description, modes);
            }
            return modes;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static unsafe void AddSizes(int fd, uint pixelFormat, string fourcc, string description, List<CameraMode> modes)
    {
        byte* size = stackalloc byte[44];
        for (uint i = 0; ; i++)
        {
            new Span<byte>(size, 44).Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(size, 4), i);
            BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(size + 4, 4), pixelFormat);
            if (Ioctl(fd, VidiocEnumFramesizes, size) != 0)
            {
                return;
            }
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(size + 8, 4));
            int width = (int)BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(size + 12, 4));
            int height = (int)BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(size + 16, 4));
            if (type != TypeDiscrete)
            {
                // Stepwise/continuous: min and max sizes stand for the range.
                // struct v4l2_frmsize_stepwise: min_width, max_width, step_width, min_height, max_height, step_height.
                int maxWidth = (int)BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(size + 16, 4));
                int minHeight = (int)BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(size + 24, 4));
                int maxHeight = (int)BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(size + 28, 4));
                modes.Add(new CameraMode(fourcc, description, width, minHeight, []));
                modes.Add(new CameraMode(fourcc, description, maxWidth, maxHeight, []));
                return;
            }
            modes.Add(new CameraMode(fourcc, description, width, height, Rates(fd, pixelFormat, width, height)));
        }
    }

    private static unsafe List<double> Rates(int fd, uint pixelFormat, int width, int height)
    {
        var rates = new List<double>();
        byte* ival = stackalloc byte[52];
        for (uint i = 0; i < 64; i++)
        {
            new Span<byte>(ival, 52).Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(ival, 4), i);
            BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(ival + 4, 4), pixelFormat);
            BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(ival + 8, 4), (uint)width);
            BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(ival + 12, 4), (uint)height);
            if (Ioctl(fd, VidiocEnumFrameintervals, ival) != 0)
            {
                break;
            }
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(ival + 16, 4));
            uint numerator = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(ival + 20, 4));
            uint denominator = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(ival + 24, 4));
            if (numerator > 0)
            {
                rates.Add(Math.Round((double)denominator / numerator, 2)); // an interval: frames per second is its inverse
            }
            if (type != TypeDiscrete)
            {
                break;
            }
        }
        return rates;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int Ioctl(int fd, nuint request, void* argument);

    private static unsafe int Ioctl(int fd, uint request, byte* argument) => Ioctl(fd, (nuint)request, (void*)argument);
}
