using System.CommandLine;
using RealtimeSeg.Core;

namespace RealtimeSeg.Cli;

/// <summary>The <c>realtimeseg</c> executable: verbs and the mapping of failures to exit codes (DESIGN §5).</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // Pipeline stages await on the thread pool and ONNX Runtime's Run blocks a pool thread for a whole
        // inference; on a 2-core machine the default minimum (one thread per core) lets the pool starve for
        // hundreds of milliseconds before it injects more, which shows up as latency and needless drops.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
        var root = new RootCommand("RealtimeSeg: real-time video segmentation → tracked panoptic frames over ZeroMQ")
        {
            RunCommand.Create(),
            SubscribeCommand.Create(),
            ModelsCommand.Create(),
            EvalCommand.Create(),
            TrackCommand.Create(),
            SynthCommand.Create(),
            DemoCommand.Create(),
            DevicesCommand.Create(),
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
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
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
        catch (FileNotFoundException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (ModelLoadException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            Console.Error.WriteLine(e.StackTrace);
            return ExitCodes.Failure;
        }
    }
}
