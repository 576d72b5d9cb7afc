using NATS.Client.Core;
using NATS.Client.KeyValueStore;

namespace RealtimeSeg.Fleet;

/// <summary>Reads and writes the ledger bucket (<see cref="FleetNames.LedgerBucket"/>): source plans, completions, failures.</summary>
internal sealed class FleetLedger
{
    private readonly INatsKVStore _kv;

    public FleetLedger(INatsKVStore kv)
    {
        _kv = kv;
    }

    public async Task<IReadOnlyList<SourcePlan>> PlansAsync(CancellationToken ct)
    {
        var plans = new List<SourcePlan>();
        foreach (string key in await KeysAsync(FleetNames.SourceKeyPrefix, ct).ConfigureAwait(false))
        {
            if (await GetAsync<SourcePlan>(key, ct).ConfigureAwait(false) is { } plan)
            {
                plans.Add(plan);
            }
        }
        plans.Sort((a, b) => string.CompareOrdinal(a.Source, b.Source));
        return plans;
    }

    public async Task<SourcePlan?> PlanAsync(string source, CancellationToken ct)
        => await GetAsync<SourcePlan>(FleetNames.SourceKeyPrefix + SegmentPlanner.SourceKey(source), ct).ConfigureAwait(false);

    public Task<JobCompletion?> CompletionAsync(string jobId, CancellationToken ct) => GetAsync<JobCompletion>(FleetNames.DoneKeyPrefix + jobId, ct);

    public Task<JobFailure?> FailureAsync(string jobId, CancellationToken ct) => GetAsync<JobFailure>(FleetNames.FailedKeyPrefix + jobId, ct);

    /// <summary>Every completion record, by job id.</summary>
    public async Task<Dictionary<string, JobCompletion>> CompletionsAsync(CancellationToken ct)
    {
        var done = new Dictionary<string, JobCompletion>(StringComparer.Ordinal);
        foreach (string key in await KeysAsync(FleetNames.DoneKeyPrefix, ct).ConfigureAwait(false))
        {
            if (await GetAsync<JobCompletion>(key, ct).ConfigureAwait(false) is { } c)
            {
                done[c.JobId] = c;
            }
        }
        return done;
    }

    /// <summary>Ids of the jobs given up on.</summary>
    public async Task<HashSet<string>> FailedJobsAsync(CancellationToken ct)
    {
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in await KeysAsync(FleetNames.FailedKeyPrefix, ct).ConfigureAwait(false))
        {
            failed.Add(key[FleetNames.FailedKeyPrefix.Length..]);
        }
        return failed;
    }

    /// <summary>
    /// Records a completion unless one exists: true when this call created it. A redelivered job that completes again
    /// finds the first record and adds none (its results, equal, replaced the first ones under the same names).
    /// </summary>
    public async Task<bool> TryCompleteAsync(JobCompletion completion, CancellationToken ct)
    {
        NatsResult<ulong> created = await _kv.TryCreateAsync(FleetNames.DoneKeyPrefix + completion.JobId, FleetJson.Serialize(completion), cancellationToken: ct).ConfigureAwait(false);
        if (created.Success)
        {
            return true;
        }
        if (created.Error is NatsKVCreateException)
        {
            return false;
        }
        throw created.Error;
    }

    public async Task FailAsync(JobFailure failure, CancellationToken ct)
        => await _kv.PutAsync(FleetNames.FailedKeyPrefix + failure.Job.JobId, FleetJson.Serialize(failure), cancellationToken: ct).ConfigureAwait(false);

    private async Task<T?> GetAsync<T>(string key, CancellationToken ct)
        where T : class
    {
        NatsResult<NatsKVEntry<byte[]>> entry = await _kv.TryGetEntryAsync<byte[]>(key, cancellationToken: ct).ConfigureAwait(false);
        if (!entry.Success)
        {
            return entry.Error is NatsKVKeyNotFoundException or NatsKVKeyDeletedException ? null : throw entry.Error;
        }
        return entry.Value.Value is { } bytes ? FleetJson.Deserialize<T>(bytes, $"ledger entry '{key}' in {FleetNames.LedgerBucket}") : null;
    }

    private async Task<List<string>> KeysAsync(string prefix, CancellationToken ct)
    {
        var keys = new List<string>();
        try
        {
            await foreach (string key in _kv.GetKeysAsync([prefix + ">"], cancellationToken: ct).ConfigureAwait(false))
            {
                keys.Add(key);
            }
        }
        catch (NatsKVException) when (keys.Count == 0)
        {
            // An empty bucket.
        }
        return keys;
    }
}
