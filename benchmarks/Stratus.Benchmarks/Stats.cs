using System.Globalization;

namespace Stratus.Benchmarks;

/// <summary>min / median / p95 / max of a series of milliseconds.</summary>
internal sealed record Stats(int Count, double Min, double Median, double P95, double Max)
{
    public static Stats Of(IReadOnlyCollection<double> samples)
    {
        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Stats(sorted.Length, sorted[0], At(0.5), At(0.95), sorted[^1]);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"n={Count} min {Min:F2} ms, median {Median:F2} ms, p95 {P95:F2} ms, max {Max:F2} ms");
}
