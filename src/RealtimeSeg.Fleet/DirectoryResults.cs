namespace RealtimeSeg.Fleet;

/// <summary>
/// Results in a shared folder (<c>--results DIR</c>): <c>DIR/&lt;job id&gt;/&lt;file&gt;</c>. A job's files are
/// written into a private temporary folder beside it and moved into place with one rename, so a reader never sees
/// half a result and a redelivered job replaces the folder instead of adding to it.
/// </summary>
internal sealed class DirectoryResults : IResultStore
{
    private readonly string _root;

    public DirectoryResults(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Description => _root;

    public Task StoreAsync(string jobId, string folder, CancellationToken ct)
    {
        string target = Path.Combine(_root, jobId);
        string staging = Path.Combine(_root, $".{jobId}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (string file in Directory.GetFiles(folder))
            {
                File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
            }
            if (Directory.Exists(target))
            {
                // An earlier delivery finished too: its content is equal; keep one copy (the newest).
                string old = staging + ".old";
                Directory.Move(target, old);
                Directory.Delete(old, recursive: true);
            }
            Directory.Move(staging, target);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
            throw;
        }
        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadAsync(string jobId, string name, CancellationToken ct)
    {
        string path = Path.Combine(_root, jobId, name);
        return Task.FromResult(File.Exists(path) ? File.ReadAllBytes(path) : null);
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        var names = new List<string>();
        foreach (string dir in Directory.GetDirectories(_root))
        {
            string job = Path.GetFileName(dir);
            if (job.StartsWith('.'))
            {
                continue;
            }
            foreach (string file in Directory.GetFiles(dir))
            {
                names.Add(job + "/" + Path.GetFileName(file));
            }
        }
        names.Sort(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>>(names);
    }
}
