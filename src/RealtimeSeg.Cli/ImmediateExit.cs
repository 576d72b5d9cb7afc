using System.Runtime.InteropServices;

namespace RealtimeSeg.Cli;

/// <summary>
/// Ends the process at once through libc's <c>_exit</c>: no managed shutdown and no native exit handlers. Used where
/// native code (an ONNX Runtime session being created or running) is still busy on another thread, because running
/// ONNX Runtime's global destructors under it corrupts the heap (seen as "corrupted double-linked list", exit 134).
/// Everything the command writes is flushed or closed before this is called; only the console is flushed here.
/// </summary>
internal static partial class ImmediateExit
{
    public static void Now(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Exit(exitCode);
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void Exit(int status);
}
