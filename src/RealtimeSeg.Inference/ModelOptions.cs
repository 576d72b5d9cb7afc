using System.Globalization;
using RealtimeSeg.Core;
using RealtimeSeg.Inference.Providers;

namespace RealtimeSeg.Inference;

/// <summary>
/// How to load and run one segmentation model (the <c>model:</c> section of a config, or <c>--model</c> and friends).
/// Every property has the documented default; <see cref="Validate"/> checks them all before anything is loaded.
/// </summary>
public sealed record ModelOptions
{
    /// <summary>The .onnx file.</summary>
    public string Path { get; init; } = "";

    /// <summary>Decoder to force (e.g. "yolo-seg"); null picks one from the output shapes and metadata.</summary>
    public string? Decoder { get; init; }

    /// <summary>Execution providers to try in order ("tensorrt", "cuda", "cpu"); unavailable ones fall back to the next.</summary>
    public IReadOnlyList<string> Providers { get; init; } = ["cpu"];

    /// <summary>GPU ordinal for the CUDA and TensorRT providers.</summary>
    public int DeviceId { get; init; }

    /// <summary>
    /// ONNX Runtime intra-op threads (the CPU provider's parallelism inside one operator); 0 (default) = every core but
    /// one (<see cref="EffectiveIntraOpThreads"/>). Range 0 … <see cref="MaxThreads"/>.
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// The intra-op threads the session gets: <see cref="IntraOpThreads"/>, or with 0 every core but one (at least one).
    /// The core left over runs capture, preprocessing, decoding, tracking and publishing beside the model instead of
    /// taking turns with its threads: on the 2-core reference machine the bundled model's pipeline then keeps 0.91–0.99
    /// of the bare <c>Run</c> loop's rate against 0.77–0.85 with both cores given to ONNX Runtime, at a lower absolute
    /// rate (~36 frames/s against ~48; docs/benchmarks.md). Set the core count to give the model every core.
    /// </summary>
    public int EffectiveIntraOpThreads => IntraOpThreads > 0 ? IntraOpThreads : Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// ONNX Runtime inter-op threads (operators run side by side). 1 = sequential execution, the default: detection
    /// graphs are chains, and a parallel executor only adds hand-offs on a small machine. Range 1 … <see cref="MaxThreads"/>.
    /// </summary>
    public int InterOpThreads { get; init; } = 1;

    /// <summary>
    /// Upper bound for <see cref="IntraOpThreads"/> and <see cref="InterOpThreads"/>: ONNX Runtime starts every thread
    /// asked for at session creation (100000 once started 32k), and more threads than cores only take turns on them.
    /// A fixed number rather than a multiple of <see cref="Environment.ProcessorCount"/>, so that a config validated on
    /// one machine (a CI runner) validates on another (the vehicle); 256 covers the largest two-socket servers.
    /// </summary>
    public const int MaxThreads = 256;

    /// <summary>The TensorRT provider's settings (the <c>tensorrt:</c> section); read only when "tensorrt" is tried.</summary>
    public TensorRtOptions Tensorrt { get; init; } = new();

    /// <summary>The CUDA provider's settings (the <c>cuda:</c> section); read only when "cuda" or "tensorrt" is tried.</summary>
    public CudaOptions Cuda { get; init; } = new();

    /// <summary>
    /// Model runs on a blank input at load time, before the first frame: the first run allocates arenas, picks
    /// kernels and — on TensorRT — builds the engine, which can take minutes. 0 skips warm-up. Range 0 … <see cref="MaxWarmupRuns"/>.
    /// </summary>
    public int WarmupRuns { get; init; } = 1;

    /// <summary>Upper bound for <see cref="WarmupRuns"/>.</summary>
    public const int MaxWarmupRuns = 100;

    /// <summary>
    /// Whether ONNX Runtime's idle worker threads spin. Off by default: spinning buys little on a small machine and
    /// steals the cores that decode and post-process the neighbouring frames.
    /// </summary>
    public bool AllowSpinning { get; init; }

    public float ConfidenceThreshold { get; init; } = 0.25f;

    /// <summary>NMS overlap above which the lower-scored box of the same class is dropped (Ultralytics predict uses 0.7).</summary>
    public float IouThreshold { get; init; } = 0.45f;

