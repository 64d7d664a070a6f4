namespace Centric.Analytics.Lifetime;

/// <summary>The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z &lt; 1, by its power series.</summary>
internal static class Hypergeometric
{
    /// <remarks>
    /// The BG/NBD expectations only need z = t / (α + T + t) in [0, 1) with positive a, b, c, where every term is
    /// positive and the series converges geometrically (slowly only when t is hundreds of times α + T).
    /// </remarks>
    public static double Gauss2F1(double a, double b, double c, double z)
    {
        if (!(z >= 0 && z < 1)) throw new AnalyticsException($"hypergeometric series needs 0 <= z < 1, got {z}");
        var term = 1.0;
        var sum = 1.0;
        for (var n = 0; n < 10_000_000; n++)
        {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (Math.Abs(term) <= 1e-16 * Math.Abs(sum)) return sum;
        }
        throw new AnalyticsException($"hypergeometric series did not converge (z = {z}); the forecast horizon is too long for the model's time unit");
    }
}
