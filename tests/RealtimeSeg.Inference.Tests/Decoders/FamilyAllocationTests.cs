using RealtimeSeg.Core;
using RealtimeSeg.Inference.Diagnostics;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Inference.Tests.Decoders;

/// <summary>Preprocess, run and decode allocate nothing after warm-up for the new static-output families on real models.</summary>
public sealed class FamilyAllocationTests
{
    [AssetTheory]
    [InlineData("models/yolox-nano-416.onnx")]
    [InlineData("models/road-segmentation-adas-0001.onnx")]
    [InlineData("models/deeplabv3-mobilenetv2-voc-257.onnx")]
    public void PreprocessRunDecode_AfterWarmUp_AllocateNothing(string model)
    {
        using SegmentationModel m = SegmentationModel.Load(new ModelOptions { Path = TestAssets.Path(model), IntraOpThreads = 1 }, NullPipelineLog.Instance);
        using InferenceSlot slot = m.CreateSlot();
        using StillFrame frame = StillFrame.Read(TestAssets.UdacityCars, 0);
        DetectionSet set = m.CreateDetectionSet();
        SemanticMap? map = m.CreateSemanticMap();
        for (int i = 0; i < 2; i++)
        {
            m.Preprocess(frame.Pointer, frame.Width, frame.Height, frame.Stride, slot);
            m.Run(slot);
            m.Decode(slot, set, map);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            m.Preprocess(frame.Pointer, frame.Width, frame.Height, frame.Stride, slot);
            m.Run(slot);
            m.Decode(slot, set, map);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [DerivedModelTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decode_DerivedYoloModels_AllocatesNothing(bool endToEnd)
    {
        using SegmentationModel m = SegmentationModel.Load(new ModelOptions { Path = endToEnd ? DerivedModels.EndToEnd : DerivedModels.Detect }, NullPipelineLog.Instance);
        using InferenceSlot slot = m.CreateSlot();
        using StillFrame frame = StillFrame.Read(TestAssets.UdacityCars, 10);
        DetectionSet set = m.CreateDetectionSet();
        m.Preprocess(frame.Pointer, frame.Width, frame.Height, frame.Stride, slot);
        m.Run(slot);
        m.Decode(slot, set);
        Assert.NotEqual(0, set.Count);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            m.Decode(slot, set);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
