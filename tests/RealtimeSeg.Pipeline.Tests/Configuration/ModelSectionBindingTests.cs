using RealtimeSeg.Core;
using RealtimeSeg.Inference.Providers;
using RealtimeSeg.Pipeline.Configuration;

namespace RealtimeSeg.Pipeline.Tests.Configuration;

/// <summary>The model section's provider settings and category tables, bound from YAML as the configs in configs/ write them.</summary>
public sealed class ModelSectionBindingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rseg-model-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private PipelineConfig Load(string model)
    {
        string path = Path.Combine(_dir, "pipeline.yaml");
        File.WriteAllText(path, "sources: [ { uri: /v.mp4 } ]\nmodel:\n" + model);
        var loader = new PipelineConfigLoader();
        PipelineConfig config = loader.Load(path);
        loader.Validate(config);
        return config;
    }

    [Fact]
    public void Load_ProviderSections_BindEveryKey()
    {
        PipelineConfig c = Load("""
              path: /m.onnx
              providers: [tensorrt, cuda, cpu]
              inter_op_threads: 2
              warmup_runs: 3
              tensorrt:
                device_id: 1
                fp16: true
                int8: true
                int8_calibration_table: calib.flatbuffers
                engine_cache_directory: /var/cache/trt
                timing_cache_directory: ""
                workspace_bytes: 1073741824
                builder_optimization_level: 5
                min_shapes: images:1x3x320x320
                opt_shapes: images:1x3x640x640
                max_shapes: images:1x3x640x640
              cuda:
                arena_extend_strategy: same_as_requested
                memory_limit_bytes: 2147483648
                cudnn_conv_algo_search: heuristic
                tf32: true
                copy_in_default_stream: false
            """);

        TensorRtOptions trt = c.Model.Tensorrt;
        Assert.Equal((1, true, true, "calib.flatbuffers", "/var/cache/trt", "", 1L << 30, 5), (trt.DeviceId, trt.Fp16, trt.Int8, trt.Int8CalibrationTable, trt.EngineCacheDirectory, trt.TimingCacheDirectory, trt.WorkspaceBytes, trt.BuilderOptimizationLevel));
        Assert.Equal(("images:1x3x320x320", "images:1x3x640x640"), (trt.MinShapes, trt.OptShapes));
        CudaOptions cuda = c.Model.Cuda;
        Assert.Equal((ArenaExtendStrategy.SameAsRequested, 2L << 30, CudnnConvAlgoSearch.Heuristic, true, false), (cuda.ArenaExtendStrategy, cuda.MemoryLimitBytes, cuda.CudnnConvAlgoSearch, cuda.Tf32, cuda.CopyInDefaultStream));
        Assert.Equal((2, 3), (c.Model.InterOpThreads, c.Model.WarmupRuns));
    }

    [Fact]
    public void Load_CategoryTable_BindsFlowMappings()
    {
        PipelineConfig c = Load("""
              path: /m.onnx
              categories:
                - { id: 1, name: "road", thing: false, color: [128, 64, 128] }
                - { id: 2, name: "lane mark", thing: false }
              semantic_classes: [-1, 1, 2]
            """);

        Assert.Equal(2, c.Model.Categories!.Count);
        Assert.Equal(("lane mark", false, null), (c.Model.Categories[1].Name, c.Model.Categories[1].Thing, c.Model.Categories[1].Color));
        Assert.Equal([128, 64, 128], c.Model.Categories[0].Color!);
        Assert.Equal([-1, 1, 2], c.Model.SemanticClasses!);
    }

    [Fact]
    public void Validate_BadBuilderLevel_NamesFileLineAndKey()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load("  path: /m.onnx\n  tensorrt:\n    builder_optimization_level: 9\n"));

        Assert.Contains("pipeline.yaml:", ex.Message);
        Assert.Contains("model.tensorrt.builder_optimization_level: must be in [0, 5], got 9", ex.Message);
    }

    [Fact]
    public void Load_MisspeltProviderKey_NamesTheKnownKeys()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load("  path: /m.onnx\n  tensorrt:\n    fp_16: true\n"));

        Assert.Contains("key 'model.tensorrt.fp_16': unknown key 'fp_16'", ex.Message);
        Assert.Contains("fp16", ex.Message);
    }
}
