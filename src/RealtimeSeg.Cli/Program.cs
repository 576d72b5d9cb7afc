using System.CommandLine;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Runtime;

namespace RealtimeSeg.Cli;

/// <summary>The <c>realtimeseg</c> executable: verbs and the mapping of failures to exit codes (DESIGN §5).</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("RealtimeSeg: real-time video segmentation → tracked panoptic frames over ZeroMQ")
        {
            RunCommand.Create(),
            SubscribeCommand.Create(),
            ModelsCommand.Create(),
            EvalCommand.Create(),
            TrackCommand.Create(),
            SynthCommand.Create(),
            DemoCommand.Create(),
            BenchCommand.Create(),
            RecordCommand.Create(),
            ReplayCommand.Create(),
            RecordingCommand.Create(),
            DevicesCommand.Create(),
            ViewCommand.Create(),
            KeysCommand.Create(),
            FleetCommand.Create(),
            WorkerCommand.Create(),
        };
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }
            Console.Error.WriteLine("see: realtimeseg --help");
            return ExitCodes.BadUsage;
        }
        using var signals = new ShutdownSignals(Console.Error);
        try
        {
            // Signals are ours (ShutdownSignals): the first stops the command through its token, a second exits 130.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return parse.InvokeAsync(invocation, signals.Token).GetAwaiter().GetResult();
        }
        catch (StartupAbandonedException)
        {
            // A model is still loading in native code on another thread: exit without native teardown (see ImmediateExit).
            Console.Error.WriteLine("stopped");
            ImmediateExit.Now(ExitCodes.Success);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
        {
            // Stopped before the command had anything to report (e.g. while a model was still loading).
            Console.Error.WriteLine("stopped");
            return ExitCodes.Success;
        }
        catch (ConfigurationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadUsage;
        }
        catch (SourceUnavailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (Formats.Mot.MotFormatException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadUsage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file that is missing, unreadable, not what it claims (a recording that is not MCAP) or cannot be written:
            // the message names it; .NET's type name would tell the user nothing.
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (ModelLoadException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (Fleet.FleetException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            // Not one of the failures above: a defect. The error line says what happened in words; the details below it
            // (the stack) are for the bug report.
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("this is a bug in realtimeseg: please report it with the lines below");
            Console.Error.WriteLine(e.StackTrace);
            return ExitCodes.Failure;
        }
    }
}
