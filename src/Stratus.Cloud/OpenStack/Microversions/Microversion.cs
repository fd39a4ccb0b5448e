using System.Globalization;

namespace Stratus.Cloud.OpenStack.Microversions;

/// <summary>A compute API microversion such as 2.47; compares numerically (2.9 &lt; 2.10).</summary>
internal readonly record struct Microversion(int Major, int Minor) : IComparable<Microversion>
{
    public static readonly Microversion Min = new(2, 1);

    /// <summary>The newest version Stratus serves: Tempest 33's newest server schema (contract §4.1).</summary>
    public static readonly Microversion Max = new(2, 79);

    public static bool TryParse(string text, out Microversion version)
    {
        version = default;
        var parts = text.Trim().Split('.');
        // Format ^[1-9]\d*\.([1-9]\d*|0)$ (nova api_version_request.py).
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || parts[0][0] == '0' || (parts[1].Length > 1 && parts[1][0] == '0')
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new Microversion(major, minor);
        return true;
    }

    public int CompareTo(Microversion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(Microversion a, Microversion b) => a.CompareTo(b) < 0;

    public static bool operator >(Microversion a, Microversion b) => a.CompareTo(b) > 0;

    public static bool operator <=(Microversion a, Microversion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(Microversion a, Microversion b) => a.CompareTo(b) >= 0;

    /// <summary>Whether this request version includes the change made at <paramref name="major"/>.<paramref name="minor"/>.</summary>
    public bool AtLeast(int major, int minor) => this >= new Microversion(major, minor);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
