using RealtimeSeg.Capture.Images;

namespace RealtimeSeg.Capture.Tests.Images;

public sealed class NaturalStringComparerTests
{
    [Fact]
    public void Sort_MixedDigitRuns_OrdersByNumericValue()
    {
        string[] names = ["img10.png", "img2.png", "img1.png", "img02.png", "IMG3.png", "a.png"];
        Array.Sort(names, NaturalStringComparer.Instance);
        Assert.Equal(["a.png", "img1.png", "img2.png", "img02.png", "IMG3.png", "img10.png"], names);
    }

    [Fact]
    public void Compare_LongDigitRuns_DoesNotOverflow()
    {
        Assert.True(NaturalStringComparer.Instance.Compare("f99999999999999999999999.png", "f100000000000000000000000.png") < 0);
    }
}