    /// <summary>
    /// Merge NMS, off when null: after NMS each kept box is replaced by the mean of the same-class candidates that
    /// overlap it by more than this IoU (itself included), weighted by score × IoU — YOLOv5's <c>merge=True</c>, a
    /// same-class weighted box fusion. Several anchors regress a box for each object; for small objects their scatter
    /// is a large fraction of the box, and the mean lies closer to the object than the single best-scoring box. Scores,
    /// classes and masks stay those of the kept candidate. Families that run NMS only (panoptic, yolo-seg, yolo-detect,
    /// yolox); loading any other fails naming this key.
    /// </summary>
    public float? MergeIouThreshold { get; init; }

    /// <summary>
    /// Most instances the decoder keeps per frame, best first (NMS and mask arenas are sized for it). Range
    /// 1 … <see cref="MaxDetectionsLimit"/>; the tracker's <c>max_detections</c> must be at least this (with
    /// <c>models:</c>, at least the sum over the models that emit instances), checked when the pipeline is built.
    /// </summary>
    public int MaxDetections { get; init; } = 100;

    /// <summary>Class ids to keep; null keeps all.</summary>
    public IReadOnlyList<int>? Classes { get; init; }

    /// <summary>Overrides the channel order the model is taken to expect (otherwise from metadata; RGB when unknown).</summary>
    public ColorOrder? ColorOrder { get; init; }

    /// <summary>
    /// How frames are fitted into the input: letterbox (default; aspect kept, padded) or stretch (each axis scaled, as
    /// square-input semantic models such as TF DeepLab are trained).
    /// </summary>
    public ResizeMode Resize { get; init; } = ResizeMode.Letterbox;

    /// <summary>Overrides the per-channel mean (3 values, model channel order); default 0.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Overrides the per-channel std (3 values, model channel order); default 255.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>
    /// The categories the model's classes are published as (the <c>categories:</c> list); null = from the model's
    /// metadata (names, <c>realtimeseg.categories</c>), else <c>class_N</c>.
    /// </summary>
    public IReadOnlyList<CategoryOptions>? Categories { get; init; }

    /// <summary>Per instance class, the thing category it is published as (-1 drops the class); null = class id = category id.</summary>
    public IReadOnlyList<int>? InstanceClasses { get; init; }

    /// <summary>Per semantic class, the stuff category its pixels take (-1 = void); null = class id = category id.</summary>
    public IReadOnlyList<int>? SemanticClasses { get; init; }

    /// <summary>Decoder names <see cref="Decoder"/> accepts, for help texts.</summary>
    public static IReadOnlyList<string> KnownDecoders => Decoding.DecoderRegistry.Names;

    /// <summary>Execution provider names <see cref="Providers"/> accepts, in fallback order.</summary>
    public static IReadOnlyList<string> KnownProviders { get; } = [ExecutionProviders.TensorRt, ExecutionProviders.Cuda, ExecutionProviders.Cpu];

    /// <summary>Upper bound for <see cref="MaxDetections"/>; beyond it NMS and mask arenas stop being small.</summary>
    public const int MaxDetectionsLimit = 10_000;

