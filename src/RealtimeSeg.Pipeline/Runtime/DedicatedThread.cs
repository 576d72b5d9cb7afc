namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>Runs blocking work (a model loop, a replay schedule) on a new background thread, never on the thread pool.</summary>
internal static class DedicatedThread
{
    public static Task<T> Run<T>(string name, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.TrySetResult(work());
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }
}
