using System.CommandLine;
using RealtimeSeg.Inference;

namespace RealtimeSeg.Cli;

/// <summary><c>realtimeseg models inspect FILE</c>: inputs, outputs, metadata and the decoder the pipeline would use.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "ONNX model file" };
        var inspect = new Command("inspect", "print a model's inputs, outputs, metadata and the decoder it would get") { file };
        inspect.SetAction(parse =>
        {
            ModelDescription description = SegmentationModel.Describe(parse.GetValue(file)!);
            Console.Out.Write(ModelDescriptionText.Render(description));
            return 0;
        });
        return new Command("models", "inspect ONNX models") { inspect };
    }
}
