namespace RealtimeSeg.Core;

/// <summary>Process exit codes of the <c>realtimeseg</c> command (DESIGN §5).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadUsage = 2;
    public const int Unavailable = 3;
}
