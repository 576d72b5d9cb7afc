using RealtimeSeg.Core;

namespace RealtimeSeg.Inference.Decoding;

/// <summary>
/// Decodes torchvision Mask R-CNN outputs (<see cref="MaskRcnnLayout"/>): instances above the confidence threshold,
/// best first, boxes mapped back through the letterbox, each mask sampled every <see cref="MaskRcnnLayout.MaskStep"/>
/// input pixels over the cells whose centres lie in its box. The outputs' size is known only after the run, so the
/// slot fetches them from ONNX Runtime each frame (a few small managed objects per run — the one family that is
/// not allocation-free; it is also far from real time on a CPU).
/// </summary>
internal sealed class MaskRcnnDecoder : IOutputDecoder
{
    private readonly MaskRcnnLayout _layout;
    private readonly DecoderOptions _options;
    private readonly bool[]? _allowed;

    public MaskRcnnDecoder(MaskRcnnLayout layout, DecoderOptions options)
    {
        layout.AssertInvariants();
        _layout = layout;
        _options = options;
        _allowed = options.AllowedClasses(layout.ClassCount);
    }

    public string Name => MaskRcnnDecoderFactory.DecoderName;

    public int ClassCount => _layout.ClassCount;

    public int SemanticClassCount => 0;

    public int MaxDetections => _options.MaxDetections;

    public int MaskArenaFloats => checked(_options.MaxDetections * _layout.MaskColumns * _layout.MaskRows);

    public object CreateWorkspace() => new CandidateWorkspace(MaskRcnnLayout.MaxRows, _options.MaxDetections, 0);

    public void Decode(InferenceSlot slot, DetectionSet output, SemanticMap? semantic)
    {
        ReadOnlySpan<long> labels = slot.Output<long>(_layout.LabelsOutput);
        Decode(slot.Output(_layout.BoxesOutput), labels, slot.Output(_layout.ScoresOutput), slot.Output(_layout.MasksOutput),
            slot.Transform, (CandidateWorkspace)slot.DecoderWorkspace, output);
    }

    /// <summary>The decoder proper on the four outputs of one run (n = <paramref name="scores"/>.Length).</summary>
    public void Decode(ReadOnlySpan<float> boxes, ReadOnlySpan<long> labels, ReadOnlySpan<float> scores, ReadOnlySpan<float> masks,
        in LetterboxTransform transform, CandidateWorkspace ws, DetectionSet output)
    {
        int n = scores.Length;
        int plane = _layout.InputWidth * _layout.InputHeight;
        if (boxes.Length != 4 * n || labels.Length != n || masks.Length != n * plane)
        {
            throw new ArgumentException(
                $"{n} scores need {4 * n} box values, {n} labels and {n}x{_layout.InputHeight}x{_layout.InputWidth} mask values; got {boxes.Length}, {labels.Length} and {masks.Length}");
        }
        if (!transform.IsValid)
        {
            throw new ArgumentException("the slot holds no preprocessed frame (its letterbox transform is unset)", nameof(transform));
        }
        output.Clear();
        n = Math.Min(n, MaskRcnnLayout.MaxRows);
        for (int i = 0; i < n; i++)
        {
            long label = labels[i];
            bool usable = scores[i] > _options.ConfidenceThreshold
                && label >= 0 && label < _layout.ClassCount
                && (_allowed is null || _allowed[label]);
            ws.BestScore[i] = usable ? scores[i] : 0f;
            ws.BestClass[i] = (int)Math.Clamp(label, 0, int.MaxValue);
        }
        int count = ws.CollectBestFirst(n, _options.ConfidenceThreshold);
        for (int j = 0; j < count && output.Count < _options.MaxDetections; j++)
        {
            int i = ws.Anchors[j];
            var inputBox = new BoundingBox(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]);
            BoundingBox box = transform.InputToImage(inputBox);
            if (box.Width <= 0f || box.Height <= 0f)
            {
                continue;
            }
            int maskIndex = output.Count < output.Capacity ? WriteMask(masks.Slice(i * plane, plane), box, transform, output) : -1;
            output.TryAdd(new Detection(box, ws.BestClass[i], ws.Score(j), maskIndex));
        }
    }

    private int WriteMask(ReadOnlySpan<float> mask, in BoundingBox imageBox, in LetterboxTransform t, DetectionSet output)
    {
        int step = _layout.MaskStep;
        int cols = _layout.MaskColumns, rows = _layout.MaskRows;
        (int u0, int u1) = PrototypeMasks.CellsInside(t.ImageToInputX(imageBox.X1) / step, t.ImageToInputX(imageBox.X2) / step, cols);
        (int v0, int v1) = PrototypeMasks.CellsInside(t.ImageToInputY(imageBox.Y1) / step, t.ImageToInputY(imageBox.Y2) / step, rows);
        int gw = u1 - u0, gh = v1 - v0;
        int index = output.TryAllocateMask(
            gw, gh,
            originX: (u0 * step - t.PadX) / t.Scale,
            originY: (v0 * step - t.PadY) / t.ScaleY,
            cellWidth: step / t.Scale,
            cellHeight: step / t.ScaleY,
            out Span<float> cells);
        if (index < 0)
        {
            return -1;
        }
        // Each cell takes the pixel nearest its centre; with step 1 that is the pasted mask itself.
        int half = step / 2;
        int w = _layout.InputWidth, h = _layout.InputHeight;
        for (int r = 0; r < gh; r++)
        {
            int y = Math.Min((v0 + r) * step + half, h - 1);
            ReadOnlySpan<float> src = mask.Slice(y * w, w);
            Span<float> dst = cells.Slice(r * gw, gw);
            for (int c = 0; c < gw; c++)
            {
                dst[c] = src[Math.Min((u0 + c) * step + half, w - 1)];
            }
        }
        return index;
    }
}
