using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Stratus.Cloud.Conductor.Build;

/// <summary>Times the steps of a build on a host, for the action event's details ("image cached 0.4 ms, root disk 1.2 ms, …").</summary>
internal sealed class StepClock
{
    private readonly List<(string Step, double Milliseconds)> _steps = [];
    private long _mark = Stopwatch.GetTimestamp();

    public void Lap(string step)
    {
        var now = Stopwatch.GetTimestamp();
        _steps.Add((step, Stopwatch.GetElapsedTime(_mark, now).TotalMilliseconds));
        _mark = now;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (step, ms) in _steps)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(text.Length > 0 ? ", " : "")}{step} {ms:0.0} ms");
        }

        return text.ToString();
    }
}
