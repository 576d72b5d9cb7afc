namespace RealtimeSeg.Web.Health;

/// <summary>
/// What <c>/readyz</c>, the viewer's figures and the stream-state metrics read: every stream's state now. Called from
/// request threads at any time while the run lasts; must not block.
/// </summary>
public interface IHealthSource
{
    IReadOnlyList<StreamHealth> Streams();
}
