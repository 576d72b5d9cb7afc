using RealtimeSeg.Core;

namespace RealtimeSeg.Fleet;

/// <summary>A job's pipeline log inside a worker: warnings and errors prefixed with the job id; the pipeline's per-run start-up chatter is left out.</summary>
internal sealed class JobLog : IPipelineLog
{
    private readonly IPipelineLog _log;
    private readonly string _prefix;

    public JobLog(IPipelineLog log, string jobId)
    {
        _log = log;
        _prefix = "job " + jobId + ": ";
    }

    public void Info(string message)
    {
    }

    public void Warn(string message) => _log.Warn(_prefix + message);
    public void Error(string message) => _log.Error(_prefix + message);
}
