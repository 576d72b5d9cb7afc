using System.Collections.Immutable;
using System.Diagnostics;
using RealtimeSeg.Core;
using RealtimeSeg.Inference;
using RealtimeSeg.Pipeline.Configuration;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// The models a pipeline runs on every frame: one (a <c>model:</c> config) or several fused into one panoptic output
/// (a <c>models:</c> config). Fusion puts every model's instance classes into one combined class space — model i's
/// class c is combined class <see cref="ClassOffsets"/>[i] + c — so one tracker stays class-aware across models, and
/// the composer gets one thing mapping over that space. Stuff comes from the one model with a semantic output
/// (<see cref="SemanticModel"/>). Owns the models.
/// </summary>
internal sealed class ModelSet : IDisposable
{
    private ModelSet(SegmentationModel[] models, int[] offsets, int semanticModel, ModelClasses classes)
    {
        Models = models;
        ClassOffsets = offsets;
        SemanticModel = semanticModel;
        Classes = classes;
        int detections = 0, arena = 0;
        foreach (SegmentationModel m in models)
        {
            detections += Math.Max(1, m.MaxDetections);
            arena += m.MaskArenaFloats;
        }
        MaxDetections = detections;
        MaskArenaFloats = arena;
        AssertInvariants();
    }

    public SegmentationModel[] Models { get; }

    /// <summary>Per model, where its instance classes start in the combined class space.</summary>
    public int[] ClassOffsets { get; }

    /// <summary>Index of the model whose semantic map gives the stuff, or -1 when no model has a semantic output.</summary>
    public int SemanticModel { get; }

    /// <summary>The output categories with the combined thing mapping and the stuff model's mapping.</summary>
    public ModelClasses Classes { get; }

    public CategoryTable Categories => Classes.Categories;

    /// <summary>The first model: its execution provider is the run's headline provider.</summary>
    public SegmentationModel Primary => Models[0];

    /// <summary>Detections of all models together, the size of a merged <see cref="DetectionSet"/>.</summary>
    public int MaxDetections { get; }

    public int MaskArenaFloats { get; }

    /// <summary>Loads the model(s) of <paramref name="config"/>. Errors of a fused model name its <c>models[i]</c> key.</summary>
    public static ModelSet Load(PipelineConfig config, IPipelineLog log)
    {
        if (!config.IsFusion)
        {
            SegmentationModel model = SegmentationModel.Load(config.Model, log);
            return new ModelSet([model], [0], model.ProducesSemantic ? 0 : -1, model.Classes);
        }
        ModelOptions[] options = FusionModels.Resolve(config, static _ => "");
        var models = new List<SegmentationModel>(options.Length);
        try
        {
            for (int i = 0; i < options.Length; i++)
            {
                try
                {
                    models.Add(SegmentationModel.Load(options[i], log));
                }
                catch (ConfigurationException e)
                {
                    throw new ConfigurationException(FusionModels.Rekey(e.Message, i), e);
                }
            }
            return Fuse([.. models]);
        }
        catch
        {
            foreach (SegmentationModel m in models)
            {
                m.Dispose();
            }
            throw;
        }
    }

    /// <summary>Combines loaded models that share one category table (each built from the merged <c>categories:</c>).</summary>
    internal static ModelSet Fuse(SegmentationModel[] models)
    {
        int semantic = -1;
        var offsets = new int[models.Length];
        var things = ImmutableArray.CreateBuilder<int>();
        for (int i = 0; i < models.Length; i++)
        {
            SegmentationModel m = models[i];
            if (m.ProducesSemantic)
            {
                if (semantic >= 0)
                {
                    throw new ConfigurationException(
                        $"key 'models[{i}]': '{Path.GetFileName(m.Path)}' has a semantic output, and so has models[{semantic}] ('{Path.GetFileName(models[semantic].Path)}'); fusion takes stuff from one model");
                }
                semantic = i;
            }
            offsets[i] = things.Count;
            things.AddRange(m.Classes.ThingCategoryForClass);
        }
        ImmutableArray<int> stuff = semantic >= 0 ? models[semantic].Classes.StuffCategoryForClass : [];
        return new ModelSet(models, offsets, semantic, new ModelClasses(models[0].Categories, things.ToImmutable(), stuff));
    }

    public void Dispose()
    {
        foreach (SegmentationModel m in Models)
        {
            m.Dispose();
        }
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(Models.Length > 0 && Models.Length == ClassOffsets.Length);
        Debug.Assert(SemanticModel < Models.Length);
        for (int i = 1; i < ClassOffsets.Length; i++)
        {
            Debug.Assert(ClassOffsets[i] >= ClassOffsets[i - 1], "class ranges follow model order");
        }
    }
}
