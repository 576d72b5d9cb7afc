using System.Runtime.InteropServices;

namespace RealtimeSeg.TestSupport;

internal static partial class NativeMethods
{
    /// <summary>POSIX kill(2): .NET's Process can only send SIGKILL/SIGTERM, tests also need SIGSTOP/SIGCONT.</summary>
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int kill(int pid, int sig);
}
