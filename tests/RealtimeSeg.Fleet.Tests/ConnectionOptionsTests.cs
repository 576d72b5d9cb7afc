using RealtimeSeg.Fleet;

namespace RealtimeSeg.Fleet.Tests;

public sealed class ConnectionOptionsTests
{
    [Theory]
    [InlineData("nats://user:s3cret@host:4222", "nats://user:***@host:4222")]
    [InlineData("nats://t0ken@host:4222", "nats://***@host:4222")]
    [InlineData("nats://a:1,nats://u:p@b:2", "nats://a:1,nats://u:***@b:2")]
    [InlineData("nats://host:4222", "nats://host:4222")]
    public void RedactUrls_SecretInUserInfo_IsReplaced(string url, string expected)
        => Assert.Equal(expected, FleetConnectionOptions.RedactUrls(url));

    [Fact]
    public void Validate_NotANatsUrl_NamesTheFlagAndNeverTheSecret()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new FleetConnectionOptions { Url = "http://user:s3cret@host:80" }.Validate());
        Assert.Contains("--nats", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
    }
}
