namespace RealtimeSeg.Fleet;

/// <summary>
/// Where a job's results go, keyed by job id. <see cref="StoreAsync"/> is idempotent: storing a job's results again
/// (a redelivered job) replaces them with equal content under the same names, never adds a second copy.
/// </summary>
internal interface IResultStore
{
    /// <summary>Shown in completion records and logs: <c>object-store</c> or the folder.</summary>
    string Description { get; }

    /// <summary>Stores every file of <paramref name="folder"/> (<see cref="FleetNames.TracksFile"/>, …) as the results of <paramref name="jobId"/>.</summary>
    Task StoreAsync(string jobId, string folder, CancellationToken ct);

    /// <summary>The stored file <paramref name="name"/> of <paramref name="jobId"/>, or null when there is none.</summary>
    Task<byte[]?> ReadAsync(string jobId, string name, CancellationToken ct);

    /// <summary>Every stored name as <c>jobId/file</c> (the fault test checks there is exactly one set per job).</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken ct);
}
