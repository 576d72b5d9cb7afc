using RealtimeSeg.Capture.Cameras;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Tests.Cameras;

/// <summary>
/// No camera exists on this machine (the kernel has no module support, so not even v4l2loopback), so what can be
/// tested is what a user without one sees: an empty list and a clear failure.
/// </summary>
public sealed class CameraSourceTests
{
    [Fact]
    public void Enumerate_ThisMachine_ListsOnlyExistingVideoNodesAndNoneWithoutThem()
    {
        string[] nodes = Directory.GetFiles("/dev", "video*");
        IReadOnlyList<CameraDevice> devices = CameraDevices.Enumerate();
        if (nodes.Length == 0)
        {
            Assert.Empty(devices);
        }
        Assert.All(devices, d => Assert.Contains(d.Path, nodes));
    }

    [Fact]
    public void Enumerate_FolderWithoutDevices_ReturnsNone()
    {
        string dir = Directory.CreateTempSubdirectory("rseg-dev-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "video0"), "a regular file is not a V4L2 device");
            Assert.Empty(CameraDevices.Enumerate(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("camera:7", "/dev/video7")]
    [InlineData("/dev/video9", "/dev/video9")]
    public void Open_CameraThatIsNotThere_ThrowsSourceUnavailableNamingTheDevice(string uri, string device)
    {
        var ex = Assert.Throws<SourceUnavailableException>(() => FrameSourceFactory.Open(uri, 0, new SourceOptions(), NullPipelineLog.Instance));

        Assert.Equal(uri, ex.Source);
        Assert.Contains(device, ex.Reason, StringComparison.Ordinal);
        Assert.Contains("realtimeseg devices", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("camera:front")]
    [InlineData("camera:")]
    [InlineData("/dev/videoX")]
    public void Open_MalformedCameraUri_ThrowsConfigurationException(string uri)
    {
        var ex = Assert.Throws<ConfigurationException>(() => FrameSourceFactory.Open(uri, 0, new SourceOptions(), NullPipelineLog.Instance));
        Assert.Contains(uri, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(640, 0, 0, "")]
    [InlineData(0, 0, -1, "")]
    [InlineData(0, 0, 0, "MJPEG")]
    public void Validate_BadCameraOption_ThrowsNamingTheKey(int width, int height, double fps, string fourcc)
    {
        var options = new CameraOptions { Width = width, Height = height, Fps = fps, Fourcc = fourcc };
        var ex = Assert.Throws<ConfigurationException>(options.Validate);
        Assert.Contains("camera.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x47504A4D, "MJPG")]
    [InlineData(0x56595559, "YUYV")]
    [InlineData(0, "?")]
    public void FourccText_DriverCode_ReadsAsFourCharacters(int code, string expected)
    {
        Assert.Equal(expected, CameraVideoReader.FourccText(code));
    }
}
