using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Decodes the YOLO segmentation family described by a <see cref="YoloSegLayout"/>: best class per candidate,
/// confidence filter, class-aware NMS, boxes mapped back through the letterbox to image pixels, and each kept
/// instance's mask = sigmoid(coefficients · prototypes) computed only over the prototype cells its box covers,
/// stored at prototype resolution in the <see cref="DetectionSet"/>'s arena. With no coefficients (nm = 0) the same
/// code decodes the YOLO detection head, whose instances carry no mask. Allocates nothing per frame.
/// </summary>
internal sealed class YoloSegDecoder : IOutputDecoder
{
    private readonly YoloSegLayout _layout;
    private readonly DecoderOptions _options;
    private readonly bool[]? _allowed; // per class; null = all

    private readonly string _name;

    public YoloSegDecoder(YoloSegLayout layout, DecoderOptions options, string name = YoloSegDecoderFactory.DecoderName)
    {
        _name = name;
        layout.AssertInvariants();
        _layout = layout;
        _options = options;
        _allowed = options.AllowedClasses(layout.ClassCount);
    }

    /// <summary>"yolo-seg", or "yolo-detect" for the same head without mask coefficients.</summary>
    public string Name => _name;

    public YoloSegLayout Layout => _layout;

    public int ClassCount => _layout.ClassCount;

    public int SemanticClassCount => 0;

    public int MaxDetections => _options.MaxDetections;

    /// <summary>Enough for every detection's box to span all prototype cells, so no mask is ever dropped.</summary>
    public int MaskArenaFloats => _layout.MaskCount == 0 ? 0 : checked(_options.MaxDetections * _layout.ProtoHeight * _layout.ProtoWidth);

    public object CreateWorkspace() => new CandidateWorkspace(_layout.AnchorCount, _options.MaxDetections, _layout.MaskCount);

    public void Decode(InferenceSlot slot, DetectionSet output, SemanticMap? semantic)
    {
        var workspace = (CandidateWorkspace)slot.DecoderWorkspace;
        ReadOnlySpan<float> protos = _layout.MaskCount > 0 ? slot.Output(_layout.ProtoOutput) : default;
        Decode(slot.Output(_layout.HeadOutput), protos, slot.Transform, workspace, output);
    }

    /// <summary>The decoder proper, on raw output spans (tests feed hand-made tensors here).</summary>
    public void Decode(ReadOnlySpan<float> head, ReadOnlySpan<float> protos, in LetterboxTransform transform, CandidateWorkspace ws, DetectionSet output)
    {
        if (head.Length != _layout.HeadLength || protos.Length != _layout.ProtoLength)
        {
            throw new ArgumentException($"expected a head of {_layout.HeadLength} and prototypes of {_layout.ProtoLength} floats, got {head.Length} and {protos.Length}");
        }
        if (!transform.IsValid)
        {
            throw new ArgumentException("the slot holds no preprocessed frame (its letterbox transform is unset)", nameof(transform));
        }
        output.Clear();

        if (!ScoreAnchors(head, ws))
        {
            return;
        }
        int count = ws.CollectBestFirst(_layout.AnchorCount, _options.ConfidenceThreshold);
        for (int j = 0; j < count; j++)
        {
            int a = ws.Anchors[j];
            ws.Boxes[j] = BoundingBox.FromCenter(Attribute(head, a, 0), Attribute(head, a, 1), Attribute(head, a, 2), Attribute(head, a, 3));
            ws.Classes[j] = ws.BestClass[a];
        }
        int kept = NonMaxSuppression.SelectClassAware(
            ws.Boxes.AsSpan(0, count), ws.Classes.AsSpan(0, count), _options.IouThreshold, _options.MaxDetections, ws.Keep);
        if (_options.MergeIouThreshold is float mergeIou)
        {
            ws.MergeKept(count, kept, mergeIou);
        }

        for (int q = 0; q < kept; q++)
        {
            int j = ws.Keep[q];
            BoundingBox box = transform.InputToImage(ws.Boxes[j]);
            if (box.Width <= 0f || box.Height <= 0f)
            {
                continue; // wholly in the padding
            }
            // A full set only counts the overflow: spending arena on a mask nobody will reference would be waste.
            bool room = output.Count < output.Capacity;
            int maskIndex = room && _layout.MaskCount > 0 ? WriteMask(head, protos, ws.Anchors[j], box, transform, ws, output) : -1;
            output.TryAdd(new Detection(box, ws.Classes[j], ws.Score(j), maskIndex));
        }
    }

