namespace Centric.Analytics.Lifetime;

/// <summary>
/// The BG/NBD model of repeat purchasing (Fader, Hardie &amp; Lee 2005, "Counting your customers the easy way"):
/// while alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with
/// probability p ~ Beta(a, b). Fitted by maximum likelihood on (x, t_x, T).
/// </summary>
/// <remarks>Times are in the <see cref="TimeUnit"/> of the history it was fitted on; α scales with that unit.</remarks>
public sealed class BgNbdModel
{
    /// <summary>Creates a model from known parameters (all positive and finite).</summary>
    /// <exception cref="AnalyticsException">A parameter is not a positive finite number.</exception>
    public BgNbdModel(double r, double alpha, double a, double b, PurchaseTimeUnit timeUnit = PurchaseTimeUnit.Weeks)
    {
        RequirePositive(r, nameof(r));
        RequirePositive(alpha, nameof(alpha));
        RequirePositive(a, nameof(a));
        RequirePositive(b, nameof(b));
        _ = timeUnit.Days();
        R = r;
        Alpha = alpha;
        A = a;
        B = b;
        TimeUnit = timeUnit;
    }

    /// <summary>Shape of the Gamma distribution of purchase rates.</summary>
    public double R { get; }

    /// <summary>Scale (rate) of the Gamma distribution of purchase rates, in time units.</summary>
    public double Alpha { get; }

    /// <summary>First shape of the Beta distribution of drop-out probabilities.</summary>
    public double A { get; }

    /// <summary>Second shape of the Beta distribution of drop-out probabilities.</summary>
    public double B { get; }

    /// <summary>The time unit of t_x, T and forecast horizons.</summary>
    public PurchaseTimeUnit TimeUnit { get; }

    /// <summary>Total log-likelihood on the data it was fitted on (NaN for a model built from parameters).</summary>
    public double LogLikelihood { get; private init; } = double.NaN;

    /// <summary>Number of customers it was fitted on (0 for a model built from parameters).</summary>
    public int FittedCustomers { get; private init; }

    /// <summary>Optimiser iterations used by <see cref="Fit"/>.</summary>
    public int Iterations { get; private init; }

    /// <summary>Fits r, α, a, b by maximum likelihood (BFGS on the log-parameters with the analytic gradient).</summary>
    /// <exception cref="AnalyticsException">No customer has a repeat purchase (a and b cannot be identified), or the optimiser fails.</exception>
    public static BgNbdModel Fit(PurchaseHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var likelihood = new BgNbdLikelihood(history);
        if (likelihood.MaxFrequency == 0)
        {
            throw new AnalyticsException("no customer has a repeat purchase: the BG/NBD drop-out process cannot be estimated");
        }
        // Start from r = a = b = 1 and α at the mean age over mean repeat purchases (a rough purchase interval).
        var meanAge = 0.0;
        var meanFrequency = 0.0;
        for (var i = 0; i < history.Count; i++)
        {
            meanAge += history.Age[i];
            meanFrequency += history.Frequency[i];
        }
        var alphaStart = Math.Max(meanAge / Math.Max(meanFrequency, 1), 1e-3);
        var result = LogParameterOptimizer.Minimize(likelihood.NegativeMean, [0, Math.Log(alphaStart), 0, 0]);
        if (!result.Converged) throw new AnalyticsException($"BG/NBD fit did not converge after {result.Iterations} iterations");
        var p = result.Point;
        return new BgNbdModel(Math.Exp(p[0]), Math.Exp(p[1]), Math.Exp(p[2]), Math.Exp(p[3]), history.TimeUnit)
        {
            LogLikelihood = -result.Value * history.Count,
            FittedCustomers = history.Count,
            Iterations = result.Iterations,
        };
    }

    /// <summary>Log-likelihood of one customer's (x, t_x, T) under this model (eq. 6 of the paper).</summary>
    public double CustomerLogLikelihood(int frequency, double recency, double age)
    {
        PurchaseHistory.Validate(0, frequency, recency, age, 0);
        double lnRateTerm = 0, lnDropTerm = 0;
        for (var k = 0; k < frequency; k++)
        {
            // Γ(r+x)/Γ(r) and B(a, b+x)/B(a, b) as finite products, since x is whole.
            lnRateTerm += Math.Log(R + k);
            lnDropTerm += Math.Log(B + k) - Math.Log(A + B + k);
        }
        var common = lnRateTerm + R * Math.Log(Alpha) + lnDropTerm;
        var stillAlive = -(R + frequency) * Math.Log(Alpha + age);
        if (frequency == 0) return common + stillAlive;
        var droppedAfterLast = Math.Log(A) - Math.Log(B + frequency - 1) - (R + frequency) * Math.Log(Alpha + recency);
        return common + LogSumExp(stillAlive, droppedAfterLast);
    }

