using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Decodes the YOLO end-to-end family (<see cref="YoloEndToEndLayout"/>): the model already ran NMS, so each row
/// above the confidence threshold is an instance — corner box mapped back through the letterbox, class id read as a
/// number, mask = sigmoid(coefficients · prototypes) over its box as for raw YOLO heads. Rows are re-sorted best
/// first (exports sort, but nothing promises it) and capped at <see cref="DecoderOptions.MaxDetections"/>.
/// Allocates nothing per frame.
/// </summary>
internal sealed class YoloEndToEndDecoder : IOutputDecoder
{
    private readonly YoloEndToEndLayout _layout;
    private readonly DecoderOptions _options;
    private readonly bool[]? _allowed;

    public YoloEndToEndDecoder(YoloEndToEndLayout layout, DecoderOptions options)
    {
        layout.AssertInvariants();
        _layout = layout;
        _options = options;
        _allowed = options.AllowedClasses(layout.ClassCount);
    }

    public string Name => YoloEndToEndDecoderFactory.DecoderName;

    public int ClassCount => _layout.ClassCount;

    public int SemanticClassCount => 0;

    public int MaxDetections => _options.MaxDetections;

    public int MaskArenaFloats => _layout.MaskCount == 0 ? 0 : checked(_options.MaxDetections * _layout.ProtoHeight * _layout.ProtoWidth);

    public object CreateWorkspace() => new CandidateWorkspace(_layout.RowCount, _options.MaxDetections, 0);

    public void Decode(InferenceSlot slot, DetectionSet output, SemanticMap? semantic)
    {
        ReadOnlySpan<float> protos = _layout.MaskCount > 0 ? slot.Output(_layout.ProtoOutput) : default;
        Decode(slot.Output(_layout.HeadOutput), protos, slot.Transform, (CandidateWorkspace)slot.DecoderWorkspace, output);
    }

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
        int c = _layout.Attributes;
        for (int r = 0; r < _layout.RowCount; r++)
        {
            ReadOnlySpan<float> row = head.Slice(r * c, c);
            float score = row[YoloEndToEndLayout.ScoreOffset];
            float clsValue = row[YoloEndToEndLayout.ClassOffset];
            int cls = (int)MathF.Round(clsValue);
            bool usable = score > _options.ConfidenceThreshold
                && clsValue >= 0f && cls < _layout.ClassCount
                && (_allowed is null || _allowed[cls]);
            // A class id outside the table would publish a category nobody declared: such rows are dropped.
            ws.BestScore[r] = usable ? score : 0f;
            ws.BestClass[r] = cls;
        }
        int count = ws.CollectBestFirst(_layout.RowCount, _options.ConfidenceThreshold);
        for (int j = 0; j < count && output.Count < _options.MaxDetections; j++)
        {
            int r = ws.Anchors[j];
            ReadOnlySpan<float> row = head.Slice(r * c, c);
            BoundingBox box = transform.InputToImage(new BoundingBox(row[0], row[1], row[2], row[3]));
            if (box.Width <= 0f || box.Height <= 0f)
            {
                continue;
            }
            bool room = output.Count < output.Capacity;
            int maskIndex = room && _layout.MaskCount > 0
                ? PrototypeMasks.Write(protos, _layout.ProtoHeight, _layout.ProtoWidth, _layout.InputWidth, _layout.InputHeight,
                    row.Slice(YoloEndToEndLayout.MaskOffset, _layout.MaskCount), box, transform, output)
                : -1;
            output.TryAdd(new Detection(box, ws.BestClass[r], ws.Score(j), maskIndex));
        }
    }
}
