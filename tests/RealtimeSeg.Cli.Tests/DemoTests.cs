using System.Text.Json;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// <c>realtimeseg demo</c> needs nothing outside the build (no assets, no flags): the synthetic drive through the
/// bundled model, with a subscriber beside it that must see both stuff and things.
/// </summary>
public sealed class DemoTests
{
    [Fact]
    public void Demo_WithSubscriber_PublishesRoadAndTrackedThings()
    {
        string stats = Path.Combine(Path.GetTempPath(), $"rseg-demo-{Guid.NewGuid():N}.json");
        // Lockstep so the machine's load cannot drop frames: the test is about content, the status line and the exit.
        // The subscriber starts once the demo's banner has named the bound port; the demo waits for its subscription.
        var (publisher, sub, endpoint) = CliProcess.StartWithSubscriber(
            ["demo", "--max-frames", "100", "--pace", "lockstep", "--stats", stats, "--status-interval", "0.2"],
            "--count", "100", "--json", "--timeout", "240");
        using CliProcess demo = publisher;
        using CliProcess subscriber = sub;
        try
        {
            int demoExit = demo.WaitForExit(TimeSpan.FromMinutes(5));
            Assert.True(demoExit == 0, $"demo exited {demoExit}: {demo.Stderr}");
            Assert.Contains("realtimeseg subscribe --connect " + endpoint, demo.Stderr);
            Assert.Contains("CPUExecutionProvider", demo.Stderr);
            Assert.Contains("demo done: 100 captured, 100 published", demo.Stderr);
            int subExit = subscriber.WaitForExit(TimeSpan.FromSeconds(30));
            Assert.True(subExit == 0, $"subscribe exited {subExit}: {subscriber.Stderr}");

            string[] lines = subscriber.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(100, lines.Length);
            int withRoad = 0, withThing = 0, both = 0;
            var thingTracks = new HashSet<int>();
            foreach (string line in lines)
            {
                using JsonDocument doc = JsonDocument.Parse(line);
                bool road = false, thing = false;
                foreach (JsonElement s in doc.RootElement.GetProperty("segments").EnumerateArray())
                {
                    string name = s.GetProperty("category_name").GetString()!;
                    if (name == "road")
                    {
                        Assert.False(s.GetProperty("is_thing").GetBoolean());
                        Assert.Equal(0, s.GetProperty("track_id").GetInt32());
                        road = true;
                    }
                    if (name is "car" or "person" && s.GetProperty("is_thing").GetBoolean())
                    {
                        thing = true;
                        if (s.GetProperty("track_id").GetInt32() > 0)
                        {
                            thingTracks.Add(s.GetProperty("track_id").GetInt32());
                        }
                    }
                }
                withRoad += road ? 1 : 0;
                withThing += thing ? 1 : 0;
                both += road && thing ? 1 : 0;
            }
            Assert.True(withRoad >= 95, $"road in only {withRoad}/100 frames");
            Assert.True(both >= 50, $"road and a car or person together in only {both}/100 frames (things in {withThing})");
            Assert.NotEmpty(thingTracks);

            using JsonDocument statsDoc = JsonDocument.Parse(File.ReadAllText(stats));
            Assert.Equal("CPUExecutionProvider", statsDoc.RootElement.GetProperty("execution_provider").GetString());
            Assert.Equal("panoptic", statsDoc.RootElement.GetProperty("models")[0].GetProperty("decoder").GetString());
        }
        finally
        {
            File.Delete(stats);
        }
    }

    [Fact]
    public void Demo_BadStatusInterval_Exits2()
    {
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromSeconds(60), "demo", "--status-interval", "0", "--max-frames", "1");
        Assert.Equal(2, code);
        Assert.Contains("--status-interval", stderr);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("run", "--source", "synthetic:drive?seed=1&size=320x180&fps=30")]
    public void MaxFrames_Negative_Exits2BlamingTheFlagNotTheBundledConfig(params string[] verb)
    {
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromSeconds(60), [.. verb, "--max-frames", "-5"]);

        Assert.True(code == 2, $"exit {code}: {stderr}");
        string error = stderr.Split('\n').First(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains("--max-frames", error, StringComparison.Ordinal);
        Assert.Contains("-5", error, StringComparison.Ordinal);
        // The bundled config was not wrong: the flag was.
        Assert.DoesNotContain("demo.yaml", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("max_frames", stderr, StringComparison.Ordinal);
    }
}
