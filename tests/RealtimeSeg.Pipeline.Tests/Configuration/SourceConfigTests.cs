using RealtimeSeg.Capture;
using RealtimeSeg.Capture.Network;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Configuration;

namespace RealtimeSeg.Pipeline.Tests.Configuration;

/// <summary>The per-source sections (network, camera, images) bound from YAML and handed to the source.</summary>
public sealed class SourceConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rseg-srccfg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        string path = Path.Combine(_dir, "pipeline.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Load_NetworkCameraAndImagesSections_BindSnakeCaseKeys()
    {
        string path = Write("""
            sources:
              - uri: rtsp://cam/1
                network:
                  transport: udp
                  stall_timeout: 2s
                  open_timeout: 3s
                  width: 640
                  height: 360
                  reconnect: { max_attempts: 4, initial_delay: 250ms, max_delay: 5s }
              - uri: camera:0
                camera: { width: 1280, height: 720, fps: 30, fourcc: MJPG }
              - uri: images:seq
                images: { timestamps: seq/times.txt, fps: 12.5 }
            model: { path: /m.onnx }
            """);
        var loader = new PipelineConfigLoader();
        PipelineConfig c = loader.Load(path);
        loader.Validate(c);

        NetworkSourceOptions n = c.Sources[0].Network;
        Assert.Equal(NetworkTransport.Udp, n.Transport);
        Assert.Equal(TimeSpan.FromSeconds(2), n.StallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), n.OpenTimeout);
        Assert.Equal((640, 360), (n.Width, n.Height));
        Assert.Equal(4, n.Reconnect.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), n.Reconnect.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(5), n.Reconnect.MaxDelay);
        Assert.Equal((1280, 720, 30.0, "MJPG"), (c.Sources[1].Camera.Width, c.Sources[1].Camera.Height, c.Sources[1].Camera.Fps, c.Sources[1].Camera.Fourcc));
        Assert.Equal(Path.Combine(_dir, "seq", "times.txt"), c.Sources[2].Images.Timestamps);
        Assert.Equal(12.5, c.Sources[2].Images.Fps);
    }

    [Fact]
    public void ApplyTo_PipelineWideOptions_KeepsPaceAndMaxFramesAndAddsTheSections()
    {
        var entry = new SourceConfig { Uri = "rtsp://cam/1", Network = new NetworkSourceOptions { StallTimeout = TimeSpan.FromSeconds(9) } };
        SourceOptions options = entry.ApplyTo(new SourceOptions { Pacing = Pacing.Lockstep, MaxFrames = 7 });
        Assert.Equal((Pacing.Lockstep, 7L), (options.Pacing, options.MaxFrames));
        Assert.Same(entry.Network, options.Network);
        Assert.Same(entry.Camera, options.Camera);
        Assert.Same(entry.Images, options.Images);
    }

    [Fact]
    public void Validate_BadNestedValue_NamesFileLineAndKey()
    {
        string path = Write("sources:\n  - uri: rtsp://cam/1\n    network:\n      reconnect: { max_attempts: -2 }\nmodel: { path: /m.onnx }\n");
        var loader = new PipelineConfigLoader();
        PipelineConfig c = loader.Load(path);
        var ex = Assert.Throws<ConfigurationException>(() => loader.Validate(c));
        Assert.Contains(path + ":2:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("network.reconnect.max_attempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownNetworkKey_NamesTheFullKeyPath()
    {
        string path = Write("sources:\n  - uri: rtsp://cam/1\n    network:\n      stall_timout: 2s\nmodel: { path: /m.onnx }\n");
        var ex = Assert.Throws<ConfigurationException>(() => new PipelineConfigLoader().Load(path));
        Assert.Contains("sources[0].network.stall_timout", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path + ":4:", ex.Message, StringComparison.Ordinal);
    }
}
