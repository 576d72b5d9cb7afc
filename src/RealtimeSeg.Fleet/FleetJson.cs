using System.Text.Json;
using System.Text.Json.Serialization;

namespace RealtimeSeg.Fleet;

/// <summary>The JSON of every fleet message and ledger entry: snake_case keys, as the rest of the project's JSON.</summary>
internal static class FleetJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Parses <paramref name="utf8"/>; a malformed message fails naming <paramref name="what"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(utf8, Options) ?? throw new FleetException($"{what}: empty JSON (null)");
        }
        catch (JsonException e)
        {
            throw new FleetException($"{what}: not a valid {typeof(T).Name} ({e.Message})", e);
        }
    }
}
