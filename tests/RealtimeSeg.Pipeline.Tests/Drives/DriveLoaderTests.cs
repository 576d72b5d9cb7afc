using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Drives;

namespace RealtimeSeg.Pipeline.Tests.Drives;

public sealed class DriveLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rseg-drive-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_TwoCamerasWithTimestamps_ResolvesPathsAgainstTheDriveFolder()
    {
        Write("left.txt", "# recorded times\n0.000\n0.034\n0.067\n");
        string path = Write("drive.yaml", """
            tolerance: 15ms
            reference: left
            playback:
              speed: 2
              start: 1s
              loop: true
            cameras:
              - name: front
                uri: clips/front.mp4
                offset_seconds: -0.25
              - name: left
                uri: synthetic:drive?seed=3&size=320x240&fps=30
                timestamps: left.txt
            """);
        DriveConfig d = DriveLoader.Load(path);
        Assert.Equal("drive", d.Name);
        Assert.Equal(TimeSpan.FromMilliseconds(15), d.Tolerance);
        Assert.Equal(1, d.ReferenceIndex);
        Assert.Equal(2.0, d.Playback.Speed);
        Assert.Equal(TimeSpan.FromSeconds(1), d.Playback.Start);
        Assert.True(d.Playback.Loop);
        Assert.Equal(Path.Combine(_dir, "clips", "front.mp4"), d.Cameras[0].Uri);
        Assert.Equal(-0.25, d.Cameras[0].OffsetSeconds);
        Assert.Equal("synthetic:drive?seed=3&size=320x240&fps=30", d.Cameras[1].Uri);
        Assert.Equal(Path.Combine(_dir, "left.txt"), d.Cameras[1].Timestamps);
    }

    [Fact]
    public void Load_MisspeltKey_FailsNamingFileLineAndKey()
    {
        string path = Write("bad.yaml", "cameras:\n  - name: front\n    uri: a.mp4\n    ofset_seconds: 1\n");
        var e = Assert.Throws<ConfigurationException>(() => DriveLoader.Load(path));
        Assert.Contains($"{path}:4:", e.Message);
        Assert.Contains("cameras[0].ofset_seconds", e.Message);
    }

    [Fact]
    public void Load_DuplicateCameraName_FailsNamingTheSecond()
    {
        string path = Write("dup.yaml", "cameras:\n  - name: front\n    uri: a.mp4\n  - name: front\n    uri: b.mp4\n");
        var e = Assert.Throws<ConfigurationException>(() => DriveLoader.Load(path));
        Assert.Contains("cameras[1].name", e.Message);
        Assert.Contains("'front' is used twice", e.Message);
    }

    [Fact]
    public void Load_ReferenceNotACamera_FailsNamingTheKey()
    {
        string path = Write("ref.yaml", "reference: rear\ncameras:\n  - name: front\n    uri: a.mp4\n");
        var e = Assert.Throws<ConfigurationException>(() => DriveLoader.Load(path));
        Assert.Contains("key 'reference'", e.Message);
        Assert.Contains("'rear'", e.Message);
    }

    [Fact]
    public void Load_EndNotAfterStart_FailsNamingTheKey()
    {
        string path = Write("end.yaml", "playback:\n  start: 5s\n  end: 2s\ncameras:\n  - name: front\n    uri: a.mp4\n");
        var e = Assert.Throws<ConfigurationException>(() => DriveLoader.Load(path));
        Assert.Contains("playback.end", e.Message);
    }

    [Fact]
    public void Load_TimestampsGoingBackwards_FailsNamingTheTimestampsFileAndLine()
    {
        Write("t.txt", "0.0\n0.5\n0.4\n");
        string path = Write("ts.yaml", "cameras:\n  - name: front\n    uri: a.mp4\n    timestamps: t.txt\n");
        var e = Assert.Throws<ConfigurationException>(() => DriveLoader.Load(path));
        Assert.Contains("cameras[0].timestamps", e.Message);
        Assert.Contains("t.txt:3", e.Message);
        Assert.Contains("must increase", e.Message);
    }

    [Fact]
    public void Load_MissingFile_FailsNamingIt()
    {
        var e = Assert.Throws<ConfigurationException>(() => DriveLoader.Load(Path.Combine(_dir, "nope.yaml")));
        Assert.Contains("nope.yaml", e.Message);
    }

    [TestSupport.AssetFact]
    public void Load_ShippedDriveConfigs_AreValidAndPointAtRecordingsThatExist()
    {
        string configs = Path.Combine(TestSupport.TestAssets.RepositoryRoot, "configs");
        // drive-*.yaml are drive files (a top-level 'cameras:' list) except pipeline configs for driving such as drive-panoptic.yaml.
        string[] drives = Directory.GetFiles(configs, "drive-*.yaml")
            .Where(f => File.ReadLines(f).Any(line => line.StartsWith("cameras:", StringComparison.Ordinal))).ToArray();
        Assert.True(drives.Length >= 2, "the synthetic and the udacity drive are shipped");
        foreach (string file in drives)
        {
            DriveConfig d = DriveLoader.Load(file, name => name == "REALTIMESEG_ASSETS" ? TestSupport.TestAssets.Directory : null);
            Assert.True(d.Cameras.Count >= 2, $"{file}: a drive of one camera shows nothing");
            foreach (DriveCameraConfig c in d.Cameras)
            {
                Assert.True(c.Uri.StartsWith("synthetic:", StringComparison.Ordinal) || File.Exists(c.Uri), $"{file}: camera {c.Name}: {c.Uri} does not exist");
            }
        }
    }
}
