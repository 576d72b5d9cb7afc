using System.Net;
using System.Text.Json;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Cli.Tests;

/// <summary>
/// The viewer as a user starts it: <c>demo --http</c> serves its own endpoint, and <c>realtimeseg view --connect</c>
/// serves the same page for the demo's publisher, where headless chromium draws the frames over their camera images.
/// </summary>
public sealed class ViewerCliTests
{
    private const string UrlLine = @"viewer: open (http://\S+) in a browser";

    [ChromiumFact]
    public async Task View_ConnectedToDemo_ChromiumDrawsCameraFramesAndBothEndpointsAreReady()
    {
        var (publisher, client, _) = CliProcess.StartWithClient(
            ["demo", "--pace", "lockstep", "--http", "127.0.0.1:0", "--source", "synthetic:drive?seed=4&size=640x360&fps=30", "--status-interval", "0.2"],
            endpoint => ["view", "--connect", endpoint, "--http", "127.0.0.1:0"]);
        using CliProcess demo = publisher;
        using CliProcess view = client;
        var demoUrl = new Uri(demo.WaitForStderr("see it: +" + UrlLine, TimeSpan.FromMinutes(2)).Groups[1].Value);
        var viewUrl = new Uri(view.WaitForStderr(UrlLine, TimeSpan.FromMinutes(2)).Groups[1].Value);
        Assert.NotEqual(demoUrl, viewUrl);

        await using ChromiumBrowser browser = await ChromiumBrowser.LaunchAsync();
        await browser.NavigateAsync(viewUrl);
        JsonElement stream;
        do
        {
            stream = (await browser.EvaluateAsync("window.rseg.nextDraw()")).EnumerateObject().Single().Value;
        }
        while (stream.GetProperty("drawn").GetInt32() < 3);
        Assert.True(stream.GetProperty("withImage").GetInt32() > 0, $"view drew no frame over its camera image: {stream}");
        Assert.Empty(browser.PageErrors);

        using var http = new HttpClient();
        foreach (Uri root in (Uri[])[demoUrl, viewUrl])
        {
            using HttpResponseMessage ready = await http.GetAsync(new Uri(root, "readyz"));
            string body = await ready.Content.ReadAsStringAsync();
            Assert.True(ready.StatusCode == HttpStatusCode.OK, $"{root}readyz: {(int)ready.StatusCode} {body}");
            Assert.Contains("\"state\": \"running\"", body, StringComparison.Ordinal);
        }
        string metrics = await http.GetStringAsync(new Uri(viewUrl, "metrics"));
        Assert.Matches(@"(?m)^rseg_viewer_frames_sent_total [1-9]", metrics);
    }

    [Fact]
    public void Demo_HttpBadAddress_Exits2NamingTheFlag()
    {
        var (code, _, stderr) = CliProcess.Run(TimeSpan.FromSeconds(60), "demo", "--http", "example.org:80", "--max-frames", "1");
        Assert.Equal(2, code);
        Assert.Contains("--http: 'example.org' is not an IP address", stderr, StringComparison.Ordinal);
    }
}
