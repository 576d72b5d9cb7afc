using RealtimeSeg.Core;
using RealtimeSeg.Inference.Providers;

namespace RealtimeSeg.Inference.Tests;

public sealed class ProviderOptionsTests
{
    [Fact]
    public void TensorRt_Defaults_MapToOrtKeysWithEngineAndTimingCache()
    {
        Dictionary<string, string> map = ProviderOptionMap.TensorRt(new TensorRtOptions(), defaultDeviceId: 0);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["device_id"] = "0",
                ["trt_fp16_enable"] = "0",
                ["trt_int8_enable"] = "0",
                ["trt_builder_optimization_level"] = "3",
                ["trt_engine_cache_enable"] = "1",
                ["trt_engine_cache_path"] = "trt-cache",
                ["trt_timing_cache_enable"] = "1",
                ["trt_timing_cache_path"] = "trt-cache",
            },
            map);
    }

    [Fact]
    public void TensorRt_EverySetting_MapsToItsOrtKey()
    {
        var options = new TensorRtOptions
        {
            DeviceId = 1,
            Fp16 = true,
            Int8 = true,
            Int8CalibrationTable = "calib.flatbuffers",
            Int8UseNativeCalibrationTable = true,
            EngineCacheDirectory = "/var/cache/rseg",
            TimingCacheDirectory = null,
            WorkspaceBytes = 2L << 30,
            BuilderOptimizationLevel = 5,
            MinShapes = "images:1x3x320x320",
            OptShapes = "images:1x3x640x640",
            MaxShapes = "images:1x3x1280x1280",
        };

        Dictionary<string, string> map = ProviderOptionMap.TensorRt(options, defaultDeviceId: 0);

        Assert.Equal("1", map["device_id"]);
        Assert.Equal("1", map["trt_fp16_enable"]);
        Assert.Equal("1", map["trt_int8_enable"]);
        Assert.Equal("calib.flatbuffers", map["trt_int8_calibration_table_name"]);
        Assert.Equal("1", map["trt_int8_use_native_calibration_table"]);
        Assert.Equal("/var/cache/rseg", map["trt_engine_cache_path"]);
        Assert.Equal("0", map["trt_timing_cache_enable"]);
        Assert.False(map.ContainsKey("trt_timing_cache_path"));
        Assert.Equal("2147483648", map["trt_max_workspace_size"]);
        Assert.Equal("5", map["trt_builder_optimization_level"]);
        Assert.Equal("images:1x3x320x320", map["trt_profile_min_shapes"]);
        Assert.Equal("images:1x3x640x640", map["trt_profile_opt_shapes"]);
        Assert.Equal("images:1x3x1280x1280", map["trt_profile_max_shapes"]);
    }

    [Fact]
    public void TensorRt_NoDeviceIdOfItsOwn_TakesTheModelsDeviceId()
        => Assert.Equal("3", ProviderOptionMap.TensorRt(new TensorRtOptions(), defaultDeviceId: 3)["device_id"]);

    [Fact]
    public void TensorRt_NoEngineCacheDirectory_DisablesTheCache()
    {
        Dictionary<string, string> map = ProviderOptionMap.TensorRt(new TensorRtOptions { EngineCacheDirectory = "" }, 0);

        Assert.Equal("0", map["trt_engine_cache_enable"]);
        Assert.False(map.ContainsKey("trt_engine_cache_path"));
    }

    [Fact]
    public void Cuda_Defaults_MapToOrtDefaultsWithTf32Off()
    {
        Dictionary<string, string> map = ProviderOptionMap.Cuda(new CudaOptions(), defaultDeviceId: 0);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["device_id"] = "0",
                ["arena_extend_strategy"] = "kNextPowerOfTwo",
                ["gpu_mem_limit"] = "18446744073709551615",
                ["cudnn_conv_algo_search"] = "EXHAUSTIVE",
                ["use_tf32"] = "0",
                ["do_copy_in_default_stream"] = "1",
            },
            map);
    }

    [Fact]
    public void Cuda_EverySetting_MapsToItsOrtKey()
    {
        var options = new CudaOptions
        {
            DeviceId = 2,
            ArenaExtendStrategy = ArenaExtendStrategy.SameAsRequested,
            MemoryLimitBytes = 1L << 30,
            CudnnConvAlgoSearch = CudnnConvAlgoSearch.Heuristic,
            Tf32 = true,
            CopyInDefaultStream = false,
        };

        Dictionary<string, string> map = ProviderOptionMap.Cuda(options, defaultDeviceId: 0);

        Assert.Equal(("2", "kSameAsRequested", "1073741824", "HEURISTIC", "1", "0"),
            (map["device_id"], map["arena_extend_strategy"], map["gpu_mem_limit"], map["cudnn_conv_algo_search"], map["use_tf32"], map["do_copy_in_default_stream"]));
    }

    [Theory]
    [InlineData("images:1x3x320x320", true)]
    [InlineData("images:1x3x320x320,mask:1x1x80x80", true)]
    [InlineData("images:1x3x320", true)]
    [InlineData("images", false)]
    [InlineData("images:", false)]
    [InlineData(":1x3", false)]
    [InlineData("images:1x3x0x320", false)]
    [InlineData("images:1x3x-1x320", false)]
    [InlineData("images:1,3,320,320", false)]
    public void IsShapeList_TensorRtProfileSyntax_Recognised(string text, bool expected)
        => Assert.Equal(expected, TensorRtOptions.IsShapeList(text));

    [Theory]
    [InlineData("device_id")]
    [InlineData("int8_calibration_table")]
    [InlineData("workspace_bytes")]
    [InlineData("builder_optimization_level")]
    [InlineData("opt_shapes")]
    [InlineData("min_shapes")]
    public void Validate_BadTensorRtSetting_NamesTheKey(string key)
    {
        TensorRtOptions bad = key switch
        {
            "device_id" => new TensorRtOptions { DeviceId = -1 },
            "int8_calibration_table" => new TensorRtOptions { Int8CalibrationTable = "calib.bin" }, // int8 off
            "workspace_bytes" => new TensorRtOptions { WorkspaceBytes = -5 },
            "builder_optimization_level" => new TensorRtOptions { BuilderOptimizationLevel = 6 },
            "opt_shapes" => new TensorRtOptions { MinShapes = "images:1x3x320x320", MaxShapes = "images:1x3x640x640" },
            "min_shapes" => new TensorRtOptions { MinShapes = "images:1x3", OptShapes = "images:1x3", MaxShapes = "images:1x3" } with { MinShapes = "images" },
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };

        var ex = Assert.Throws<ConfigurationException>(bad.Validate);

        Assert.StartsWith($"model.tensorrt.{key}: ", ex.Message);
    }

    [Fact]
    public void Validate_CalibrationTableWithAPath_SaysItIsLookedUpInTheCache()
    {
        var ex = Assert.Throws<ConfigurationException>(new TensorRtOptions { Int8 = true, Int8CalibrationTable = "/tmp/calib.bin" }.Validate);

        Assert.Contains("file name inside engine_cache_directory", ex.Message);
    }

    [Fact]
    public void Validate_NegativeCudaDevice_NamesTheKey()
    {
        var ex = Assert.Throws<ConfigurationException>(new CudaOptions { DeviceId = -1 }.Validate);

        Assert.Equal("model.cuda.device_id: must be ≥ 0, got -1", ex.Message);
    }

    [Fact]
    public void ModelOptionsValidate_ChecksProviderSections()
    {
        var options = new ModelOptions { Path = "m.onnx", Tensorrt = new TensorRtOptions { BuilderOptimizationLevel = -1 } };

        var ex = Assert.Throws<ConfigurationException>(options.Validate);

        Assert.StartsWith("model.tensorrt.builder_optimization_level:", ex.Message);
    }

    [Theory]
    [InlineData(0, "inter_op_threads")]
    [InlineData(-1, "warmup_runs")]
    public void ModelOptionsValidate_BadThreadsOrWarmup_NamesTheKey(int value, string key)
    {
        ModelOptions options = key == "inter_op_threads"
            ? new ModelOptions { Path = "m.onnx", InterOpThreads = value }
            : new ModelOptions { Path = "m.onnx", WarmupRuns = value };

        var ex = Assert.Throws<ConfigurationException>(options.Validate);

        Assert.StartsWith($"model.{key}:", ex.Message);
    }
}
