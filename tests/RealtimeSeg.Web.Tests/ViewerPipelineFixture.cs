using RealtimeSeg.Capture;
using RealtimeSeg.Pipeline.Configuration;
using RealtimeSeg.Pipeline.Runtime;
using RealtimeSeg.Pipeline.Stats;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Web.Tests;

/// <summary>
/// One run of the demo pipeline (configs/demo.yaml: the synthetic drive, the bundled model, the tracker) with its HTTP
/// endpoint on a port the system picks, shared by the viewer, metrics and health tests: loading the model and
/// starting chromium once keeps them cheap. Lockstep pace: however loaded the machine, no frame is dropped, so a drop
/// count is exact. Runs until the fixture is disposed.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes a fixture through IAsyncLifetime.DisposeAsync, which disposes it.")]
public sealed class ViewerPipelineFixture : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private SegmentationPipeline? _pipeline;
    private Task<PipelineReport>? _run;
    private ChromiumBrowser? _browser;

    public SegmentationPipeline Pipeline => _pipeline ?? throw new InvalidOperationException("the fixture has not started");

    /// <summary>The endpoint's root, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Headless chromium, started on first use (only browser tests pay for it).</summary>
    public async Task<ChromiumBrowser> BrowserAsync() => _browser ??= await ChromiumBrowser.LaunchAsync();

    public static PipelineConfig DemoConfig(string listen)
    {
        var loader = new PipelineConfigLoader();
        PipelineConfig config = loader.Load(Path.Combine(TestAssets.RepositoryRoot, "configs", "demo.yaml"));
        return config with
        {
            Pipeline = config.Pipeline with { Pace = Pacing.Lockstep, MaxFrames = 0 },
            Publish = config.Publish with { Endpoint = "tcp://127.0.0.1:*" },
            Http = config.Http with { Listen = listen, NextFreePorts = 0 },
        };
    }

    public async Task InitializeAsync()
    {
        _pipeline = await SegmentationPipeline.CreateAsync(DemoConfig("127.0.0.1:0"), new CollectingLog(), null, CancellationToken.None);
        _run = _pipeline.RunAsync(_stop.Token);
        await Task.WhenAny(_pipeline.Started, _run).WaitAsync(TimeSpan.FromMinutes(2));
        await _pipeline.Started;
        Url = _pipeline.HttpAddress ?? throw new InvalidOperationException("the pipeline started without its HTTP endpoint");
    }

    /// <summary>Stops the run and returns its report (the endpoint keeps serving until disposal).</summary>
    public async Task<PipelineReport> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run!.WaitAsync(TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        if (_run is not null)
        {
            await StopAsync();
        }
        if (_pipeline is not null)
        {
            await _pipeline.DisposeAsync();
        }
        _stop.Dispose();
    }
}