    /// <summary>Total log-likelihood of a purchase history under this model.</summary>
    public double TotalLogLikelihood(PurchaseHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var sum = 0.0;
        for (var i = 0; i < history.Count; i++) sum += CustomerLogLikelihood(history.Frequency[i], history.Recency[i], history.Age[i]);
        return sum;
    }

    /// <summary>E[X(t)]: expected repeat purchases of a new customer in the first <paramref name="t"/> units after their first purchase (eq. 9).</summary>
    public double ExpectedPurchases(double t)
    {
        RequireHorizon(t);
        if (t == 0) return 0;
        var a = AwayFromOne(A);
        var z = t / (Alpha + t);
        var f = Hypergeometric.Gauss2F1(R, B, a + B - 1, z);
        return (a + B - 1) / (a - 1) * (1 - Math.Pow(Alpha / (Alpha + t), R) * f);
    }

    /// <summary>P(alive | x, t_x, T): probability that the customer has not dropped out by T (eq. 13). Always 1 when x = 0.</summary>
    public double ProbabilityAlive(int frequency, double recency, double age)
    {
        PurchaseHistory.Validate(0, frequency, recency, age, 0);
        if (frequency == 0) return 1.0;
        var lnOdds = Math.Log(A) - Math.Log(B + frequency - 1) + (R + frequency) * (Math.Log(Alpha + age) - Math.Log(Alpha + recency));
        return 1.0 / (1.0 + Math.Exp(lnOdds));
    }

    /// <summary>
    /// E[Y(t) | x, t_x, T]: expected repeat purchases in the next <paramref name="t"/> units (T, T + t] of a customer
    /// with the given history (eq. 10).
    /// </summary>
    public double ConditionalExpectedPurchases(double t, int frequency, double recency, double age)
    {
        PurchaseHistory.Validate(0, frequency, recency, age, 0);
        RequireHorizon(t);
        return ExpectedPurchasesIfAlive(t, frequency, age) * ProbabilityAlive(frequency, recency, age);
    }

    /// <summary>The numerator of eq. 10: expected purchases in (T, T + t] given the customer is still alive at T.</summary>
    internal double ExpectedPurchasesIfAlive(double t, int frequency, double age)
    {
        if (t == 0) return 0;
        var a = AwayFromOne(A);
        var x = frequency;
        var z = t / (Alpha + age + t);
        var f = Hypergeometric.Gauss2F1(R + x, B + x, a + B + x - 1, z);
        return (a + B + x - 1) / (a - 1) * (1 - Math.Pow((Alpha + age) / (Alpha + age + t), R + x) * f);
    }

    /// <summary>P(alive) for every customer of a history, written into <paramref name="destination"/>.</summary>
    public void ProbabilityAlive(PurchaseHistory history, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (destination.Length < history.Count) throw new ArgumentException("destination is shorter than the history", nameof(destination));
        for (var i = 0; i < history.Count; i++) destination[i] = ProbabilityAlive(history.Frequency[i], history.Recency[i], history.Age[i]);
    }

    /// <summary>E[Y(t) | x, t_x, T] for every customer of a history, written into <paramref name="destination"/>.</summary>
    public void ConditionalExpectedPurchases(double t, PurchaseHistory history, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (destination.Length < history.Count) throw new ArgumentException("destination is shorter than the history", nameof(destination));
        for (var i = 0; i < history.Count; i++)
        {
            destination[i] = ConditionalExpectedPurchases(t, history.Frequency[i], history.Recency[i], history.Age[i]);
        }
    }

    // The expectations divide by a − 1; at a = 1 they have a finite limit, approached closely enough here.
    private static double AwayFromOne(double a) => Math.Abs(a - 1) < 1e-7 ? 1 + 1e-7 : a;

    private static void RequireHorizon(double t)
    {
        if (!double.IsFinite(t) || t < 0) throw new AnalyticsException($"forecast horizon t = {t} must be a finite, non-negative number");
    }