    /// <summary>Throws <see cref="ConfigurationException"/> naming the first bad key.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw Invalid("path", "a model file is required");
        }
        if (Decoder is not null && !Decoding.DecoderRegistry.IsKnown(Decoder))
        {
            throw Invalid("decoder", $"unknown decoder '{Decoder}' (known: {Decoding.DecoderRegistry.KnownNames})");
        }
        if (Providers is null || Providers.Count == 0)
        {
            throw Invalid("providers", $"at least one execution provider is required (known: {ExecutionProviders.KnownNames})");
        }
        for (int i = 0; i < Providers.Count; i++)
        {
            if (!ExecutionProviders.IsKnown(Providers[i]))
            {
                throw Invalid($"providers[{i}]", $"unknown execution provider '{Providers[i]}' (known: {ExecutionProviders.KnownNames})");
            }
        }
        if (DeviceId < 0)
        {
            throw Invalid("device_id", $"must be ≥ 0, got {DeviceId}");
        }
        if (IntraOpThreads is < 0 or > MaxThreads)
        {
            throw Invalid("intra_op_threads", $"must be in [0, {MaxThreads}] (0 = every core but one), got {IntraOpThreads}");
        }
        if (InterOpThreads is < 1 or > MaxThreads)
        {
            throw Invalid("inter_op_threads", $"must be in [1, {MaxThreads}] (1 = sequential execution), got {InterOpThreads}");
        }
        if (WarmupRuns < 0 || WarmupRuns > MaxWarmupRuns)
        {
            throw Invalid("warmup_runs", $"must be in [0, {MaxWarmupRuns}], got {WarmupRuns}");
        }
        if (Tensorrt is null)
        {
            throw Invalid("tensorrt", "must be a mapping of TensorRT settings (or absent)");
        }
        if (Cuda is null)
        {
            throw Invalid("cuda", "must be a mapping of CUDA settings (or absent)");
        }
        Tensorrt.Validate();
        Cuda.Validate();
        if (!(ConfidenceThreshold >= 0f && ConfidenceThreshold <= 1f))
        {
            throw Invalid("confidence_threshold", $"must be in [0, 1], got {ConfidenceThreshold.ToString(CultureInfo.InvariantCulture)}");
        }
        if (!(IouThreshold > 0f && IouThreshold <= 1f))
        {
            throw Invalid("iou_threshold", $"must be in (0, 1], got {IouThreshold.ToString(CultureInfo.InvariantCulture)}");
        }
        if (MergeIouThreshold is float merge && !(merge >= 0f && merge < 1f))
        {
            throw Invalid("merge_iou_threshold", $"must be in [0, 1), got {merge.ToString(CultureInfo.InvariantCulture)}");
        }
        if (MaxDetections < 1 || MaxDetections > MaxDetectionsLimit)
        {
            throw Invalid("max_detections", $"must be in [1, {MaxDetectionsLimit}], got {MaxDetections}");
        }
        if (Classes is not null)
        {
            for (int i = 0; i < Classes.Count; i++)
            {
                if (Classes[i] < 0)
                {
                    throw Invalid($"classes[{i}]", $"class ids are ≥ 0, got {Classes[i]}");
                }
            }
        }
        if (!Enum.IsDefined(Resize))
        {
            throw Invalid("resize", $"unknown value {(int)Resize} (letterbox or stretch)");
        }
        ValidateCategories();
        ValidateTriple("mean", Mean, allowZero: true);
        ValidateTriple("std", Std, allowZero: false);
    }

    private void ValidateCategories()
    {
        if (Categories is null)
        {
            if (InstanceClasses is not null || SemanticClasses is not null)
            {
                throw Invalid(InstanceClasses is not null ? "instance_classes" : "semantic_classes", "maps classes to categories, so it needs a categories: list");
            }
            return;
        }
        if (Categories.Count == 0)
        {
            throw Invalid("categories", "is empty; list at least one {id, name, thing} or remove the key");
        }
        var ids = new HashSet<int>();
        for (int i = 0; i < Categories.Count; i++)
        {
            CategoryOptions c = Categories[i] ?? throw Invalid($"categories[{i}]", "is empty; expected {id, name, thing, color}");
            if (c.Id < 0)
            {
                throw Invalid($"categories[{i}].id", $"must be ≥ 0, got {c.Id}");
            }
            if (!ids.Add(c.Id))
            {
                throw Invalid($"categories[{i}].id", $"id {c.Id} is used twice");
            }
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                throw Invalid($"categories[{i}].name", "a category needs a name");
            }
            if (c.Color is { } rgb && (rgb.Count != 3 || rgb.Any(v => v is < 0 or > 255)))
            {
                throw Invalid($"categories[{i}].color", "must be [r, g, b] with values 0..255");
            }
        }
        CheckMapping("instance_classes", InstanceClasses, ids);
        CheckMapping("semantic_classes", SemanticClasses, ids);
    }

    private static void CheckMapping(string key, IReadOnlyList<int>? mapping, HashSet<int> ids)
    {
        if (mapping is null)
        {
            return;
        }
        for (int i = 0; i < mapping.Count; i++)
        {
            if (mapping[i] != -1 && !ids.Contains(mapping[i]))
            {
                throw Invalid($"{key}[{i}]", $"category {mapping[i]} is not in categories (use -1 to drop the class)");
            }
        }
    }

    private static void ValidateTriple(string key, IReadOnlyList<float>? values, bool allowZero)
    {
        if (values is null)
        {
            return;
        }
        if (values.Count != 3)
        {
            throw Invalid(key, $"needs 3 values (one per channel), got {values.Count}");
        }
        for (int i = 0; i < 3; i++)
        {
            if (!float.IsFinite(values[i]) || (!allowZero && values[i] == 0f))
            {
                throw Invalid($"{key}[{i}]", $"must be finite{(allowZero ? "" : " and non-zero")}, got {values[i].ToString(CultureInfo.InvariantCulture)}");
            }
        }
    }

    private static ConfigurationException Invalid(string key, string problem) => new($"model.{key}: {problem}");
}
