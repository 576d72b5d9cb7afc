using RealtimeSeg.Fleet;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Fleet.Tests;

public sealed class DirectoryResultsTests
{
    [Fact]
    public async Task Store_SameJobTwice_LeavesOneCopyWithTheLatestContent()
    {
        using var root = new TempFolder();
        using var job = new TempFolder();
        var results = new DirectoryResults(root.Path);
        job.Write("tracks.txt", "first");
        await results.StoreAsync("j1", job.Path, CancellationToken.None);
        job.Write("tracks.txt", "second");
        await results.StoreAsync("j1", job.Path, CancellationToken.None);
        Assert.Equal(["j1/tracks.txt"], await results.ListAsync(CancellationToken.None));
        Assert.Equal("second"u8.ToArray(), await results.ReadAsync("j1", "tracks.txt", CancellationToken.None));
        Assert.Single(Directory.GetFileSystemEntries(root.Path)); // no staging folder left behind
    }
}
