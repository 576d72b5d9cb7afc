using RealtimeSeg.Tracking;
using RealtimeSeg.Capture;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Pipeline.Tests.Configuration;

public sealed class PipelineConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rseg-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        string path = Path.Combine(_dir, "pipeline.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Loads <paramref name="yaml"/> from a file and returns the error validation gives it.</summary>
    private (string Path, ConfigurationException Error) Refused(string yaml, bool trackerOnly = false)
    {
        string path = Write(yaml);
        var loader = new PipelineConfigLoader();
        PipelineConfig c = loader.Load(path);
        Action validate = trackerOnly ? () => loader.ValidateTracker(c) : () => loader.Validate(c);
        return (path, Assert.Throws<ConfigurationException>(validate));
    }

    [Fact]
    public void Load_RelativePaths_AreResolvedAgainstTheConfigFolder()
    {
        string path = Write("sources:\n  - uri: videos/a.mp4\n  - uri: file:b.mp4\n  - uri: rtsp://cam/1\nmodel:\n  path: ../m.onnx\n");
        PipelineConfig c = new PipelineConfigLoader().Load(path);
        Assert.Equal(Path.Combine(_dir, "videos", "a.mp4"), c.Sources[0].Uri);
        Assert.Equal("file:" + Path.Combine(_dir, "b.mp4"), c.Sources[1].Uri);
        Assert.Equal("rtsp://cam/1", c.Sources[2].Uri);
        Assert.Equal(Path.GetFullPath(Path.Combine(_dir, "..", "m.onnx")), c.Model.Path);
    }

    [Fact]
    public void Load_AllSections_BindTypedOptions()
    {
        string path = Write("""
            pipeline: { pace: lockstep, max_frames: 10 }
            sources: [ { uri: /v.mp4, name: front } ]
            model: { path: /m.onnx, providers: [cuda, cpu], confidence_threshold: 0.4, merge_iou_threshold: 0.55 }
            tracker: { track_buffer_frames: 12, class_aware: false, camera_motion: sparse_flow, match_iou_threshold_by_class: [0.08, -1], mask_iou_weight: 0.5, mask_threshold: 0.1 }
            panoptic: { map_divisor: 4 }
            publish: { endpoint: "tcp://127.0.0.1:6000", meta_interval: 500ms }
            """);
        PipelineConfig c = new PipelineConfigLoader().Load(path);
        Assert.Equal(Pacing.Lockstep, c.Pipeline.Pace);
        Assert.Equal(10, c.Pipeline.MaxFrames);
        Assert.Equal("front", c.StreamName(0));
        Assert.Equal(["cuda", "cpu"], c.Model.Providers);
        Assert.Equal(0.4f, c.Model.ConfidenceThreshold);
        Assert.Equal(0.55f, c.Model.MergeIouThreshold);
        Assert.Equal(12, c.Tracker.TrackBufferFrames);
        Assert.False(c.Tracker.ClassAware);
        Assert.Equal(CameraMotionMode.SparseFlow, c.Tracker.CameraMotion);
        Assert.Equal([0.08f, -1f], c.Tracker.MatchIouThresholdByClass);
        Assert.Equal(0.5f, c.Tracker.MaskIouWeight);
        Assert.Equal(0.1f, c.Tracker.MaskThreshold);
        Assert.Equal(0.08f, c.Tracker.MatchIouThresholdFor(0));
        Assert.Equal(c.Tracker.MatchIouThreshold, c.Tracker.MatchIouThresholdFor(1));
        Assert.Equal(4, c.Panoptic.MapDivisor);
        Assert.Equal("tcp://127.0.0.1:6000", c.Publish.Endpoint);
        Assert.Equal(TimeSpan.FromMilliseconds(500), c.Publish.MetaInterval);
    }

    [Fact]
    public void Validate_BadTrackerValue_NamesFileLineAndSnakeCaseKey()
    {
        string path = Write("sources: [ { uri: /v.mp4 } ]\nmodel: { path: /m.onnx }\ntracker:\n  track_buffer_frames: -3\n");
        var loader = new PipelineConfigLoader();
        PipelineConfig c = loader.Load(path);
        var e = Assert.Throws<ConfigurationException>(() => loader.Validate(c));
        Assert.Contains(path + ":4:3", e.Message);
        Assert.Contains("tracker.track_buffer_frames", e.Message);
    }

    [Fact]
    public void Load_UnknownCameraMotion_NamesLineKeyAndTheChoices()
    {
        string path = Write("sources: [ { uri: /v.mp4 } ]\nmodel: { path: /m.onnx }\ntracker:\n  camera_motion: gyro\n");

        var e = Assert.Throws<ConfigurationException>(() => new PipelineConfigLoader().Load(path));

        Assert.Contains(path + ":4:", e.Message);
        Assert.Contains("tracker.camera_motion", e.Message);
        Assert.Contains("sparse_flow", e.Message);
    }

    [Fact]
    public void Validate_ClassGateAboveOne_NamesFileLineAndKey()
    {
        string path = Write("sources: [ { uri: /v.mp4 } ]\nmodel: { path: /m.onnx }\ntracker:\n  match_iou_threshold_by_class: [0.1, 1.5]\n");
        var loader = new PipelineConfigLoader();
        PipelineConfig c = loader.Load(path);

        var e = Assert.Throws<ConfigurationException>(() => loader.Validate(c));

        Assert.Contains(path + ":4:", e.Message);
        Assert.Contains("tracker.match_iou_threshold_by_class", e.Message);
        Assert.Contains("[1]", e.Message);
    }

    [Fact]
    public void Validate_BadModelValue_NamesFileAndKey()
    {
        string path = Write("sources: [ { uri: /v.mp4 } ]\nmodel:\n  path: /m.onnx\n  providers: [warp-drive]\n");
        var loader = new PipelineConfigLoader();
        PipelineConfig c = loader.Load(path);
        var e = Assert.Throws<ConfigurationException>(() => loader.Validate(c));
        Assert.Contains(path + ":4:15", e.Message); // the list item itself
        Assert.Contains("model.providers[0]", e.Message);
        Assert.Contains("warp-drive", e.Message);
    }

    [Fact]
    public void Validate_IntraOpThreads100000_NamesFileLineKeyAndAllowedRange()
    {
        var (path, e) = Refused("sources: [ { uri: /v.mp4 } ]\nmodel:\n  path: /m.onnx\n  intra_op_threads: 100000\n");

        Assert.StartsWith(path + ":4:3: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("model.intra_op_threads", e.Message, StringComparison.Ordinal);
        Assert.Contains($"[0, {ModelOptions.MaxThreads}]", e.Message, StringComparison.Ordinal);
        Assert.Contains("100000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FusedModelInterOpThreadsOutOfRange_PointsAtThatModelsKey()
    {
        var (path, e) = Refused("""
            sources: [ { uri: /v.mp4 } ]
            categories: [ { id: 1, name: car, thing: true } ]
            models:
              - path: /a.onnx
                instance_classes: [1]
              - path: /b.onnx
                instance_classes: [1]
                inter_op_threads: 300
            """);

        Assert.StartsWith(path + ":8:5: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("models[1].inter_op_threads", e.Message, StringComparison.Ordinal);
        Assert.Contains($"[1, {ModelOptions.MaxThreads}]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tracker:\n  max_tracks: 100000\n", "tracker.max_tracks", "1…4096")]
    [InlineData("tracker:\n  max_detections: 100000\n", "tracker.max_detections", "1…10000")]
    [InlineData("tracker:\n  track_buffer_seconds: 600\n", "tracker.track_buffer_seconds", "0…60 s")]
    [InlineData("pipeline:\n  queue_capacity: 1000\n", "pipeline.queue_capacity", "1…64")]
    [InlineData("pipeline:\n  in_flight_frames: 100\n", "pipeline.in_flight_frames", "2…8")]
    [InlineData("publish:\n  send_high_water_mark: 100000\n", "publish.send_high_water_mark", "[1, 1000]")]
    public void Validate_SizeOutOfRange_NamesFileLineKeyAndAllowedRange(string section, string key, string range)
    {
        var (path, e) = Refused("sources: [ { uri: /v.mp4 } ]\nmodel: { path: /m.onnx }\n" + section);

        Assert.StartsWith(path + ":4:3: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(range, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TrackBufferSeconds_Binds()
    {
        string path = Write("tracker:\n  track_buffer_seconds: 1.5\n");
        PipelineConfig c = new PipelineConfigLoader().Load(path);

        Assert.Equal(1.5, c.Tracker.TrackBufferSeconds);
        Assert.Null(c.Tracker.TrackBufferFrames);
        Assert.Equal(15, c.Tracker.ForFrameRate(10).TrackBufferFrames);
    }

    [Fact]
    public void ValidateTracker_BufferInSecondsAndInFrames_RefusedNamingBothKeys()
    {
        var (path, e) = Refused("tracker:\n  track_buffer_seconds: 1.0\n  track_buffer_frames: 30\n", trackerOnly: true);

        Assert.StartsWith(path + ":3:3: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("tracker.track_buffer_frames", e.Message, StringComparison.Ordinal);
        Assert.Contains("track_buffer_seconds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateTracker_OnlyFramesGiven_AcceptedAsFixedFrames()
    {
        string path = Write("tracker:\n  track_buffer_frames: 30\n");
        var loader = new PipelineConfigLoader();
        PipelineConfig c = loader.Load(path);

        loader.ValidateTracker(c);

        Assert.Equal(30, c.Tracker.ForFrameRate(10).LostTrackBufferFrames);
    }

    [Fact]
    public void Validate_NoSources_SaysSourcesAreRequired()
    {
        var e = Assert.Throws<ConfigurationException>(() => new PipelineConfigLoader().Validate(new PipelineConfig { Model = new ModelOptions { Path = "/m.onnx" } }));
        Assert.Contains("sources", e.Message);
    }

    [Fact]
    public void Validate_DuplicateStreamNames_Fail()
    {
        var config = new PipelineConfig
        {
            Sources = [new SourceConfig { Uri = "/a.mp4", Name = "front" }, new SourceConfig { Uri = "/b.mp4", Name = "front" }],
            Model = new ModelOptions { Path = "/m.onnx" },
        };
        var e = Assert.Throws<ConfigurationException>(() => new PipelineConfigLoader().Validate(config));
        Assert.Contains("'front' is used twice", e.Message);
    }

    [Fact]
    public void Load_InvalidYaml_NamesFileAndLine()
    {
        string path = Write("pipeline:\n  pace: [unclosed\n");
        var e = Assert.Throws<ConfigurationException>(() => new PipelineConfigLoader().Load(path));
        Assert.Contains(path + ":", e.Message);
        Assert.Contains("not valid YAML", e.Message);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var e = Assert.Throws<ConfigurationException>(() => new PipelineConfigLoader().Load(Path.Combine(_dir, "nope.yaml")));
        Assert.Contains("nope.yaml", e.Message);
    }

    /// <summary>Every config shipped in configs/ binds and validates, and points at files that exist.</summary>
    [AssetFact]
    public void ShippedConfigs_LoadAndValidate()
    {
        // Drive files (a top-level 'cameras:' list) describe sources, not pipelines: DriveLoaderTests check them.
        string[] files = Directory.GetFiles(Path.Combine(TestAssets.RepositoryRoot, "configs"), "*.yaml")
            .Where(f => !File.ReadLines(f).Any(line => line.StartsWith("cameras:", StringComparison.Ordinal))).ToArray();
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            var loader = new PipelineConfigLoader(name => name == "REALTIMESEG_ASSETS" ? TestAssets.Directory : Environment.GetEnvironmentVariable(name));
            PipelineConfig c = loader.Load(file);
            loader.Validate(c);
            foreach (ModelOptions m in c.Models ?? [c.Model])
            {
                Assert.True(File.Exists(m.Path), $"{file}: model {m.Path} does not exist");
            }
            foreach (SourceConfig s in c.Sources)
            {
                if (s.Uri.StartsWith("synthetic:", StringComparison.Ordinal) || s.Uri.Contains("://", StringComparison.Ordinal))
                {
                    continue; // generated or network sources: nothing on disk to check
                }
                Assert.True(File.Exists(s.Uri), $"{file}: source {s.Uri} does not exist");
            }
        }
    }
}
