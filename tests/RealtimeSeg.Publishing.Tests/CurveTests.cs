using System.Diagnostics;
using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Protocol.Tests.Support;
using RealtimeSeg.Publishing.Tests.Support;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Publishing.Tests;

/// <summary>
/// Authenticated publishing with ZeroMQ CURVE, against the real pyzmq both ways: our key files are pyzmq certificates,
/// a pyzmq subscriber with the server key receives, one without receives nothing, and our subscriber with the key
/// receives; a non-loopback endpoint without keys is refused.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CurveTests
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void Generate_WritesPublicAndSecretCertificates_SecretOnlyForTheOwner()
    {
        using var folder = new TempFolder();

        (string publicPath, string secretPath) = CurveKeys.Generate(folder.Path);

        Assert.Equal(Path.Combine(folder.Path, "server.key"), publicPath);
        Assert.Equal(Path.Combine(folder.Path, "server.key_secret"), secretPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretPath));
        Assert.DoesNotContain("secret-key", File.ReadAllText(publicPath), StringComparison.Ordinal);
        Assert.Throws<ConfigurationException>(() => CurveKeys.Generate(folder.Path));
    }

    [PythonSubscriberFact]
    public void Generate_Certificates_AreReadByPyzmqLoadCertificate()
    {
        using var folder = new TempFolder();
        (string publicPath, string secretPath) = CurveKeys.Generate(folder.Path, "cam1");

        string output = RunPython(
            "import sys, zmq, zmq.auth\n" +
            "pub, sec = zmq.auth.load_certificate(sys.argv[1])\n" +
            "pub2, sec2 = zmq.auth.load_certificate(sys.argv[2])\n" +
            "assert pub == pub2 and sec is None and sec2 is not None\n" +
            "assert zmq.curve_public(sec2) == pub, 'public key does not belong to the secret key'\n" +
            "print(len(pub), len(sec2))\n",
            publicPath, secretPath);

        Assert.Equal("40 40", output.Trim());
    }

    [PythonSubscriberFact]
    public async Task CurvePublisher_PyzmqCertificate_IsAccepted()
    {
        using var folder = new TempFolder();
        RunPython("import sys, zmq.auth\nzmq.auth.create_certificates(sys.argv[1], 'server')\n", folder.Path);
        File.SetUnixFileMode(Path.Combine(folder.Path, "server.key_secret"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await using var harness = new PublisherHarness(new PublisherOptions { Endpoint = "tcp://127.0.0.1:*", CurveSecret = Path.Combine(folder.Path, "server.key_secret") });
        await using var subscriber = new SegmentationSubscriber(new SubscriberOptions { Endpoint = await harness.EndpointAsync(), ServerKey = Path.Combine(folder.Path, "server.key") });

        await SubscribedAsync(harness, subscriptions: 3);
        for (long seq = 0; seq < 3; seq++)
        {
            await harness.WriteAsync(Frame(seq));
            Assert.NotNull(await subscriber.TryReadAsync(Patience));
        }

        Assert.True(harness.Publisher.IsAuthenticated);
    }

    [PythonSubscriberFact]
    public async Task CurvePublisher_SubscribersWithAndWithoutTheServerKey_OnlyThoseWithTheKeyReceive()
    {
        using var folder = new TempFolder();
        (string publicPath, string secretPath) = CurveKeys.Generate(folder.Path);
        await using var harness = new PublisherHarness(new PublisherOptions { Endpoint = "tcp://127.0.0.1:*", CurveSecret = secretPath });
        string endpoint = await harness.EndpointAsync();
        await using var withoutKey = PythonSubscriberProcess.Start(endpoint, "--stream", "s0");
        await using var plainOurs = new SegmentationSubscriber(new SubscriberOptions { Endpoint = endpoint });
        await using var withKey = PythonSubscriberProcess.Start(endpoint, "--stream", "s0", "--count", "5", "--server-key", publicPath);
        await using var ours = new SegmentationSubscriber(new SubscriberOptions { Endpoint = endpoint, ServerKey = publicPath });

        // The keyless subscribers connected first, so they had every chance the keyed ones had.
        // Only the keyed ones can subscribe (three topic prefixes each): the keyless ones never finish the handshake.
        await SubscribedAsync(harness, subscriptions: 6);
        for (long seq = 0; seq < 5; seq++)
        {
            await harness.WriteAsync(Frame(seq));
            Assert.NotNull(await ours.TryReadAsync(Patience));
        }

        Assert.True(await withKey.WaitForExitAsync(Patience) == 0, withKey.Stderr);
        Assert.Equal(5, withKey.Records.Count);
        Assert.Equal(0, withoutKey.LineCount);
        Assert.Equal(0, plainOurs.FramesReceived);
        Assert.Equal(0, plainOurs.MetaMessagesReceived);
    }

    [Theory]
    [InlineData("tcp://0.0.0.0:5556")]
    [InlineData("tcp://*:5556")]
    [InlineData("tcp://192.168.1.20:5556")]
    [InlineData("tcp://eth0:5556")]
    public void Validate_NonLoopbackWithoutKeys_IsRefusedSayingHowToCreateKeys(string endpoint)
    {
        ConfigurationException e = Assert.Throws<ConfigurationException>(() => new PublisherOptions { Endpoint = endpoint }.Validate());

        Assert.Contains("realtimeseg keys generate", e.Message, StringComparison.Ordinal);
        Assert.Contains("--curve-secret", e.Message, StringComparison.Ordinal);
        Assert.Contains("--insecure", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:5556")]
    [InlineData("tcp://127.0.0.2:*")]
    [InlineData("tcp://localhost:5556")]
    [InlineData("tcp://[::1]:5556")]
    [InlineData("inproc://x")]
    public void Validate_LoopbackWithoutKeys_IsAcceptedWithoutWarning(string endpoint)
    {
        var options = new PublisherOptions { Endpoint = endpoint };

        options.Validate();

        Assert.Null(options.SecurityWarning);
    }

    [Fact]
    public async Task Insecure_NonLoopbackWithoutKeys_BindsAndWarnsAtStart()
    {
        var options = new PublisherOptions { Endpoint = "tcp://0.0.0.0:*", Insecure = true };
        await using var harness = new PublisherHarness(options);

        await harness.EndpointAsync();

        Assert.NotNull(harness.Publisher.SecurityWarning);
        Assert.Contains(harness.Log.Lines, l => l.StartsWith("warn: ", StringComparison.Ordinal) && l.Contains("without authentication", StringComparison.Ordinal));
    }

    [Fact]
    public void CurveSecret_ReadableByOthers_IsRefusedNamingTheFileNotTheKey()
    {
        using var folder = new TempFolder();
        (_, string secretPath) = CurveKeys.Generate(folder.Path);
        File.SetUnixFileMode(secretPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        string secretLine = File.ReadAllLines(secretPath).Single(l => l.Contains("secret-key", StringComparison.Ordinal));
        string secretKey = secretLine.Split('"')[1];

        ConfigurationException e = Assert.Throws<ConfigurationException>(() => new ZeroMqPublisher(new PublisherOptions { CurveSecret = secretPath }, new CollectingLog()));

        Assert.Contains(secretPath, e.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secretKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CurveSecret_CorruptKey_NamesFileLineAndKeyButNotTheValue()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "bad.key_secret");
        const string Value = "not-a-key-but-maybe-a-password";
        File.WriteAllText(path, $"metadata\ncurve\n    public-key = \"{Value}\"\n    secret-key = \"{Value}\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        ConfigurationException e = Assert.Throws<ConfigurationException>(() => new ZeroMqPublisher(new PublisherOptions { CurveSecret = path }, new CollectingLog()));

        Assert.Contains($"{path} line 3, key public-key", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, e.Message, StringComparison.Ordinal);
    }

    private static PanopticFrame Frame(long seq) => SyntheticScene.Create(96, 54, things: (int)(seq % 5), sequence: seq);

    /// <summary>
    /// Waits until the publisher has seen <paramref name="subscriptions"/> subscription messages: every frame sent after
    /// that reaches those subscribers (one sent before a subscription arrives is not seen by its subscriber).
    /// </summary>
    private static Task SubscribedAsync(PublisherHarness harness, int subscriptions)
        => harness.Publisher.WaitForSubscriptionsAsync(subscriptions, CancellationToken.None).WaitAsync(Patience);

    private static string RunPython(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(Patience), "python did not finish");
        Assert.True(p.ExitCode == 0, stderr.Result);
        return stdout;
    }
}
