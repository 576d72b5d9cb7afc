namespace RealtimeSeg.Publishing.Tests.Support;

/// <summary>Polls a condition that another thread makes true (socket I/O), failing with a message after a deadline.</summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            }
            await Task.Delay(5);
        }
    }
}
