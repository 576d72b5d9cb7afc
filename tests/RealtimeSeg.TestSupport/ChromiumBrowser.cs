using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RealtimeSeg.TestSupport;

/// <summary>
/// Debian's headless chromium, driven over the DevTools protocol (a WebSocket to one page): navigate, evaluate
/// JavaScript (awaiting its promise), take screenshots. No browser download, no driver: the real browser users have.
/// Waits are on the browser's answers and on promises in the page, never on time; <see cref="CallTimeout"/> only
/// turns a hang into a failure.
/// </summary>
public sealed partial class ChromiumBrowser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The most one call may take before the test fails (the machine may be loaded: generous).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly TempFolder _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _calls = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly StringBuilder _stderr = new();
    private readonly CancellationTokenSource _closing = new();
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private ChromiumBrowser(Process process, TempFolder profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Why browser tests cannot run here (no chromium), or null.</summary>
    public static string? MissingReason => File.Exists(ExecutablePath)
        ? null
        : $"needs Debian's chromium at {ExecutablePath} (scripts/install-deps.sh installs it)";

    /// <summary>Uncaught exceptions and console errors of the page so far (for failure messages).</summary>
    public IReadOnlyCollection<string> PageErrors => _pageErrors;

    /// <summary>Starts headless chromium with a fresh profile and a <paramref name="width"/>×<paramref name="height"/> viewport.</summary>
    public static async Task<ChromiumBrowser> LaunchAsync(int width = 1400, int height = 900)
    {
        var profile = new TempFolder();
        var psi = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string a in (string[])["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--mute-audio", "--hide-scrollbars", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                     $"--user-data-dir={profile.Path}", $"--window-size={width},{height}", "about:blank"])
        {
            psi.ArgumentList.Add(a);
        }
        var process = new Process { StartInfo = psi };
        var browser = new ChromiumBrowser(process, profile);
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                endpoint.TrySetException(new InvalidOperationException($"chromium exited before opening its DevTools port; stderr:\n{browser.Stderr}"));
                return;
            }
            lock (browser._stderr)
            {
                browser._stderr.AppendLine(e.Data);
            }
            if (DevToolsLine().Match(e.Data) is { Success: true } m)
            {
                endpoint.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            Uri browserWs = await endpoint.Task.WaitAsync(CallTimeout);
            await browser.AttachToPageAsync(browserWs);
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Runtime.enable");
            await browser.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
            {
                ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false,
            });
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    private async Task AttachToPageAsync(Uri browserWs)
    {
        using var http = new HttpClient { Timeout = CallTimeout };
        string list = await http.GetStringAsync(new Uri($"http://{browserWs.Authority}/json/list"));
        string? pageWs = null;
        foreach (JsonElement target in JsonDocument.Parse(list).RootElement.EnumerateArray())
        {
            if (target.GetProperty("type").GetString() == "page")
            {
                pageWs = target.GetProperty("webSocketDebuggerUrl").GetString();
                break;
            }
        }
        if (pageWs is null)
        {
            throw new InvalidOperationException($"chromium lists no page target: {list}");
        }
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await _socket.ConnectAsync(new Uri(pageWs), CancellationToken.None).WaitAsync(CallTimeout);
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Opens <paramref name="url"/> and returns once its load event fired.</summary>
    public async Task NavigateAsync(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JsonElement result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        if (result.TryGetProperty("errorText", out JsonElement error))
        {
            throw new InvalidOperationException($"chromium could not open {url}: {error.GetString()}");
        }
        await _loaded.Task.WaitAsync(CallTimeout);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page, awaiting a promise; returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        JsonElement result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true,
        });
        if (result.TryGetProperty("exceptionDetails", out JsonElement exception))
        {
            throw new InvalidOperationException($"page script failed: {exception}\nexpression: {expression}\npage errors: {string.Join(" | ", _pageErrors)}");
        }
        JsonElement value = result.GetProperty("result");
        return value.TryGetProperty("value", out JsonElement v) ? v : default;
    }

    /// <summary>A PNG of the viewport.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        JsonElement result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        return Convert.FromBase64String(result.GetProperty("data").GetString()!);
    }

    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var call = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = call;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        byte[] bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WaitAsync(CallTimeout);
        try
        {
            return await call.Task.WaitAsync(CallTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"chromium did not answer {method} within {CallTimeout}; page errors: {string.Join(" | ", _pageErrors)}", e);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await _socket.ReceiveAsync(buffer.AsMemory(), _closing.Token);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    message.Write(buffer, 0, r.Count);
                }
                while (!r.EndOfMessage);
                Dispatch(JsonDocument.Parse(message.GetBuffer().AsMemory(0, (int)message.Length)).RootElement.Clone());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closing, or chromium went away.
        }
        finally
        {
            foreach (TaskCompletionSource<JsonElement> call in _calls.Values)
            {
                call.TrySetException(new InvalidOperationException($"chromium's DevTools connection closed; stderr:\n{Stderr}"));
            }
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("id", out JsonElement idElement))
        {
            if (_calls.TryRemove(idElement.GetInt32(), out TaskCompletionSource<JsonElement>? call))
            {
                if (message.TryGetProperty("error", out JsonElement error))
                {
                    call.TrySetException(new InvalidOperationException($"DevTools error: {error}"));
                }
                else
                {
                    call.TrySetResult(message.GetProperty("result"));
                }
            }
            return;
        }
        switch (message.GetProperty("method").GetString())
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Runtime.exceptionThrown":
                _pageErrors.Enqueue(message.GetProperty("params").GetProperty("exceptionDetails").ToString());
                break;
            case "Runtime.consoleAPICalled" when message.GetProperty("params").GetProperty("type").GetString() == "error":
                _pageErrors.Enqueue(message.GetProperty("params").GetProperty("args").ToString());
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        _closing.Dispose();
        _profile.Dispose();
    }

    // "DevTools listening on ws://127.0.0.1:41235/devtools/browser/…"
    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
