namespace RealtimeSeg.Web.Tests;

/// <summary>The tests that share one demo pipeline run (<see cref="ViewerPipelineFixture"/>): one model load, one busy core.</summary>
[CollectionDefinition(Name)]
public sealed class DemoPipelineCollection : ICollectionFixture<ViewerPipelineFixture>
{
    public const string Name = "demo pipeline with its HTTP endpoint";
}
