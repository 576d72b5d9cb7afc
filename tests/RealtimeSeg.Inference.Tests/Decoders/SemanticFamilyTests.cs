using RealtimeSeg.Core;
using RealtimeSeg.Inference.Decoding;
using RealtimeSeg.Inference.Metadata;
using RealtimeSeg.Inference.Onnx;

namespace RealtimeSeg.Inference.Tests.Decoders;

/// <summary>Recognising semantic outputs (NCHW or NHWC scores, integer maps) and arg-max reading in both layouts.</summary>
public sealed class SemanticFamilyTests
{
    private static readonly InputSpec Nhwc512x896 = new("data", TensorLayout.Nhwc, 896, 512, ColorOrder.Bgr, [0f, 0f, 0f], [1f, 1f, 1f]);
    private static readonly InputSpec Nchw512 = InputSpec.Ultralytics("images", TensorLayout.Nchw, 512, 512);

    private static TensorInfo Tensor(string type, params long[] shape) => new("out", type, shape, []);

    private static SemanticLayout Match(TensorInfo t, InputSpec input, RealtimeSegMetadata? meta = null)
    {
        bool ok = SemanticOutputMatcher.TryMatch(t, 0, meta ?? RealtimeSegMetadata.Empty, input, out SemanticLayout? layout, out string reason);
        Assert.True(ok, reason);
        return layout!;
    }

    [Fact]
    public void TryMatch_RoadSegmentationNhwcProbabilities_NhwcWithFourClasses()
    {
        SemanticLayout l = Match(Tensor("float32", 1, 512, 896, 4), Nhwc512x896);

        Assert.Equal((TensorLayout.Nhwc, SemanticEncoding.Scores, 4, 896, 512), (l.Layout, l.Encoding, l.ClassCount, l.Width, l.Height));
    }

    [Fact]
    public void TryMatch_MmsegNchwLogitsAtQuarterResolution_Nchw()
    {
        SemanticLayout l = Match(Tensor("float32", 1, 19, 128, 128), Nchw512);

        Assert.Equal((TensorLayout.Nchw, 19, 128, 128), (l.Layout, l.ClassCount, l.Width, l.Height));
    }

    [Fact]
    public void TryMatch_BothReadingsFit_TheOneWithTheInputsAspectRatioWins()
    {
        // [1, 21, 64, 64] on a 512x512 input: NCHW = 21 classes on 64x64 (square, as the input); NHWC = 64 classes on 21x64.
        SemanticLayout l = Match(Tensor("float32", 1, 21, 64, 64), Nchw512);

        Assert.Equal((TensorLayout.Nchw, 21), (l.Layout, l.ClassCount));
    }

    [Fact]
    public void TryMatch_MetadataClassCount_DecidesTheLayout()
    {
        var meta = RealtimeSegMetadata.Empty with { SemanticClasses = [.. Enumerable.Range(0, 64)] };

        SemanticLayout l = Match(Tensor("float32", 1, 21, 64, 64), Nchw512, meta);

        Assert.Equal((TensorLayout.Nhwc, 64, 64, 21), (l.Layout, l.ClassCount, l.Width, l.Height));
    }

    [Fact]
    public void TryMatch_IntegerMapWithoutClassCount_FailsSayingWhichMetadataIsMissing()
    {
        bool ok = SemanticOutputMatcher.TryMatch(Tensor("int64", 1, 512, 512), 0, RealtimeSegMetadata.Empty, Nchw512, out _, out string reason);

        Assert.False(ok);
        Assert.Contains("realtimeseg.semantic_classes", reason);
    }

    [Fact]
    public void TryMatch_TooManyClassesEitherWay_FailsNamingTheShape()
    {
        bool ok = SemanticOutputMatcher.TryMatch(Tensor("float32", 1, 300, 512, 300), 0, RealtimeSegMetadata.Empty, Nchw512, out _, out string reason);

        Assert.False(ok);
        Assert.Contains("[1,300,512,300]", reason);
    }

    [Fact]
    public void ReadScores_NhwcAndNchwOfTheSameScores_SameClasses()
    {
        // A 3x2 map with 3 classes; class = (x + y) % 3 has the top score.
        const int w = 3, h = 2, n = 3;
        var nhwc = new float[w * h * n];
        var nchw = new float[w * h * n];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int c = 0; c < n; c++)
                {
                    float v = c == (x + y) % 3 ? 2f : -c;
                    nhwc[(y * w + x) * n + c] = v;
                    nchw[c * w * h + y * w + x] = v;
                }
            }
        }
        var a = new byte[w * h];
        var b = new byte[w * h];

        SemanticMapReader.ReadScores(nhwc, new SemanticLayout(0, SemanticEncoding.Scores, TensorLayout.Nhwc, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, n, w, h, 6, 4), a);
        SemanticMapReader.ReadScores(nchw, new SemanticLayout(0, SemanticEncoding.Scores, TensorLayout.Nchw, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, n, w, h, 6, 4), b);

        Assert.Equal([0, 1, 2, 1, 2, 0], a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void SemanticDecoder_HasNoInstancesAndAtLeastOneDetectionSlot()
    {
        var layout = new SemanticLayout(0, SemanticEncoding.Scores, TensorLayout.Nhwc, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, 4, 896, 512, 896, 512);
        var decoder = new SemanticDecoder(layout, new DecoderOptions(0.25f, 0.45f, 100, null));

        Assert.Equal((0, 4, 0), (decoder.ClassCount, decoder.SemanticClassCount, decoder.MaskArenaFloats));
        Assert.True(decoder.MaxDetections >= 1);
    }
}
