using RealtimeSeg.Pipeline.Configuration;

namespace RealtimeSeg.Pipeline.Stats;

/// <summary>How stats files, the bench and metrics name a <see cref="LatencyStage"/>: snake_case (<c>capture_to_publish</c>).</summary>
public static class LatencyStageNames
{
    private static readonly string[] Names = Array.ConvertAll(Enum.GetValues<LatencyStage>(), s => YamlBinder.ToSnakeCase(s.ToString()));

    public static string Key(LatencyStage stage) => Names[(int)stage];
}
