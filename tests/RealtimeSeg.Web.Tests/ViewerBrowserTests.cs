using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenCvSharp;
using RealtimeSeg.Core;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Web.Tests;

/// <summary>
/// The live viewer in a real headless browser (Debian chromium over the DevTools protocol) against the real demo
/// pipeline: it connects, decodes and draws frames with the panoptic overlay in the shared style (docs/viewer.md),
/// shows the stream's fps, and its palette is the C# one. With RSEG_UPDATE_DOCS=1 the screenshot becomes docs/viewer.png.
/// </summary>
[Collection(DemoPipelineCollection.Name)]
public sealed partial class ViewerBrowserTests
{
    private readonly ViewerPipelineFixture _fixture;

    public ViewerBrowserTests(ViewerPipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [ChromiumFact]
    public async Task Page_DemoPipeline_DrawsChangingFramesWithStuffColoursTrackOutlinesLabelsAndFps()
    {
        ChromiumBrowser browser = await _fixture.BrowserAsync();
        await browser.NavigateAsync(_fixture.Url);
        JsonElement first = await WaitForDrawnAsync(browser, 3);
        byte[] shot1 = await browser.ScreenshotAsync();
        await WaitForDrawnAsync(browser, first.GetProperty("drawn").GetInt32() + 3);

        // Pause, let a draw in progress finish, then read what the last frame drew: the overlay layer (map resolution,
        // exact colours and alphas) and the visible canvas (labels: opaque boxes in the track's colour).
        JsonElement drawn = await browser.EvaluateAsync("""
            (async () => {
              document.getElementById('pause').click();
              while (window.rseg.state.busy) await new Promise(r => setTimeout(r, 10));
              const view = [...window.rseg.views.values()][0];
              const rgba = (rgb, a) => ((a << 24) | ((rgb & 255) << 16) | (rgb & 0xff00) | ((rgb >> 16) & 255)) >>> 0;
              const overlay = new Uint32Array(view.overlayData.data.buffer);
              const count = (pixels, value) => { let n = 0; for (const p of pixels) if (p === value) n++; return n; };
              const canvas = view.ctx.getImageData(0, 0, view.canvas.width, view.canvas.height);
              const visible = new Uint32Array(canvas.data.buffer);
              const stuff = [], things = [];
              for (const s of view.lastSegments) {
                if (!s.thing) {
                  const color = view.categories.get(s.cat).color;
                  stuff.push({ name: view.categories.get(s.cat).name, color, pixels: count(overlay, rgba(color, 102)) });
                } else if (s.track > 0) {
                  const color = window.rseg.colorFor(s.track);
                  things.push({ track: s.track, color, fill: count(overlay, rgba(color, 64)), edge: count(overlay, rgba(color, 255)),
                                label: count(visible, rgba(color, 255)) });
                }
              }
              const stats = window.rseg.streams();
              document.getElementById('pause').click();
              return { stuff, things, stats: Object.values(stats)[0], errors: window.rseg.state.errors, lastError: window.rseg.state.lastError };
            })()
            """);
        byte[] shot2 = await browser.ScreenshotAsync();

        Assert.True(drawn.GetProperty("errors").GetInt32() == 0, $"the page could not draw frames: {drawn.GetProperty("lastError")}");
        Assert.Empty(browser.PageErrors);
        JsonElement stats = drawn.GetProperty("stats");
        Assert.True(stats.GetProperty("withImage").GetInt32() > 0, "no frame was drawn over its camera image");

        // Stuff: road in its category colour at alpha 0.40 over a large area.
        JsonElement road = drawn.GetProperty("stuff").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "road");
        Assert.True(road.GetProperty("pixels").GetInt32() > 1000, $"road overlay pixels: {road}");
        // Things: some tracked object filled (0.25) and outlined (opaque) in its track's colour, and labelled in it.
        JsonElement[] things = [.. drawn.GetProperty("things").EnumerateArray()];
        Assert.True(things.Length > 0, "the last drawn frame had no tracked thing");
        Assert.Contains(things, t => t.GetProperty("fill").GetInt32() > 0 && t.GetProperty("edge").GetInt32() > 0 && t.GetProperty("label").GetInt32() > 50);

        // The heads-up line: "{stream}  {fps} fps  {latency} ms  dropped {n}" with a real frame rate.
        string hud = stats.GetProperty("hud").GetString()!;
        Match m = HudLine().Match(hud);
        Assert.True(m.Success, $"heads-up line: '{hud}'");
        Assert.True(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 0, $"fps in '{hud}'");

        // The screenshots: the picture changed between frames and shows the track colours of the labels.
        using Mat a = Cv2.ImDecode(shot1, ImreadModes.Color), b = Cv2.ImDecode(shot2, ImreadModes.Color);
        using var diff = new Mat();
        Cv2.Absdiff(a, b, diff);
        using Mat gray = diff.CvtColor(ColorConversionCodes.BGR2GRAY);
        int changed = Cv2.CountNonZero(gray.Threshold(16, 255, ThresholdTypes.Binary));
        Assert.True(changed > 5000, $"only {changed} screenshot pixels changed between frames");
        int labelled = things.Max(t => CountNear(b, t.GetProperty("color").GetInt32()));
        Assert.True(labelled > 20, "no track colour visible in the screenshot");

        if (Environment.GetEnvironmentVariable("RSEG_UPDATE_DOCS") == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(TestAssets.RepositoryRoot, "docs", "viewer.png"), shot2);
        }
    }

    [ChromiumFact]
    public async Task Palette_JavaScriptColorFor_EqualsCSharpPalette()
    {
        ChromiumBrowser browser = await _fixture.BrowserAsync();
        await browser.NavigateAsync(_fixture.Url);
        JsonElement colors = await browser.EvaluateAsync("Array.from({ length: 5000 }, (_, i) => window.rseg.colorFor(i))");
        int i = 0;
        foreach (JsonElement c in colors.EnumerateArray())
        {
            Assert.True(Palette.ColorFor(i) == c.GetInt32(), $"track {i}: C# {Palette.ColorFor(i):x6}, JavaScript {c.GetInt32():x6}");
            i++;
        }
        Assert.Equal(5000, i);
    }

    /// <summary>Waits, on the page's own draw events, until at least <paramref name="count"/> frames were drawn; returns the stream's figures.</summary>
    private static async Task<JsonElement> WaitForDrawnAsync(ChromiumBrowser browser, int count)
    {
        while (true)
        {
            JsonElement streams = await browser.EvaluateAsync("window.rseg.nextDraw()");
            JsonElement stream = streams.EnumerateObject().First().Value;
            if (stream.GetProperty("drawn").GetInt32() >= count)
            {
                return stream;
            }
        }
    }

    /// <summary>Screenshot pixels within 3 of <paramref name="rgb"/> on every channel.</summary>
    private static int CountNear(Mat bgr, int rgb)
    {
        var low = new Scalar(Math.Max(0, (rgb & 255) - 3), Math.Max(0, ((rgb >> 8) & 255) - 3), Math.Max(0, ((rgb >> 16) & 255) - 3));
        var high = new Scalar(Math.Min(255, (rgb & 255) + 3), Math.Min(255, ((rgb >> 8) & 255) + 3), Math.Min(255, ((rgb >> 16) & 255) + 3));
        using var mask = new Mat();
        Cv2.InRange(bgr, low, high, mask);
        return Cv2.CountNonZero(mask);
    }

    [GeneratedRegex(@"^front  (\d+\.\d) fps  (\d+) ms  dropped (\d+)$")]
    private static partial Regex HudLine();
}
