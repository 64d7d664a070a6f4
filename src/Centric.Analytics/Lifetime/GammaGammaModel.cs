using MathNet.Numerics;

namespace Centric.Analytics.Lifetime;

/// <summary>
/// The Gamma-Gamma model of spend per purchase (Colombo &amp; Jiang 1999; Fader, Hardie &amp; Lee 2005 "RFM and CLV";
/// Fader &amp; Hardie 2013 note): each purchase value is Gamma(p, ν) with ν ~ Gamma(q, γ) across customers,
/// so a customer's mean of x repeat purchases z̄ has density
/// Γ(px+q) / (Γ(px) Γ(q)) · γ^q · x^(px) · z̄^(px−1) / (γ + x z̄)^(px+q).
/// </summary>
/// <remarks>Fitted only on customers with x &gt; 0 and a positive mean repeat value; it assumes spend is independent of purchase frequency.</remarks>
public sealed class GammaGammaModel
{
    /// <summary>Creates a model from known parameters (all positive and finite).</summary>
    /// <exception cref="AnalyticsException">A parameter is not a positive finite number.</exception>
    public GammaGammaModel(double p, double q, double gamma)
    {
        BgNbdModel.RequirePositive(p, nameof(p));
        BgNbdModel.RequirePositive(q, nameof(q));
        BgNbdModel.RequirePositive(gamma, nameof(gamma));
        P = p;
        Q = q;
        Gamma = gamma;
    }

    /// <summary>ln q beyond which the spread of the spend scale across customers is nil for every practical purpose (q ≥ 10⁶).</summary>
    internal const double RidgeLogQ = 13.8;

    /// <summary>Shape of each purchase's value distribution.</summary>
    public double P { get; }

    /// <summary>Shape of the Gamma distribution of the value scale ν across customers.</summary>
    public double Q { get; }

    /// <summary>Rate of the Gamma distribution of the value scale ν across customers.</summary>
    public double Gamma { get; }

    /// <summary>Total log-likelihood on the fitted customers (NaN for a model built from parameters).</summary>
    public double LogLikelihood { get; private init; } = double.NaN;

    /// <summary>Number of customers (x &gt; 0, positive mean value) it was fitted on.</summary>
    public int FittedCustomers { get; private init; }

    /// <summary>Optimiser iterations used by <see cref="Fit"/>.</summary>
    public int Iterations { get; private init; }

    /// <summary>Expected value of a purchase by a customer about whom nothing is known: pγ / (q − 1).</summary>
    /// <exception cref="AnalyticsException">q ≤ 1: the fitted spend distribution has no finite mean.</exception>
    public double PopulationMeanSpend => ConditionalExpectedSpend(0, 0);

    /// <summary>
    /// Fits p, q, γ by maximum likelihood (BFGS on log-parameters, analytic gradient) on the customers with
    /// repeat purchases. Customers with x &gt; 0 but a mean repeat value of 0 (free orders) carry no spend
    /// information the model can use and are left out.
    /// </summary>
    /// <exception cref="AnalyticsException">The history has no values, fewer than two usable customers, or the fit fails.</exception>
    public static GammaGammaModel Fit(PurchaseHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (!history.HasValues) throw new AnalyticsException("the purchase history has no purchase values: the Gamma-Gamma spend model needs them");
        var likelihood = new GammaGammaLikelihood(history);
        if (likelihood.Count < 2)
        {
            throw new AnalyticsException($"the Gamma-Gamma spend model needs at least two customers with repeat purchases of positive value (found {likelihood.Count})");
        }
        var result = LogParameterOptimizer.Minimize(likelihood.NegativeMean, likelihood.Start());
        // When customers do not differ in how much they spend per order, the likelihood rises towards q → ∞ with γ/q fixed:
        // the spend scale ν is then the same for everyone. The fit climbs that ridge until the likelihood no longer changes in
        // double precision; a point that far along is as good as the limit (every customer's expected spend is the
        // population mean), so it is kept rather than refused.
        var atRidgeEnd = result.Point[1] >= RidgeLogQ;
        if (!result.Converged && !atRidgeEnd) throw new AnalyticsException($"Gamma-Gamma fit did not converge after {result.Iterations} iterations");
        var t = result.Point;
        return new GammaGammaModel(Math.Exp(t[0]), Math.Exp(t[1]), Math.Exp(t[2]))
        {
            LogLikelihood = -result.Value * likelihood.Count,
            FittedCustomers = likelihood.Count,
            Iterations = result.Iterations,
        };
    }

    /// <summary>Log-likelihood of one customer's mean repeat value z̄ over x &gt; 0 purchases.</summary>
    /// <exception cref="AnalyticsException">x ≤ 0 or z̄ not positive and finite.</exception>
    public double CustomerLogLikelihood(int frequency, double meanRepeatValue)
    {
        if (frequency <= 0) throw new AnalyticsException($"the Gamma-Gamma likelihood needs x > 0 repeat purchases, got {frequency}");
        if (!double.IsFinite(meanRepeatValue) || meanRepeatValue <= 0)
        {
            throw new AnalyticsException($"the Gamma-Gamma likelihood needs a positive mean repeat value, got {meanRepeatValue}");
        }
        var px = P * frequency;
        return SpecialFunctions.GammaLn(px + Q) - SpecialFunctions.GammaLn(px) - SpecialFunctions.GammaLn(Q)
            + Q * Math.Log(Gamma) + px * Math.Log(frequency) + (px - 1) * Math.Log(meanRepeatValue)
            - (px + Q) * Math.Log(Gamma + frequency * meanRepeatValue);
    }

