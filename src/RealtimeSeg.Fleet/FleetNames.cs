namespace RealtimeSeg.Fleet;

/// <summary>
/// The JetStream objects the fleet uses (docs/scale-out.md). Every submitter and worker of one fleet agrees on these;
/// <c>fleet submit</c> and <c>worker</c> create them when missing.
/// </summary>
internal static class FleetNames
{
    /// <summary>Work-queue stream of job messages: a message is removed when a worker acks it.</summary>
    public const string JobStream = "RSEG_JOBS";

    /// <summary>Subject prefix of job messages: <c>rseg.jobs.&lt;job id&gt;</c>.</summary>
    public const string JobSubjectPrefix = "rseg.jobs.";

    /// <summary>The one durable pull consumer every worker shares: JetStream hands each job to one worker at a time.</summary>
    public const string WorkerConsumer = "workers";

    /// <summary>Dead letters: jobs that failed too often, with their error (<c>rseg.dead.&lt;job id&gt;</c>).</summary>
    public const string DeadStream = "RSEG_DEAD";

    /// <summary>Subject prefix of dead letters.</summary>
    public const string DeadSubjectPrefix = "rseg.dead.";

    /// <summary>
    /// Key-value bucket: the ledger. <c>source.&lt;key&gt;</c> a source's segment plan, <c>done.&lt;job&gt;</c> a job's
    /// completion record (created once: a second completion of a redelivered job finds it and writes nothing).
    /// </summary>
    public const string LedgerBucket = "rseg-fleet";

    /// <summary>Object store bucket of results: <c>&lt;job id&gt;/tracks.txt</c>, <c>/panoptic.tar</c>, <c>/stats.json</c>.</summary>
    public const string ResultBucket = "rseg-results";

    public const string SourceKeyPrefix = "source.";
    public const string DoneKeyPrefix = "done.";
    public const string FailedKeyPrefix = "failed.";

    /// <summary>Result file names, the same in the object store and in a shared results folder.</summary>
    public const string TracksFile = "tracks.txt";
    public const string PanopticArchive = "panoptic.tar";
    public const string StatsFile = "stats.json";
}