    internal static void RequirePositive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0) throw new AnalyticsException($"model parameter {name} = {value} must be a positive finite number");
    }

    internal static double LogSumExp(double u, double v)
    {
        var m = Math.Max(u, v);
        return m + Math.Log(Math.Exp(u - m) + Math.Exp(v - m));
    }
}

/// <summary>The BG/NBD log-likelihood and its gradient over log-parameters, arranged for speed.</summary>
/// <remarks>
/// x is whole, so Γ(r+x)/Γ(r), Γ(b+x)/Γ(b) and Γ(a+b)/Γ(a+b+x) are finite products of (r+k), (b+k), (a+b+k):
/// one pass over k = 0..max x per evaluation gives every customer's log-gamma terms and their derivatives
/// without a single log-gamma or digamma call.
/// </remarks>
internal sealed class BgNbdLikelihood
{
    private readonly int[] _x;
    private readonly double[] _tx;
    private readonly double[] _t;
    private readonly double[] _lnR, _dR, _lnB, _dB, _lnAb, _dAb;

    public BgNbdLikelihood(PurchaseHistory history)
    {
        _x = history.Frequency.ToArray();
        _tx = history.Recency.ToArray();
        _t = history.Age.ToArray();
        foreach (var x in _x) MaxFrequency = Math.Max(MaxFrequency, x);
        var size = MaxFrequency + 1;
        _lnR = new double[size]; _dR = new double[size];
        _lnB = new double[size]; _dB = new double[size];
        _lnAb = new double[size]; _dAb = new double[size];
    }

    public int MaxFrequency { get; }

    /// <summary>−(mean log-likelihood) at θ = (ln r, ln α, ln a, ln b) and its gradient in θ.</summary>
    public double NegativeMean(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double r = Math.Exp(theta[0]), alpha = Math.Exp(theta[1]), a = Math.Exp(theta[2]), b = Math.Exp(theta[3]);
        if (!double.IsFinite(r + alpha + a + b) || r == 0 || alpha == 0 || a == 0 || b == 0) return double.NaN;
        for (var k = 0; k < MaxFrequency; k++)
        {
            _lnR[k + 1] = _lnR[k] + Math.Log(r + k); _dR[k + 1] = _dR[k] + 1 / (r + k);
            _lnB[k + 1] = _lnB[k] + Math.Log(b + k); _dB[k + 1] = _dB[k] + 1 / (b + k);
            _lnAb[k + 1] = _lnAb[k] + Math.Log(a + b + k); _dAb[k + 1] = _dAb[k] + 1 / (a + b + k);
        }
        var lnAlpha = Math.Log(alpha);
        var lnA = Math.Log(a);
        double ll = 0, gr = 0, gAlpha = 0, ga = 0, gb = 0;
        for (var i = 0; i < _x.Length; i++)
        {
            var x = _x[i];
            var rx = r + x;
            var lnAlphaT = Math.Log(alpha + _t[i]);
            var stillAlive = -rx * lnAlphaT;
            var common = _lnR[x] + r * lnAlpha + _lnB[x] - _lnAb[x];
            gr += _dR[x] + lnAlpha;
            gAlpha += r / alpha;
            ga -= _dAb[x];
            gb += _dB[x] - _dAb[x];
            if (x == 0)
            {
                ll += common + stillAlive;
                gr -= lnAlphaT;
                gAlpha -= rx / (alpha + _t[i]);
                continue;
            }
            var lnAlphaTx = Math.Log(alpha + _tx[i]);
            var bx1 = b + x - 1;
            var dropped = lnA - Math.Log(bx1) - rx * lnAlphaTx;
            var m = Math.Max(stillAlive, dropped);
            var eAlive = Math.Exp(stillAlive - m);
            var eDropped = Math.Exp(dropped - m);
            var total = eAlive + eDropped;
            ll += common + m + Math.Log(total);
            var wAlive = eAlive / total;
            var wDropped = eDropped / total;
            gr -= wAlive * lnAlphaT + wDropped * lnAlphaTx;
            gAlpha -= rx * (wAlive / (alpha + _t[i]) + wDropped / (alpha + _tx[i]));
            ga += wDropped / a;
            gb -= wDropped / bx1;
        }
        var n = _x.Length;
        // Chain rule to log-parameters (d/dθ = p · d/dp), negated and averaged.
        gradient[0] = -gr * r / n;
        gradient[1] = -gAlpha * alpha / n;
        gradient[2] = -ga * a / n;
        gradient[3] = -gb * b / n;
        return -ll / n;
    }
}
