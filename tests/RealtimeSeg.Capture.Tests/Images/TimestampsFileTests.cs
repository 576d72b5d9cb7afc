using RealtimeSeg.Capture.Images;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Tests.Images;

public sealed class TimestampsFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"rseg-ts-{Guid.NewGuid():N}.txt");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Read_IntegerNanoseconds_ReadsThemAsIs()
    {
        File.WriteAllText(_path, "1317384588915484000\n1317384589018035000\n\n");
        Assert.Equal([1317384588915484000, 1317384589018035000], TimestampsFile.Read(_path));
    }

    [Fact]
    public void Read_KittiSeconds_ConvertsToNanoseconds()
    {
        File.WriteAllText(_path, "0.000000e+00\n1.036224e-01\n2.072448e-01\n");
        Assert.Equal([0, 103_622_400, 207_244_800], TimestampsFile.Read(_path));
    }

    [Fact]
    public void Read_GarbageLine_ThrowsNamingFileAndLine()
    {
        File.WriteAllText(_path, "100\nabc\n");
        var ex = Assert.Throws<ConfigurationException>(() => TimestampsFile.Read(_path));
        Assert.Contains(_path + ":2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TimeGoesBack_ThrowsNamingTheLine()
    {
        File.WriteAllText(_path, "300\n200\n");
        var ex = Assert.Throws<ConfigurationException>(() => TimestampsFile.Read(_path));
        Assert.Contains(_path + ":2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("back in time", ex.Message, StringComparison.Ordinal);
    }
}
