using System.Text;
using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// Secrets and authenticated publishing as a user meets them: a camera password reaches a real RTSP server that requires
/// it, yet appears in no output, file or child command line; a non-loopback publish without keys exits 2 saying how to
/// make keys; keys generate writes a pair that run and subscribe use.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecurityTests
{
    private const string User = "operator";
    private const string Password = "Zq7-camera-Secret";

    [RtspFact]
    public void Run_RtspWithPassword_StreamsButThePasswordIsInNoOutputFileOrChildCommandLine()
    {
        using RtspTestServer server = RtspTestServer.StartWithAuthentication(User, Password, "/cam", size: "320x240", fps: 10);
        using var folder = new TempFolder();
        using var configFolder = new TempFolder();
        // The URL with its password sits in a config file (0600 in practice), not on realtimeseg's own command line,
        // where `ps` would show it to every local user (docs/security.md).
        // ffmpeg and ffprobe as wrappers that write down the command line each child gets (what `ps` shows any local
        // user) before they become the real ones: every child is seen, however short its life.
        string argvLog = Path.Combine(configFolder.Path, "argv.log");
        foreach (string tool in new[] { "ffmpeg", "ffprobe" })
        {
            string wrapper = Path.Combine(configFolder.Path, tool);
            File.WriteAllText(wrapper, $$"""
                #!/bin/sh
                { printf '%s' "$(basename "$0")"; for a in "$@"; do printf ' %s' "$a"; done; printf '\n'; } >> '{{argvLog}}'
                exec {{RealTool(tool)}} "$@"

                """);
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        string config = Path.Combine(configFolder.Path, "camera.yaml");
        File.WriteAllText(config, $"""
            sources:
              - uri: rtsp://{User}:{Password}@127.0.0.1:{server.Port}/cam
                network:
                  ffmpeg: {Path.Combine(configFolder.Path, "ffmpeg")}
            model:
              path: {Path.Combine(AppContext.BaseDirectory, "models", "realtimeseg-demo.onnx")}
            """);
        string stats = Path.Combine(folder.Path, "stats.json");
        using CliProcess run = CliProcess.Start("run", "--config", config, "--max-frames", "15", "--pace", "lockstep", "--stats", stats,
            "--record", Path.Combine(folder.Path, "run.mcap"), "--dump-mot", Path.Combine(folder.Path, "mot.txt"), "--publish", CliProcess.AnyPort);
        int exit = run.WaitForExit(TimeSpan.FromMinutes(3));
        string[] children = File.Exists(argvLog) ? File.ReadAllLines(argvLog) : [];

        Assert.True(exit == 0, $"exit {exit}; stderr:\n{run.Stderr}");
        Assert.True(children.Any(c => c.StartsWith("ffmpeg ", StringComparison.Ordinal) && c.Contains(" pipe:0", StringComparison.Ordinal)),
            $"no ffmpeg child read its input from stdin; children:\n{string.Join('\n', children)}");
        Assert.DoesNotContain(children, c => c.Contains(Password, StringComparison.Ordinal));
        using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(stats)))
        {
            // The server refuses a wrong password, so frames prove the password got through.
            Assert.Equal(15, doc.RootElement.GetProperty("frames_published").GetInt64());
            Assert.Equal($"rtsp://{User}:***@127.0.0.1:{server.Port}/cam", doc.RootElement.GetProperty("streams")[0].GetProperty("uri").GetString());
        }
        Assert.DoesNotContain(Password, run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{User}:***@", run.Stderr, StringComparison.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories))
        {
            Assert.False(Contains(File.ReadAllBytes(file), Password), $"{file} holds the password");
        }
    }

    [Fact]
    public void Demo_NonLoopbackPublishWithoutKeys_Exits2SayingHowToCreateKeys()
    {
        (int exit, _, string stderr) = CliProcess.Run(TimeSpan.FromMinutes(2), "demo", "--publish", "tcp://0.0.0.0:5599", "--max-frames", "1");

        Assert.Equal(2, exit);
        Assert.Contains("realtimeseg keys generate", stderr, StringComparison.Ordinal);
        Assert.Contains("--insecure", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysGenerate_Then_DemoWithCurveSecretAndSubscribeWithServerKey_ReceiveFrames()
    {
        using var folder = new TempFolder();
        (int keys, _, string keysErr) = CliProcess.Run(TimeSpan.FromMinutes(1), "keys", "generate", "--out", folder.Path, "--name", "robot");
        Assert.True(keys == 0, keysErr);
        string secret = Path.Combine(folder.Path, "robot.key_secret");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));

        (CliProcess demo, CliProcess subscriber, _) = CliProcess.StartWithSubscriber(
            ["demo", "--max-frames", "5", "--pace", "lockstep", "--curve-secret", secret],
            "--count", "3", "--json", "--timeout", "120", "--server-key", Path.Combine(folder.Path, "robot.key"));
        using (demo)
        using (subscriber)
        {
            Assert.True(subscriber.WaitForExit(TimeSpan.FromMinutes(3)) == 0, subscriber.Stderr);
            Assert.Equal(3, subscriber.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Contains("\"messages_rejected\":0", subscriber.Stderr, StringComparison.Ordinal);
            Assert.Contains("--server-key", demo.Stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>The executable <paramref name="name"/> on PATH.</summary>
    private static string RealTool(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{name} is not on PATH");

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
