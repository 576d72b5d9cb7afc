namespace RealtimeSeg.Publishing.Tests.Support;

/// <summary>
/// Tests that measure the publisher thread's allocations run alone: under CPU contention from parallel tests
/// the subscriber falls behind, ZeroMQ starts dropping, and NetMQ's drop bookkeeping allocates on the sending
/// thread — a different scenario from the steady state being measured.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedCollection
{
    public const string Name = "isolated";
}
