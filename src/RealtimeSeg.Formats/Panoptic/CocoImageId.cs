using System.Globalization;

namespace RealtimeSeg.Formats.Panoptic;

/// <summary>
/// A COCO <c>image_id</c>: a number in COCO itself, a string in some converted datasets (Cityscapes). Kept as it was
/// read so a file written back says the same thing; a number and a string never compare equal.
/// </summary>
public readonly struct CocoImageId : IEquatable<CocoImageId>
{
    private CocoImageId(long number, string? text)
    {
        Number = number;
        Text = text;
    }

    /// <summary>The numeric id; 0 when <see cref="IsNumber"/> is false.</summary>
    public long Number { get; }

    /// <summary>The string id, or null for a numeric one.</summary>
    public string? Text { get; }

    public bool IsNumber => Text is null;

    public static CocoImageId FromNumber(long number) => new(number, null);

    public static CocoImageId FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CocoImageId(0, text);
    }

    public static implicit operator CocoImageId(long number) => FromNumber(number);

    public static bool operator ==(CocoImageId left, CocoImageId right) => left.Equals(right);

    public static bool operator !=(CocoImageId left, CocoImageId right) => !left.Equals(right);

    public bool Equals(CocoImageId other) => Number == other.Number && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is CocoImageId other && Equals(other);

    public override int GetHashCode() => Text is null ? Number.GetHashCode() : StringComparer.Ordinal.GetHashCode(Text);

    public override string ToString() => Text ?? Number.ToString(CultureInfo.InvariantCulture);
}
