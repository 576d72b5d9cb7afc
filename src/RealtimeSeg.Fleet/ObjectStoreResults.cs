using NATS.Client.ObjectStore;
using NATS.Client.ObjectStore.Models;

namespace RealtimeSeg.Fleet;

/// <summary>
/// Results in the JetStream object store (<see cref="FleetNames.ResultBucket"/>), one object per file named
/// <c>&lt;job id&gt;/&lt;file&gt;</c>. A put under an existing name replaces the object (its old chunks are purged),
/// so storing a job twice leaves one copy. Replicated and clustered with the stream, no shared file system needed.
/// </summary>
internal sealed class ObjectStoreResults : IResultStore
{
    private readonly INatsObjStore _store;

    public ObjectStoreResults(INatsObjStore store)
    {
        _store = store;
    }

    public string Description => "object-store " + FleetNames.ResultBucket;

    public async Task StoreAsync(string jobId, string folder, CancellationToken ct)
    {
        foreach (string file in Directory.GetFiles(folder))
        {
            FileStream stream = File.OpenRead(file);
            await using (stream.ConfigureAwait(false))
            {
                await _store.PutAsync(jobId + "/" + Path.GetFileName(file), stream, leaveOpen: false, ct).ConfigureAwait(false);
            }
        }
    }

    public async Task<byte[]?> ReadAsync(string jobId, string name, CancellationToken ct)
    {
        try
        {
            return await _store.GetBytesAsync(jobId + "/" + name, ct).ConfigureAwait(false);
        }
        catch (NatsObjNotFoundException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        var names = new List<string>();
        try
        {
            await foreach (ObjectMetadata meta in _store.ListAsync(cancellationToken: ct).ConfigureAwait(false))
            {
                names.Add(meta.Name);
            }
        }
        catch (NatsObjException) when (names.Count == 0)
        {
            // An empty bucket: the client reports "no objects" as an error.
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
