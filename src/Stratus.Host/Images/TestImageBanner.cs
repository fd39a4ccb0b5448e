using System.Text.RegularExpressions;

namespace Stratus.Host.Images;

/// <summary>
/// The line the test image writes to its first serial port (ttyS0) once it is up and its network configured
/// (Guest/rcS defines it):
/// <c>stratus-test-image ready: hostname=&lt;hostname&gt; addresses=&lt;ipv4/prefix&gt;[,...]</c>, or <c>addresses=none</c>.
/// </summary>
internal static partial class TestImageBanner
{
    public const string Prefix = "stratus-test-image ready: ";

    /// <summary>Matches one banner line; groups <c>hostname</c> and <c>addresses</c>.</summary>
    [GeneratedRegex(@"^stratus-test-image ready: hostname=(?<hostname>[^ \r\n]+) addresses=(?<addresses>[^ \r\n]+)", RegexOptions.Multiline)]
    public static partial Regex Pattern();

    /// <summary>The first banner in a console log, or null when the guest has not got there yet.</summary>
    public static (string Hostname, IReadOnlyList<string> Addresses)? Find(string consoleLog)
    {
        var match = Pattern().Match(consoleLog);
        if (!match.Success)
            return null;
        var addresses = match.Groups["addresses"].Value;
        return (match.Groups["hostname"].Value, addresses == "none" ? [] : addresses.Split(','));
    }
}
