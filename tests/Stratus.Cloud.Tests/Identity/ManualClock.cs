namespace Stratus.Cloud.Tests.Identity;

/// <summary>A clock the test moves by hand (wall time and the monotonic timestamp together).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;
    private long _timestamp = 1_000_000_000;

    public ManualClock()
        : this(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _timestamp;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
            _timestamp += by.Ticks;
        }
    }
}
