using RealtimeSeg.Capture.Network;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Tests.Network;

/// <summary>The parts of the network source that need no server: backoff, command lines, URL checks, probe parsing, options.</summary>
public sealed class NetworkPiecesTests
{
    [Fact]
    public void Delay_SuccessiveFailures_DoublesUpToTheMaximumWithJitterInTheUpperHalf()
    {
        var backoff = new ReconnectBackoff(new ReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(1000) }, new Random(1));
        double[] ceilings = [100, 200, 400, 800, 1000, 1000, 1000];
        for (int attempt = 1; attempt <= ceilings.Length; attempt++)
        {
            double ms = backoff.Delay(attempt).TotalMilliseconds;
            Assert.InRange(ms, ceilings[attempt - 1] * 0.5, ceilings[attempt - 1]);
        }
        Assert.InRange(backoff.Delay(int.MaxValue).TotalMilliseconds, 500, 1000);
    }

    [Fact]
    public void Delay_ManyClients_AreSpreadOut()
    {
        var options = new ReconnectOptions { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1) };
        var delays = new HashSet<double>();
        for (int seed = 0; seed < 20; seed++)
        {
            delays.Add(new ReconnectBackoff(options, new Random(seed)).Delay(1).TotalMilliseconds);
        }
        Assert.True(delays.Count > 15, "jitter must spread reconnects of clients that lost the same server");
    }

    [Theory]
    [InlineData(NetworkTransport.Tcp, "tcp")]
    [InlineData(NetworkTransport.Udp, "udp")]
    public void Capture_RtspUrl_AsksForTheTransportSizeAndRawBgr(NetworkTransport transport, string flag)
    {
        List<string> args = FfmpegCommand.Capture("rtsp://cam/x", transport, 640, 360);
        Assert.Equal(flag, args[args.IndexOf("-rtsp_transport") + 1]);
        Assert.True(args.IndexOf("-rtsp_transport") < args.IndexOf("-i"), "input options go before -i");
        Assert.Equal("640x360", args[args.IndexOf("-s") + 1]);
        Assert.Equal("bgr24", args[args.IndexOf("-pix_fmt") + 1]);
        Assert.Equal("rawvideo", args[args.IndexOf("-f") + 1]);
        Assert.Equal("pipe:1", args[^1]);
    }

    [Fact]
    public void Capture_HttpUrl_HasNoRtspTransport()
    {
        Assert.DoesNotContain("-rtsp_transport", FfmpegCommand.Capture("http://cam/x.mjpg", NetworkTransport.Udp, 64, 48));
    }

    [Theory]
    [InlineData("ffmpeg", "ffprobe")]
    [InlineData("/opt/ff/bin/ffmpeg", "/opt/ff/bin/ffprobe")]
    public void ProbeExecutableFor_Ffmpeg_IsTheFfprobeBesideIt(string ffmpeg, string expected)
    {
        Assert.Equal(expected, FfmpegCommand.ProbeExecutableFor(ffmpeg));
    }

    [Theory]
    [InlineData("rtsp://admin:secret@10.0.0.2:554/stream1", "rtsp://admin:***@10.0.0.2:554/stream1")]
    [InlineData("rtsp://10.0.0.2/a@b", "rtsp://10.0.0.2/a@b")]
    [InlineData("http://user@host/x", "http://user@host/x")]
    public void Redact_UrlWithPassword_HidesOnlyThePassword(string url, string expected)
    {
        Assert.Equal(expected, NetworkUrl.Redact(url));
    }

    [Fact]
    public void Validate_MalformedUrl_MessageNeverShowsThePassword()
    {
        var ex = Assert.Throws<ConfigurationException>(() => NetworkUrl.Validate("rtsp://admin:secret@/nohost"));
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FfprobeOutput_ReadsSizeAndAverageRate()
    {
        StreamProbe p = StreamProbe.Parse("width=1280\nheight=720\nr_frame_rate=30/1\navg_frame_rate=30000/1001\n", "", 0);
        Assert.True(p.Succeeded);
        Assert.Equal((1280, 720), (p.Width, p.Height));
        Assert.Equal(29.97, p.FramesPerSecond, 2);
    }

    [Fact]
    public void Parse_FfprobeFailed_ReasonIsItsLastErrorLine()
    {
        StreamProbe p = StreamProbe.Parse("", "something\nrtsp://h/x: Connection refused\n", 1);
        Assert.False(p.Succeeded);
        Assert.Equal("rtsp://h/x: Connection refused", p.Failure);
    }

    [Theory]
    [InlineData("25/1", 25)]
    [InlineData("0/0", 0)]
    [InlineData("90000/1", 0)]
    [InlineData("junk", 0)]
    public void Rate_FfprobeFraction_IsFramesPerSecondOrZero(string text, double expected)
    {
        Assert.Equal(expected, StreamProbe.Rate(text), 3);
    }

    [Theory]
    [InlineData("stall_timeout")]
    [InlineData("width")]
    [InlineData("max_attempts")]
    [InlineData("max_delay")]
    public void Validate_BadNetworkOption_ThrowsNamingTheKey(string key)
    {
        NetworkSourceOptions options = key switch
        {
            "stall_timeout" => new NetworkSourceOptions { StallTimeout = TimeSpan.FromMilliseconds(10) },
            "width" => new NetworkSourceOptions { Width = 640 },
            "max_attempts" => new NetworkSourceOptions { Reconnect = new ReconnectOptions { MaxAttempts = -1 } },
            _ => new NetworkSourceOptions { Reconnect = new ReconnectOptions { InitialDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(1) } },
        };
        var ex = Assert.Throws<ConfigurationException>(() => new SourceOptions { Network = options }.Validate());
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }
}
