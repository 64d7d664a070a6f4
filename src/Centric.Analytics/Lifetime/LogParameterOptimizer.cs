namespace Centric.Analytics.Lifetime;

/// <summary>The outcome of a minimisation.</summary>
internal readonly record struct OptimizerResult(double[] Point, double Value, int Iterations, int Evaluations, bool Converged);

/// <summary>
/// BFGS with a backtracking (Armijo) line search, for the small smooth problems of the lifetime models
/// (3–4 parameters, optimised on their logarithms so positivity needs no constraint).
/// </summary>
/// <remarks>
/// Written here rather than taken from MathNet because the objective is cheap and analytic gradients are available:
/// a plain BFGS converges in a few dozen steps, and owning the loop lets a step that leaves the finite region
/// (an overflow at an absurd trial point) simply be shortened instead of failing the fit.
/// </remarks>
internal static class LogParameterOptimizer
{
    /// <summary>Objective: returns f(θ) and writes ∇f(θ) into the gradient span.</summary>
    public delegate double Objective(ReadOnlySpan<double> point, Span<double> gradient);

    public static OptimizerResult Minimize(Objective objective, double[] start, double gradientTolerance = 1e-9, int maxIterations = 500)
    {
        var n = start.Length;
        var x = (double[])start.Clone();
        var g = new double[n];
        var fx = objective(x, g);
        var evaluations = 1;
        if (!double.IsFinite(fx) || !AllFinite(g)) throw new AnalyticsException("the likelihood is not finite at the starting point");

        var h = new double[n, n];
        for (var i = 0; i < n; i++) h[i, i] = 1;
        var direction = new double[n];
        var trial = new double[n];
        var trialGradient = new double[n];
        var s = new double[n];
        var y = new double[n];
        var hy = new double[n];
        var firstStep = true;
        var unchanged = 0;

        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            if (MaxAbs(g) < gradientTolerance) return new(x, fx, iteration - 1, evaluations, true);

            for (var i = 0; i < n; i++)
            {
                var d = 0.0;
                for (var j = 0; j < n; j++) d -= h[i, j] * g[j];
                direction[i] = d;
            }
            var slope = Dot(direction, g);
            if (slope >= 0)
            {
                // The curvature estimate went bad: fall back to steepest descent.
                ResetToIdentity(h);
                for (var i = 0; i < n; i++) direction[i] = -g[i];
                slope = -Dot(g, g);
            }

            // Keep the first step (and any step) from jumping further than e^3 in a parameter.
            var step = Math.Min(1.0, 3.0 / Math.Max(MaxAbs(direction), 1e-300));
            double ft;
            while (true)
            {
                for (var i = 0; i < n; i++) trial[i] = x[i] + step * direction[i];
                ft = objective(trial, trialGradient);
                evaluations++;
                if (double.IsFinite(ft) && AllFinite(trialGradient) && ft <= fx + 1e-4 * step * slope) break;
                step *= 0.5;
                if (step < 1e-20) return new(x, fx, iteration, evaluations, MaxAbs(g) < gradientTolerance * 1e3);
            }

            for (var i = 0; i < n; i++)
            {
                s[i] = trial[i] - x[i];
                y[i] = trialGradient[i] - g[i];
            }
            var sy = Dot(s, y);
            var previous = fx;
            Array.Copy(trial, x, n);
            Array.Copy(trialGradient, g, n);
            fx = ft;

            if (sy > 1e-12 * Math.Sqrt(Dot(s, s) * Dot(y, y)))
            {
                if (firstStep)
                {
                    // Scale the initial inverse Hessian to the observed curvature (Nocedal & Wright 6.20).
                    var scale = sy / Dot(y, y);
                    for (var i = 0; i < n; i++) h[i, i] = scale;
                    firstStep = false;
                }
                // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
                var rho = 1.0 / sy;
                for (var i = 0; i < n; i++)
                {
                    var v = 0.0;
                    for (var j = 0; j < n; j++) v += h[i, j] * y[j];
                    hy[i] = v;
                }
                var yhy = Dot(y, hy);
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        h[i, j] += -rho * (s[i] * hy[j] + hy[i] * s[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
                    }
                }
            }

            var flat = Math.Abs(previous - fx) <= 1e-15 * Math.Max(1, Math.Abs(fx));
            if (flat && MaxAbs(g) < gradientTolerance * 1e3)
            {
                return new(x, fx, iteration, evaluations, true);
            }
            // The objective has stopped changing in double precision: further steps only repeat this one (the caller decides
            // whether the point is good enough, e.g. a maximum at the end of a ridge).
            unchanged = flat ? unchanged + 1 : 0;
            if (unchanged >= 5) return new(x, fx, iteration, evaluations, false);
        }
        return new(x, fx, maxIterations, evaluations, MaxAbs(g) < gradientTolerance * 1e3);
    }

    private static void ResetToIdentity(double[,] h)
    {
        var n = h.GetLength(0);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) h[i, j] = i == j ? 1 : 0;
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double MaxAbs(double[] a)
    {
        var max = 0.0;
        foreach (var v in a) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    private static bool AllFinite(double[] a)
    {
        foreach (var v in a)
        {
            if (!double.IsFinite(v)) return false;
        }
        return true;
    }
}
