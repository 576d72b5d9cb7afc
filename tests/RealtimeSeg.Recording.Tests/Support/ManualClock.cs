namespace RealtimeSeg.Recording.Tests.Support;

/// <summary>A clock the test moves by hand, so that time-based chunk closing is tested without sleeping.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
