using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Inference.Decoding;
using RealtimeSeg.Inference.Metadata;
using RealtimeSeg.Inference.Onnx;

using RealtimeSeg.Inference.Preprocessing;

namespace RealtimeSeg.Inference;

/// <summary>
/// One ONNX instance-segmentation model, validated at load time: one <see cref="InferenceSession"/>, the input it
/// expects, the decoder its outputs fit, and the categories it emits. Per frame the pipeline calls
/// <see cref="Preprocess(IntPtr, int, int, int, InferenceSlot)"/>, <see cref="Run"/> and <see cref="Decode"/> on an
/// <see cref="InferenceSlot"/>; none of them allocates managed memory after warm-up.
/// <para>Threading: the three calls may run concurrently on different slots (ONNX Runtime sessions are thread-safe
/// and all scratch lives in the slot); a slot is used by one thread at a time.</para>
/// </summary>
public sealed class SegmentationModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly IOutputDecoder _decoder;
    private readonly ModelSignature _signature;
    private readonly List<InferenceSlot> _slots = [];
    private readonly Lock _slotsLock = new();
    private bool _disposed;

    private SegmentationModel(InferenceSession session, ModelSignature signature, InputSpec input, IOutputDecoder decoder, string provider, ModelClasses classes)
    {
        _session = session;
        _signature = signature;
        _decoder = decoder;
        Input = input;
        ProviderName = provider;
        Classes = classes;
    }

    public string Path => _signature.Path;

    /// <summary>The decoder family in use, e.g. "yolo-seg".</summary>
    public string DecoderName => _decoder.Name;

    /// <summary>
    /// The execution provider that runs the model, as ONNX Runtime names it ("TensorrtExecutionProvider",
    /// "CUDAExecutionProvider", "CPUExecutionProvider") — the name <c>--stats</c> reports.
    /// </summary>
    public string ExecutionProvider => ExecutionProviders.OrtName(ProviderName);

    /// <summary>The same provider as the config names it: "tensorrt", "cuda" or "cpu".</summary>
    public string ProviderName { get; }

    /// <summary>Time the warm-up runs took at load (zero when <see cref="ModelOptions.WarmupRuns"/> is 0).</summary>
    public TimeSpan WarmUpTime { get; private set; }

    /// <summary>Time of the first warm-up run alone: the one that builds a TensorRT engine or tunes cuDNN.</summary>
    public TimeSpan FirstRunTime { get; private set; }

    public InputSpec Input { get; }

    /// <summary>e.g. "images float32 [1,3,320,320] NCHW RGB /255 letterbox".</summary>
    public string InputDescription => Input.Describe();

    /// <summary>
    /// The categories the model's output is published as: from metadata <c>realtimeseg.categories</c> when present,
    /// else one thing category per instance class named from metadata 'names' (else "class_N").
    /// </summary>
    public CategoryTable Categories => Classes.Categories;

    /// <summary>The categories with the per-class thing and stuff mappings the panoptic composer takes.</summary>
    public ModelClasses Classes { get; }

    /// <summary>Whether <see cref="Decode(InferenceSlot, DetectionSet, SemanticMap?)"/> fills a semantic map (the model has a semantic output).</summary>
    public bool ProducesSemantic => _decoder.SemanticClassCount > 0;

    /// <summary>A semantic map for <see cref="Decode(InferenceSlot, DetectionSet, SemanticMap?)"/>, or null when the model has no semantic output.</summary>
    public SemanticMap? CreateSemanticMap() => ProducesSemantic ? new SemanticMap() : null;

    /// <summary>Whether the model emits instances (detections) at all; a semantic-only model leaves every detection set empty.</summary>
    public bool ProducesInstances => _decoder.ClassCount > 0;

    /// <summary>
    /// Capacity of this model's detection sets: <see cref="ModelOptions.MaxDetections"/> for a model with instances
    /// (at least 1 even for a semantic-only model, which adds none).
    /// </summary>
    public int MaxDetections => _decoder.MaxDetections;

    public int MaskArenaFloats => _decoder.MaskArenaFloats;

    internal IOutputDecoder Decoder => _decoder;

    /// <summary>Output <paramref name="index"/> as the model declares it (batch resolved), in slot order.</summary>
    public TensorInfo OutputInfo(int index) => _signature.Outputs[index];

    internal InferenceSession Session => _session;

    /// <summary>Loads and validates a model. Throws <see cref="ConfigurationException"/> for bad options and
    /// <see cref="ModelLoadException"/> for a file that cannot be loaded or whose layout fits no decoder.</summary>
    public static SegmentationModel Load(ModelOptions options, IPipelineLog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        return Load(options, log, ExecutionProviders.Available());
    }

    /// <summary>As <see cref="Load(ModelOptions, IPipelineLog)"/> with the provider list given, so tests can exercise the
    /// fallback taken when a provider that claims to be available fails to start.</summary>
    internal static SegmentationModel Load(ModelOptions options, IPipelineLog log, IReadOnlyCollection<string> availableProviders)
    {
        options.Validate();
        string path = CheckFile(options.Path);
        string[] chain = [.. options.Providers.Select(ExecutionProviders.Normalize)];
        (InferenceSession session, string provider) = CreateSession(path, options, chain, availableProviders, log);
        try
        {
            ModelSignature signature = ModelSignature.Read(path, session);
            // Geometry first (the layouts depend only on it), then the family, whose convention fills in the colour
            // order and normalisation when neither the options nor the metadata give them.
            if (!InputResolver.TryResolve(signature, options, out InputSpec? geometry, out string? problem))
            {
                throw new ModelLoadException(path, problem);
            }
            (IOutputDecoderFactory family, IDecoderLayout layout) = DecoderRegistry.Resolve(signature, geometry, options.Decoder);
            if (options.MergeIouThreshold is not null && !family.RunsNms)
            {
                throw new ModelLoadException(path, $"merge_iou_threshold is set, but the {family.Name} decoder runs no NMS to merge boxes in (merge NMS applies to the panoptic, yolo-seg, yolo-detect and yolox families)");
            }
            if (!InputResolver.TryResolve(signature, options, family.Convention, out InputSpec? input, out problem, out _))
            {
                throw new ModelLoadException(path, problem);
            }
            IOutputDecoder decoder = family.Create(layout, DecoderOptions.From(options));
            ModelClasses classes = options.Categories is not null ? ConfiguredClasses.Build(options, decoder.ClassCount, decoder.SemanticClassCount) : BuildClasses(signature, decoder, log);
            var model = new SegmentationModel(session, signature, input, decoder, provider, classes);
            log.Info($"model '{path}': decoder {decoder.Name}, input {input.Describe()}, {classes.Categories.Categories.Count} categories, execution provider {provider} ({model.ExecutionProvider})");
            try
            {
                model.WarmUp(options, log);
            }
            catch
            {
                model.Dispose();
                throw;
            }
            return model;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the model <see cref="ModelOptions.WarmupRuns"/> times on a blank input before the first frame, so the
    /// first frame does not pay for arena growth, kernel selection or a TensorRT engine build (minutes on a large
    /// model, said in the log first so nobody takes it for a hang). Load-time only.
    /// </summary>
    private void WarmUp(ModelOptions options, IPipelineLog log)
    {
        if (options.WarmupRuns == 0)
        {
            return;
        }
        string file = System.IO.Path.GetFileName(Path);
        if (ProviderName == ExecutionProviders.TensorRt)
        {
            log.Info(string.IsNullOrEmpty(options.Tensorrt.EngineCacheDirectory)
                ? $"building TensorRT engine for '{file}'… (can take minutes; set model.tensorrt.engine_cache_directory to build it only once)"
                : $"building TensorRT engine for '{file}'… (can take minutes the first time; cached in '{options.Tensorrt.EngineCacheDirectory}')");
        }
        using InferenceSlot slot = CreateSlot();
        long start = Stopwatch.GetTimestamp();
        long first = 0;
        for (int i = 0; i < options.WarmupRuns; i++)
        {
            slot.RunBound(_session);
            if (i == 0)
            {
                first = Stopwatch.GetTimestamp();
            }
        }
        WarmUpTime = Stopwatch.GetElapsedTime(start);
        FirstRunTime = Stopwatch.GetElapsedTime(start, first);
        log.Info(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"model '{file}': warm-up {options.WarmupRuns} run(s) on {ExecutionProvider} in {WarmUpTime.TotalMilliseconds:0} ms (first {FirstRunTime.TotalMilliseconds:0} ms)"));
    }

    /// <summary>A new in-flight slot with its own buffers. Load-time work: call it at start-up, not per frame.</summary>
    public InferenceSlot CreateSlot()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var slot = new InferenceSlot(this, _session, Input, _signature.Outputs, _decoder.CreateWorkspace());
        lock (_slotsLock)
        {
            _slots.Add(slot);
        }
        return slot;
    }

    /// <summary>A detection set big enough that <see cref="Decode"/> never drops a detection or a mask.</summary>
    public DetectionSet CreateDetectionSet() => new(MaxDetections, MaskArenaFloats);

    /// <summary>Letterboxes a BGR frame (<paramref name="height"/> rows of <paramref name="stride"/> bytes) into the slot's input.</summary>
    public void Preprocess(IntPtr bgr, int width, int height, int stride, InferenceSlot slot)
        => Preprocess(bgr, width, height, stride, slot, PictureTarget.None);

    /// <summary>
    /// The same, and the frame at half size into <paramref name="picture"/> if the letterbox can make it on the way
    /// (its fused path, an exact halving); returns whether it did.
    /// </summary>
    public unsafe bool Preprocess(IntPtr bgr, int width, int height, int stride, InferenceSlot slot, in PictureTarget picture)
    {
        CheckSlot(slot);
        if (bgr == IntPtr.Zero)
        {
            ThrowHelper.ThrowArgument(nameof(bgr), "the frame pointer is null");
        }
        if (width <= 0 || height <= 0 || stride < width * 3)
        {
            ThrowHelper.ThrowArgument(nameof(stride), "a BGR frame needs width > 0, height > 0 and stride ≥ 3 × width");
        }
        NativeTensor input = slot.InputTensor;
        slot.Transform = slot.Preprocessor.Run(bgr, width, height, stride, input.Pointer, input.Length, picture, out bool pictured);
        slot.State = SlotState.Preprocessed;
        slot.AssertInvariants();
        return pictured;
    }

    /// <summary>Letterboxes a leased frame into the slot's input. The lease stays with the caller.</summary>
    public void Preprocess(in FrameLease frame, InferenceSlot slot)
        => Preprocess(frame.Pointer, frame.Width, frame.Height, frame.Stride, slot);

    /// <summary>Runs the model on the slot's input into the slot's outputs (blocking).</summary>
    public void Run(InferenceSlot slot)
    {
        CheckSlot(slot);
        if (slot.State == SlotState.Empty)
        {
            ThrowHelper.ThrowInvalidOperation("Run needs a preprocessed frame in the slot; call Preprocess first");
        }
        slot.RunBound(_session);
        slot.State = SlotState.Inferred;
    }

    /// <summary>Clears <paramref name="output"/> and fills it with the slot's detections and masks, in image pixels, best first.</summary>
    public void Decode(InferenceSlot slot, DetectionSet output) => Decode(slot, output, null);

    /// <summary>
    /// As <see cref="Decode(InferenceSlot, DetectionSet)"/>, and fills <paramref name="semantic"/> with the model's
    /// per-pixel classes when it has a semantic output (see <see cref="ProducesSemantic"/>); null skips that.
    /// </summary>
    public void Decode(InferenceSlot slot, DetectionSet output, SemanticMap? semantic)
    {
        CheckSlot(slot);
        ArgumentNullException.ThrowIfNull(output);
        if (slot.State != SlotState.Inferred)
        {
            ThrowHelper.ThrowInvalidOperation("Decode needs the outputs of the frame in the slot; call Run after Preprocess first");
        }
        _decoder.Decode(slot, output, semantic);
    }

    /// <summary>What <c>realtimeseg models inspect FILE</c> prints: tensors, metadata and the decoder that would be used, and why.</summary>
    public static ModelDescription Describe(string path)
    {
        string full = CheckFile(path);
        using var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using InferenceSession session = OpenSession(full, so);
        ModelSignature signature = ModelSignature.Read(full, session);
        bool inputOk = InputResolver.TryResolve(signature, null, out InputSpec? input, out string? problem);
        (IOutputDecoderFactory? chosen, IDecoderLayout? layout, ImmutableArray<DecoderVerdict> verdicts) = DecoderRegistry.Evaluate(signature, input, problem, null);
        string convention = "";
        if (inputOk)
        {
            InputResolver.TryResolve(signature, null, chosen?.Convention, out input, out _, out convention);
        }
        IReadOnlyList<string>? names = signature.ClassNames is { } n ? [.. n.Values] : null;
        return new ModelDescription(
            full,
            signature.Producer,
            signature.RawInputs,
            signature.RawOutputs,
            [.. signature.Metadata],
            inputOk ? input!.Describe() : null,
            inputOk ? convention : null,
            problem,
            chosen?.Name,
            verdicts,
            layout?.ClassCount,
            names,
            ExecutionProviders.Available())
        {
            SemanticClassCount = layout switch
            {
                SemanticOnlyLayout semantic => semantic.Semantic.ClassCount,
                PanopticLayout panoptic => panoptic.Stuff.ClassCount,
                _ => 0,
            },
        };
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        InferenceSlot[] slots;
        lock (_slotsLock)
        {
            slots = [.. _slots];
        }
        foreach (InferenceSlot s in slots)
        {
            s.Dispose();
        }
        _session.Dispose();
    }

    internal void Forget(InferenceSlot slot)
    {
        lock (_slotsLock)
        {
            _slots.Remove(slot);
        }
    }

    private void CheckSlot(InferenceSlot slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(slot);
        ObjectDisposedException.ThrowIf(slot.IsDisposed, slot);
        if (!ReferenceEquals(slot.Owner, this))
        {
            ThrowHelper.ThrowArgument(nameof(slot), "the slot was created by another model");
        }
    }

    private static string CheckFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ModelLoadException(path ?? "", "no model file given");
        }
        string full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new ModelLoadException(full, "it is a directory, not an .onnx file");
        }
        if (!File.Exists(full))
        {
            throw new ModelLoadException(full, "file not found");
        }
        return full;
    }

    private static (InferenceSession Session, string Provider) CreateSession(
        string path, ModelOptions options, string[] chain, IReadOnlyCollection<string> available, IPipelineLog log)
    {
        int start = 0;
        while (true)
        {
            using var so = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                IntraOpNumThreads = options.EffectiveIntraOpThreads,
                InterOpNumThreads = options.InterOpThreads,
                ExecutionMode = options.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            };
            so.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
            int primary = ExecutionProviders.Append(so, chain, start, options, available, log);
            string provider = primary >= 0 ? chain[primary] : ExecutionProviders.Cpu;
            if (provider == ExecutionProviders.Cpu)
            {
                return (OpenSession(path, so), provider);
            }
            try
            {
                return (new InferenceSession(path, so), provider);
            }
            catch (OnnxRuntimeException ex)
            {
                // A GPU provider can pass the availability check and still fail here (no device, driver mismatch, engine build).
                log.Warn($"execution provider '{provider}' failed to start a session ({ExecutionProviders.FirstLine(ex.Message)}); falling back to '{ExecutionProviders.Next(chain, primary)}'");
                start = primary + 1;
            }
        }
    }

    private static InferenceSession OpenSession(string path, SessionOptions so)
    {
        try
        {
            return new InferenceSession(path, so);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException(path, $"ONNX Runtime cannot load it ({ExecutionProviders.FirstLine(ex.Message)})", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(path, $"cannot read it ({ex.Message})", ex);
        }
    }

    private static ModelClasses BuildClasses(ModelSignature signature, IOutputDecoder decoder, IPipelineLog log)
    {
        RealtimeSegMetadata meta = signature.Extensions;
        if (meta.Categories is { } table)
        {
            return FromMetadata(signature.Path, table, meta, decoder);
        }
        CategoryTable things = BuildThingCategories(signature, decoder, log);
        if (decoder.SemanticClassCount == 0)
        {
            return ModelClasses.ThingsOnly(things);
        }
        // No category metadata on a model with a semantic output: its classes become stuff categories numbered after
        // the instance classes, named class_N (a config's category table replaces this).
        var list = new List<Category>(things.Categories);
        var stuff = ImmutableArray.CreateBuilder<int>(decoder.SemanticClassCount);
        for (int c = 0; c < decoder.SemanticClassCount; c++)
        {
            int id = decoder.ClassCount + c;
            list.Add(new Category(id, $"class_{c}", IsThing: false, Palette.ColorFor(id)));
            stuff.Add(id);
        }
        return new ModelClasses(new CategoryTable(list), ModelClasses.ThingsOnly(things).ThingCategoryForClass, stuff.MoveToImmutable());
    }

    private static ModelClasses FromMetadata(string path, CategoryTable table, RealtimeSegMetadata meta, IOutputDecoder decoder)
    {
        if (decoder.ClassCount > 0 && meta.InstanceClasses.Length != decoder.ClassCount)
        {
            throw new ModelLoadException(path, $"metadata '{RealtimeSegMetadata.InstanceClassesKey}' lists {meta.InstanceClasses.Length} classes; the instance head scores {decoder.ClassCount}");
        }
        if (decoder.SemanticClassCount > 0 && meta.SemanticClasses.Length != decoder.SemanticClassCount)
        {
            throw new ModelLoadException(path, $"metadata '{RealtimeSegMetadata.SemanticClassesKey}' lists {meta.SemanticClasses.Length} classes; the semantic output has {decoder.SemanticClassCount}");
        }
        var things = ImmutableArray.CreateBuilder<int>(decoder.ClassCount);
        for (int c = 0; c < decoder.ClassCount; c++)
        {
            int id = meta.InstanceClasses[c];
            if (id >= 0 && table.TryGet(id, out Category category) && !category.IsThing)
            {
                throw new ModelLoadException(path, $"metadata '{RealtimeSegMetadata.InstanceClassesKey}': instance class {c} maps to '{category.Name}', a stuff category");
            }
            things.Add(id);
        }
        var stuff = ImmutableArray.CreateBuilder<int>(decoder.SemanticClassCount);
        for (int c = 0; c < decoder.SemanticClassCount; c++)
        {
            int id = meta.SemanticClasses[c];
            stuff.Add(id >= 0 && table.TryGet(id, out Category category) && !category.IsThing ? id : -1);
        }
        return new ModelClasses(table, things.MoveToImmutable(), stuff.MoveToImmutable());
    }

    private static CategoryTable BuildThingCategories(ModelSignature signature, IOutputDecoder decoder, IPipelineLog log)
    {
        int classCount = decoder.ClassCount;
        Debug.Assert(classCount > 0 || decoder.SemanticClassCount > 0, "every decoder family reports its class count (a semantic-only one has no instance classes)");
        if (signature.NamesProblem is not null)
        {
            log.Warn($"model '{signature.Path}': {signature.NamesProblem}; classes are named class_N");
        }
        if (signature.ClassNames is not { } names || names.Count != classCount)
        {
            return CategoryTable.Unnamed(classCount);
        }
        var list = new Category[classCount];
        foreach (KeyValuePair<int, string> kv in names)
        {
            list[kv.Key] = new Category(kv.Key, kv.Value, IsThing: true, Palette.ColorFor(kv.Key));
        }
        return new CategoryTable(list);
    }
}
