namespace Centric.Analytics.Churn;

/// <summary>
/// Platt scaling: calibrated log-odds = Slope · raw + Intercept, fitted on held-out rows by Newton's
/// method with Platt's smoothed targets (so a small hold-out cannot push probabilities to 0 or 1).
/// </summary>
internal readonly record struct PlattScaling(double Slope, double Intercept)
{
    public static PlattScaling Identity => new(1, 0);

    public double Apply(double raw) => Slope * raw + Intercept;

    public static PlattScaling Fit(ReadOnlySpan<double> raw, ReadOnlySpan<bool> churned)
    {
        int positives = 0;
        foreach (var c in churned) if (c) positives++;
        var negatives = churned.Length - positives;
        if (positives == 0 || negatives == 0) return Identity;
        var hi = (positives + 1.0) / (positives + 2.0);
        var lo = 1.0 / (negatives + 2.0);
        double a = 1, b = 0;
        var loss = Loss(raw, churned, a, b, hi, lo);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double gA = 0, gB = 0, hAA = 1e-12, hAB = 0, hBB = 1e-12;
            for (var i = 0; i < raw.Length; i++)
            {
                var p = Sigmoid(a * raw[i] + b);
                var d = p - (churned[i] ? hi : lo);
                var w = p * (1 - p);
                gA += d * raw[i];
                gB += d;
                hAA += w * raw[i] * raw[i];
                hAB += w * raw[i];
                hBB += w;
            }
            var det = hAA * hBB - hAB * hAB;
            if (Math.Abs(det) < 1e-300) break;
            var stepA = (hBB * gA - hAB * gB) / det;
            var stepB = (hAA * gB - hAB * gA) / det;
            // Backtrack until the loss does not grow.
            var t = 1.0;
            double na = a, nb = b, newLoss = loss;
            while (t > 1e-8)
            {
                na = a - t * stepA;
                nb = b - t * stepB;
                newLoss = Loss(raw, churned, na, nb, hi, lo);
                if (newLoss <= loss + 1e-12) break;
                t /= 2;
            }
            if (t <= 1e-8) break;
            var done = Math.Abs(na - a) + Math.Abs(nb - b) < 1e-10;
            (a, b, loss) = (na, nb, newLoss);
            if (done) break;
        }
        return new PlattScaling(a, b);
    }

    private static double Loss(ReadOnlySpan<double> raw, ReadOnlySpan<bool> churned, double a, double b, double hi, double lo)
    {
        double sum = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var z = a * raw[i] + b;
            var t = churned[i] ? hi : lo;
            // −[t log σ(z) + (1−t) log(1−σ(z))] = softplus(z) − t·z, computed stably.
            sum += Softplus(z) - t * z;
        }
        return sum;
    }

    internal static double Softplus(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));

    internal static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
