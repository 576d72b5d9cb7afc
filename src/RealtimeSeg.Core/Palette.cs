namespace RealtimeSeg.Core;

/// <summary>Deterministic, well-separated display colours for category ids.</summary>
public static class Palette
{
    /// <summary>0xRRGGBB for <paramref name="index"/>, spread around the hue circle by the golden angle.</summary>
    public static int ColorFor(int index)
    {
        double hue = (index * 137.508) % 360.0;
        double s = 0.65, v = 0.95;
        double c = v * s, x = c * (1 - Math.Abs((hue / 60.0) % 2 - 1)), m = v - c;
        (double r, double g, double b) = (hue / 60.0) switch
        {
            < 1 => (c, x, 0.0),
            < 2 => (x, c, 0.0),
            < 3 => (0.0, c, x),
            < 4 => (0.0, x, c),
            < 5 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        int R = (int)Math.Round((r + m) * 255), G = (int)Math.Round((g + m) * 255), B = (int)Math.Round((b + m) * 255);
        return (R << 16) | (G << 8) | B;
    }
}
