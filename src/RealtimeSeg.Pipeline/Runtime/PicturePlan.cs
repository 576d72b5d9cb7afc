using RealtimeSeg.Pipeline.Configuration;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// What the pipeline does with each frame's picture beside the model input: scale it once, on the inference thread
/// while the frame slot is still held, to <c>images.max_width</c> (an exact halving, 720p → 640, is made by the
/// letterbox's own pass over the rows, <see cref="Inference.Preprocessing.BilinearPlanes"/>; other sizes by a resize); JPEG-encode every N-th of them on the image stage
/// (images on: the image topic, recordings); hand the scaled pixels of every frame to the sinks (an overlay draws on
/// them — copying the pixels costs a fraction of decoding the JPEG again, docs/benchmarks.md "Overlay video").
/// </summary>
/// <param name="Images">The scale, JPEG quality and every-N of the <c>images:</c> section.</param>
/// <param name="Jpeg">Encode JPEGs (<c>images.enabled</c>).</param>
/// <param name="Pixels">Carry every frame's scaled BGR pixels in its composed frame (an overlay sink is on).</param>
internal sealed record PicturePlan(ImageOptions Images, bool Jpeg, bool Pixels)
{
    /// <summary>Whether any frame is scaled at all (work items then hold a picture buffer).</summary>
    public bool Any => Jpeg || Pixels;

    public bool JpegDue(long sequence) => Jpeg && sequence % Images.Every == 0;

    public bool ScaleDue(long sequence) => Pixels || JpegDue(sequence);

    public static PicturePlan For(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new PicturePlan(config.Images, config.Images.Enabled, config.Overlay.Enabled);
    }
}
