using System.Numerics.Tensors;
using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Decodes the YOLOX family described by a <see cref="YoloxLayout"/>: grid decode of each anchor
/// (cx = (x + gx)·s, w = e^w·s), score = objectness × best class, class-aware NMS, boxes mapped back through the
/// letterbox. Boxes only: detections carry no mask (<see cref="Detection.MaskIndex"/> = -1). Allocates nothing per frame.
/// </summary>
internal sealed class YoloxDecoder : IOutputDecoder
{
    private readonly YoloxLayout _layout;
    private readonly DecoderOptions _options;
    private readonly bool[]? _allowed;
    private readonly float[] _gridX;   // per anchor: grid column, row and stride, made once
    private readonly float[] _gridY;
    private readonly float[] _stride;

    public YoloxDecoder(YoloxLayout layout, DecoderOptions options)
    {
        layout.AssertInvariants();
        _layout = layout;
        _options = options;
        _allowed = options.AllowedClasses(layout.ClassCount);
        _gridX = new float[layout.AnchorCount];
        _gridY = new float[layout.AnchorCount];
        _stride = new float[layout.AnchorCount];
        int a = 0;
        foreach (int s in layout.Strides)
        {
            int gw = layout.InputWidth / s, gh = layout.InputHeight / s;
            for (int y = 0; y < gh; y++)
            {
                for (int x = 0; x < gw; x++, a++)
                {
                    (_gridX[a], _gridY[a], _stride[a]) = (x, y, s);
                }
            }
        }
    }

    public string Name => YoloxDecoderFactory.DecoderName;

    public int ClassCount => _layout.ClassCount;

    public int SemanticClassCount => 0;

    public int MaxDetections => _options.MaxDetections;

    public int MaskArenaFloats => 0;

    public object CreateWorkspace() => new CandidateWorkspace(_layout.AnchorCount, _options.MaxDetections, 0);

    public void Decode(InferenceSlot slot, DetectionSet output, SemanticMap? semantic)
        => Decode(slot.Output(_layout.Output), slot.Transform, (CandidateWorkspace)slot.DecoderWorkspace, output);

    public void Decode(ReadOnlySpan<float> raw, in LetterboxTransform transform, CandidateWorkspace ws, DetectionSet output)
    {
        if (raw.Length != _layout.OutputLength)
        {
            throw new ArgumentException($"expected {_layout.OutputLength} floats, got {raw.Length}", nameof(raw));
        }
        if (!transform.IsValid)
        {
            throw new ArgumentException("the slot holds no preprocessed frame (its letterbox transform is unset)", nameof(transform));
        }
        output.Clear();
        int c = _layout.Attributes, nc = _layout.ClassCount;
        float threshold = _options.ConfidenceThreshold;
        for (int a = 0; a < _layout.AnchorCount; a++)
        {
            ReadOnlySpan<float> row = raw.Slice(a * c, c);
            float objectness = row[4];
            if (objectness <= threshold)
            {
                // Class scores are at most 1, so the product cannot pass either: skip the class scan.
                ws.BestScore[a] = 0f;
                continue;
            }
            ReadOnlySpan<float> scores = row.Slice(5, nc);
            int cls = -1;
            if (_allowed is null)
            {
                cls = TensorPrimitives.IndexOfMax(scores);
            }
            else
            {
                float best = float.NegativeInfinity;
                for (int k = 0; k < nc; k++)
                {
                    if (_allowed[k] && scores[k] > best)
                    {
                        (cls, best) = (k, scores[k]);
                    }
                }
            }
            ws.BestScore[a] = cls < 0 ? 0f : objectness * scores[cls];
            ws.BestClass[a] = cls;
        }

        int count = ws.CollectBestFirst(_layout.AnchorCount, threshold);
        for (int j = 0; j < count; j++)
        {
            int a = ws.Anchors[j];
            ReadOnlySpan<float> row = raw.Slice(a * c, 4);
            float s = _stride[a];
            ws.Boxes[j] = BoundingBox.FromCenter((row[0] + _gridX[a]) * s, (row[1] + _gridY[a]) * s, MathF.Exp(row[2]) * s, MathF.Exp(row[3]) * s);
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
            if (box.Width > 0f && box.Height > 0f)
            {
                output.TryAdd(new Detection(box, ws.Classes[j], ws.Score(j), -1));
            }
        }
    }
}