    /// <summary>
    /// E[M | x, z̄]: expected value of this customer's future purchases, p(γ + x z̄) / (px + q − 1), a weighted mean of
    /// the population mean and the customer's own mean. With x = 0 it is the population mean.
    /// </summary>
    /// <exception cref="AnalyticsException">Bad input, or q ≤ 1 with x = 0 (no finite population mean).</exception>
    public double ConditionalExpectedSpend(int frequency, double meanRepeatValue)
    {
        if (frequency < 0 || !double.IsFinite(meanRepeatValue) || meanRepeatValue < 0)
        {
            throw new AnalyticsException($"expected spend needs x >= 0 and a finite, non-negative mean value (got x = {frequency}, mean {meanRepeatValue})");
        }
        var denominator = P * frequency + Q - 1;
        if (denominator <= 0) throw new AnalyticsException($"Gamma-Gamma q = {Q} ≤ 1: the spend distribution has no finite mean for customers without repeat purchases");
        return P * (Gamma + frequency * meanRepeatValue) / denominator;
    }
}

/// <summary>The Gamma-Gamma log-likelihood and gradient over (ln p, ln q, ln γ), with the log-gamma terms computed once per distinct x.</summary>
internal sealed class GammaGammaLikelihood
{
    private readonly int[] _x;
    private readonly double[] _z;
    private readonly double[] _lnZ;
    private readonly int[] _distinctX;
    private readonly int[] _customersAtX;
    private readonly double _sumXLnXZ;
    private readonly double _sumLnZ;

    public GammaGammaLikelihood(PurchaseHistory history)
    {
        var x = new List<int>();
        var z = new List<double>();
        for (var i = 0; i < history.Count; i++)
        {
            if (history.Frequency[i] > 0 && history.MeanRepeatValue[i] > 0)
            {
                x.Add(history.Frequency[i]);
                z.Add(history.MeanRepeatValue[i]);
            }
        }
        _x = [.. x];
        _z = [.. z];
        _lnZ = new double[_z.Length];
        var counts = new SortedDictionary<int, int>();
        for (var i = 0; i < _x.Length; i++)
        {
            _lnZ[i] = Math.Log(_z[i]);
            _sumXLnXZ += _x[i] * (Math.Log(_x[i]) + _lnZ[i]);
            _sumLnZ += _lnZ[i];
            counts[_x[i]] = counts.GetValueOrDefault(_x[i]) + 1;
        }
        _distinctX = [.. counts.Keys];
        _customersAtX = [.. counts.Values];
    }

    public int Count => _x.Length;

    /// <summary>A moment-based start: p from the spread of values, q = 2, γ matching the mean value.</summary>
    public double[] Start()
    {
        var mean = 0.0;
        foreach (var z in _z) mean += z;
        mean /= _z.Length;
        var variance = 0.0;
        foreach (var z in _z) variance += (z - mean) * (z - mean);
        variance /= Math.Max(_z.Length - 1, 1);
        var p = variance > 0 ? Math.Clamp(mean * mean / variance, 0.1, 100) : 1;
        const double q = 2;
        var gamma = Math.Max(mean * (q - 1) / p, 1e-6);
        return [Math.Log(p), Math.Log(q), Math.Log(gamma)];
    }

    public double NegativeMean(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double p = Math.Exp(theta[0]), q = Math.Exp(theta[1]), gamma = Math.Exp(theta[2]);
        if (!double.IsFinite(p + q + gamma) || p == 0 || q == 0 || gamma == 0) return double.NaN;
        var n = _x.Length;
        var lnGamma = Math.Log(gamma);
        var digammaQ = SpecialFunctions.DiGamma(q);
        double ll = 0, gp = 0, gq = 0, gGamma = 0;
        // Terms that depend only on x: the log-gamma ratio and its derivatives.
        for (var k = 0; k < _distinctX.Length; k++)
        {
            var x = _distinctX[k];
            var c = _customersAtX[k];
            var px = p * x;
            ll += c * (SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px) - SpecialFunctions.GammaLn(q));
            var digammaPxQ = SpecialFunctions.DiGamma(px + q);
            gp += c * x * (digammaPxQ - SpecialFunctions.DiGamma(px));
            gq += c * (digammaPxQ - digammaQ);
        }
        ll += n * q * lnGamma + p * _sumXLnXZ - _sumLnZ;
        gp += _sumXLnXZ;
        gq += n * lnGamma;
        gGamma += n * q / gamma;
        for (var i = 0; i < n; i++)
        {
            var x = _x[i];
            var total = gamma + x * _z[i];
            var lnTotal = Math.Log(total);
            var pxq = p * x + q;
            ll -= pxq * lnTotal;
            gp -= x * lnTotal;
            gq -= lnTotal;
            gGamma -= pxq / total;
        }
        gradient[0] = -gp * p / n;
        gradient[1] = -gq * q / n;
        gradient[2] = -gGamma * gamma / n;
        return -ll / n;
    }
}
