using RealtimeSeg.Client;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Publishing.Tests.Support;

/// <summary>Waits on a subscriber's own <see cref="SegmentationSubscriber.CategoriesReceived"/> event, not by polling.</summary>
public static class TableArrival
{
    /// <summary>
    /// Completes once <paramref name="subscriber"/> has received <paramref name="count"/> category tables in all;
    /// fails naming <paramref name="what"/> after <paramref name="timeout"/>.
    /// </summary>
    public static async Task WaitAsync(SegmentationSubscriber subscriber, long count, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The counter is raised before the event, so a table that came before the handler was added is seen by the
        // check after adding it, and one that comes after by the handler.
        void Check(CategoryTableMessage? _)
        {
            if (subscriber.MetaMessagesReceived >= count)
            {
                reached.TrySetResult();
            }
        }
        subscriber.CategoriesReceived += Check;
        try
        {
            Check(null);
            await reached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what} ({subscriber.MetaMessagesReceived} of {count} tables)");
        }
        finally
        {
            subscriber.CategoriesReceived -= Check;
        }
    }
}
