namespace Stratus.Cloud.Persistence;

/// <summary>Timestamps as stored: microseconds since the Unix epoch, UTC.</summary>
internal static class DbTime
{
    public static long From(DateTime value) => (value.ToUniversalTime() - DateTime.UnixEpoch).Ticks / 10;

    public static long From(DateTimeOffset value) => From(value.UtcDateTime);

    public static DateTime To(long value) => DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(value * 10), DateTimeKind.Utc);

    public static DateTime? To(long? value) => value is { } v ? To(v) : null;

    public static long? From(DateTime? value) => value is { } v ? From(v) : null;
}
