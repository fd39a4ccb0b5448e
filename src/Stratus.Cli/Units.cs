using System.Globalization;
using System.Text.RegularExpressions;

namespace Stratus.Cli;

/// <summary>Sizes (<c>64GiB</c>, <c>512M</c>, binary as xe's are) and durations (<c>250ms</c>, <c>2s</c>) on the command line.</summary>
internal static partial class Units
{
    public static long ParseBytes(string text, string option)
    {
        var match = SizePattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"{option}: '{text}' is not a size such as 512MiB, 64GiB or 1TiB");
        }

        var number = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var shift = match.Groups[2].Value.ToLowerInvariant() switch
        {
            "" or "b" or "bytes" => 0,
            "k" or "kb" or "kib" => 10,
            "m" or "mb" or "mib" => 20,
            "g" or "gb" or "gib" => 30,
            "t" or "tb" or "tib" => 40,
            _ => throw new FormatException($"{option}: unknown unit in '{text}'"),
        };
        return (long)(number * (1L << shift));
    }

    public static TimeSpan ParseDuration(string text, string option)
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"{option}: '{text}' is not a duration such as 250ms or 2s");
        }

        var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(number),
            "m" => TimeSpan.FromMinutes(number),
            _ => TimeSpan.FromSeconds(number),
        };
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)$")]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m)?$")]
    private static partial Regex DurationPattern();
}
