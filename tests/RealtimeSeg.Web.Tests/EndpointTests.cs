using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Web.Tests;

/// <summary><c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> and the viewer's files on the demo pipeline's endpoint.</summary>
[Collection(DemoPipelineCollection.Name)]
public sealed partial class EndpointTests
{
    private readonly ViewerPipelineFixture _fixture;

    public EndpointTests(ViewerPipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [PromtoolFact]
    public async Task Metrics_WhileRunning_PassPromtoolAndCountPublishedFramesAndStages()
    {
        using var http = new HttpClient { BaseAddress = _fixture.Url };
        // The first published frame comes after the model's first run: wait for the readiness it brings.
        await ReadyAfterFirstFrameAsync(http, _fixture.Url);
        using HttpResponseMessage response = await http.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        string text = await response.Content.ReadAsStringAsync();

        (int code, string output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(code == 0, $"promtool check metrics failed ({code}): {output}");

        Assert.True(Value(text, "rseg_stream_frames_published_total{stream=\"front\"}") > 0, "no published frame counted");
        Assert.Equal(1, Value(text, "rseg_stream_state{stream=\"front\",state=\"running\"}"));
        Assert.Equal(0, Value(text, "rseg_stream_frames_dropped_total{stream=\"front\",cause=\"capture_queue\"}"));
        Assert.True(Value(text, "rseg_stage_latency_seconds_count{stream=\"front\",stage=\"inference\"}") > 0);
        Assert.Equal(2, Value(text, "rseg_sink_queue_capacity{sink=\"viewer\"}"));
        Assert.Contains("rseg_model_info{model=\"realtimeseg-demo.onnx\",decoder=\"panoptic\"", text, StringComparison.Ordinal);
        Assert.Contains("execution_provider=\"CPUExecutionProvider\"", text, StringComparison.Ordinal);
        Assert.True(Value(text, "rseg_managed_allocated_bytes_total") > 0);
        Assert.Contains("process_working_set_bytes ", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_collection_count_total{generation=\"2\"}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_WhileRunning_HealthzAliveAndReadyzListsTheRunningStream()
    {
        using var http = new HttpClient { BaseAddress = _fixture.Url };
        using HttpResponseMessage alive = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

        JsonElement ready = await ReadyAfterFirstFrameAsync(http, _fixture.Url);
        JsonElement stream = ready.GetProperty("streams").EnumerateArray().Single();
        Assert.Equal("front", stream.GetProperty("name").GetString());
        Assert.Equal("running", stream.GetProperty("state").GetString());
        Assert.True(stream.GetProperty("frames_published").GetInt64() > 0);
        Assert.True(stream.GetProperty("seconds_since_last_frame").GetDouble() <= ready.GetProperty("max_frame_age_s").GetDouble());
    }

    [Fact]
    public async Task Page_Get_ServesTheEmbeddedViewerWithoutOutsideScripts()
    {
        using var http = new HttpClient { BaseAddress = _fixture.Url };
        string page = await http.GetStringAsync(new Uri("", UriKind.Relative));
        Assert.Contains("<script type=\"module\" src=\"viewer.js\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
        foreach (string file in (string[])["viewer.js", "render.js", "panoptic.js", "msgpack.js", "palette.js", "viewer.css"])
        {
            using HttpResponseMessage r = await http.GetAsync(new Uri(file, UriKind.Relative));
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{file}: {r.StatusCode}");
        }
        using HttpResponseMessage missing = await http.GetAsync(new Uri("nothing-here.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>
    /// Waits for a published frame (as a viewer receives it) and returns <c>/readyz</c>'s body, which must then say
    /// ready: a frame's stream is counted published before the frame is handed to the sinks, the viewer among them.
    /// </summary>
    internal static async Task<JsonElement> ReadyAfterFirstFrameAsync(HttpClient http, Uri root)
    {
        using (ViewerSocket viewer = await ViewerSocket.ConnectAsync(root))
        {
            await viewer.ReceiveAsync(WebSocketMessageType.Binary);
        }
        using HttpResponseMessage r = await http.GetAsync(new Uri("readyz", UriKind.Relative));
        JsonElement body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"/readyz answered {(int)r.StatusCode} after a frame was published: {body}");
        Assert.True(body.GetProperty("ready").GetBoolean());
        return body;
    }

    /// <summary>The value of one sample line (name with labels, exactly as exported).</summary>
    internal static double Value(string exposition, string sample)
    {
        foreach (string line in exposition.Split('\n'))
        {
            if (line.StartsWith(sample + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(sample.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"no sample {sample} in:\n{exposition}");
    }
}