    /// <summary>Fills the best class and score per anchor; false when the class filter leaves no class.</summary>
    private bool ScoreAnchors(ReadOnlySpan<float> head, CandidateWorkspace ws)
    {
        int n = _layout.AnchorCount;
        Span<float> best = ws.BestScore.AsSpan(0, n);
        Span<int> bestClass = ws.BestClass.AsSpan(0, n);
        bool any = false;
        if (_layout.AttributesFirst)
        {
            // Class-major: each class is a contiguous row of n scores, so the running max is a vector compare.
            for (int c = 0; c < _layout.ClassCount; c++)
            {
                if (_allowed is not null && !_allowed[c])
                {
                    continue;
                }
                ReadOnlySpan<float> row = head.Slice((_layout.ClassOffset + c) * n, n);
                if (!any)
                {
                    row.CopyTo(best);
                    bestClass.Fill(c);
                    any = true;
                    continue;
                }
                MaxInto(row, best, bestClass, c);
            }
            if (any && _layout.HasObjectness)
            {
                TensorPrimitives.Multiply(best, head.Slice(_layout.ObjectnessOffset * n, n), best);
            }
            return any;
        }

        int stride = _layout.Attributes;
        for (int a = 0; a < n; a++)
        {
            ReadOnlySpan<float> scores = head.Slice(a * stride + _layout.ClassOffset, _layout.ClassCount);
            int cls = -1;
            float score = float.NegativeInfinity;
            if (_allowed is null)
            {
                cls = TensorPrimitives.IndexOfMax(scores);
                score = scores[cls];
            }
            else
            {
                for (int c = 0; c < scores.Length; c++)
                {
                    if (_allowed[c] && scores[c] > score)
                    {
                        (cls, score) = (c, scores[c]);
                    }
                }
                if (cls < 0)
                {
                    return false;
                }
            }
            best[a] = _layout.HasObjectness ? score * head[a * stride + _layout.ObjectnessOffset] : score;
            bestClass[a] = cls;
        }
        return true;
    }

    private static void MaxInto(ReadOnlySpan<float> row, Span<float> best, Span<int> bestClass, int cls)
    {
        int n = row.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float r = ref MemoryMarshal.GetReference(row);
            ref float b = ref MemoryMarshal.GetReference(best);
            ref int k = ref MemoryMarshal.GetReference(bestClass);
            Vector256<int> clsVector = Vector256.Create(cls);
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                Vector256<float> rv = Vector256.LoadUnsafe(ref r, (nuint)i);
                Vector256<float> bv = Vector256.LoadUnsafe(ref b, (nuint)i);
                Vector256<int> greater = Vector256.GreaterThan(rv, bv).AsInt32();
                Vector256.Max(rv, bv).StoreUnsafe(ref b, (nuint)i);
                Vector256.ConditionalSelect(greater, clsVector, Vector256.LoadUnsafe(ref k, (nuint)i)).StoreUnsafe(ref k, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            if (row[i] > best[i])
            {
                best[i] = row[i];
                bestClass[i] = cls;
            }
        }
    }

    private float Attribute(ReadOnlySpan<float> head, int anchor, int attribute)
        => _layout.AttributesFirst ? head[attribute * _layout.AnchorCount + anchor] : head[anchor * _layout.Attributes + attribute];

    /// <summary>Computes the instance's mask over the prototype cells its (image-clamped) box covers; returns its index or -1.</summary>
    private int WriteMask(ReadOnlySpan<float> head, ReadOnlySpan<float> protos, int anchor, in BoundingBox imageBox, in LetterboxTransform t, CandidateWorkspace ws, DetectionSet output)
    {
        YoloSegLayout l = _layout;
        Span<float> coefficients = ws.Coefficients.AsSpan(0, l.MaskCount);
        for (int k = 0; k < coefficients.Length; k++)
        {
            coefficients[k] = Attribute(head, anchor, l.MaskOffset + k);
        }
        return PrototypeMasks.Write(protos, l.ProtoHeight, l.ProtoWidth, l.InputWidth, l.InputHeight, coefficients, imageBox, t, output);
    }

    /// <inheritdoc cref="PrototypeMasks.CellsInside"/>
    internal static (int First, int End) CellsInside(float lo, float hi, int cellCount) => PrototypeMasks.CellsInside(lo, hi, cellCount);
}
