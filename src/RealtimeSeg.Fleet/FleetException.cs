namespace RealtimeSeg.Fleet;

/// <summary>A fleet operation that cannot go on: the message says what and where (which job, bucket or server).</summary>
public sealed class FleetException : Exception
{
    public FleetException()
    {
    }

    public FleetException(string message)
        : base(message)
    {
    }

    public FleetException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
