namespace Centric.Analytics.Sentiment;

/// <summary>
/// L2-regularised logistic regression, min ½‖w‖² + C Σ log(1 + exp(-yᵢ w·xᵢ)), solved by
/// coordinate descent on the dual (Yu, Huang and Lin, "Dual coordinate descent methods for
/// logistic regression and maximum entropy models", Machine Learning 2011). Each dual variable
/// αᵢ ∈ (0, C) has a one-dimensional sub-problem solved by a guarded Newton method; no learning
/// rate to tune, and a fixed seed makes the result identical run to run.
/// </summary>
internal static class LogisticRegressionSolver
{
    /// <summary>Rows in compressed sparse form: row r spans [RowStart[r], RowStart[r+1]).</summary>
    internal sealed record SparseRows(int[] RowStart, int[] Index, float[] Value, int Dimension)
    {
        public int Count => RowStart.Length - 1;
    }

    public static double[] Train(SparseRows rows, ReadOnlySpan<sbyte> labels, double cost, int seed,
        double tolerance = 0.01, int maxEpochs = 300)
    {
        var n = rows.Count;
        var w = new double[rows.Dimension];
        var alpha = new double[n];      // αᵢ
        var rest = new double[n];       // C - αᵢ, kept separately so the side near C stays exact
        var squaredNorm = new double[n];
        var initial = Math.Min(0.001 * cost, 1e-8);
        for (var i = 0; i < n; i++)
        {
            alpha[i] = initial;
            rest[i] = cost - initial;
            double q = 0;
            for (var k = rows.RowStart[i]; k < rows.RowStart[i + 1]; k++)
            {
                var x = rows.Value[k];
                q += x * x;
                w[rows.Index[k]] += labels[i] * initial * x;
            }
            squaredNorm[i] = q;
        }

        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var random = new Random(seed);
        double firstLargestGradient = 0;
        for (var epoch = 0; epoch < maxEpochs; epoch++)
        {
            random.Shuffle(order);
            double largestGradient = 0;
            foreach (var i in order)
            {
                var start = rows.RowStart[i];
                var end = rows.RowStart[i + 1];
                double margin = 0;
                for (var k = start; k < end; k++) margin += w[rows.Index[k]] * rows.Value[k];
                margin *= labels[i];
                var q = squaredNorm[i];

                // g(z) = q(z - z₀) + s·margin + ln(z / (C - z)) is increasing; its sign at C/2 says
                // which half holds the root, and we solve for the variable that is small there.
                var solveAlpha = (q * ((cost / 2) - alpha[i])) + margin >= 0;
                var sign = solveAlpha ? 1.0 : -1.0;
                var z0 = solveAlpha ? alpha[i] : rest[i];
                var gradient = (sign * margin) + Math.Log(z0 / (cost - z0));
                largestGradient = Math.Max(largestGradient, Math.Abs(gradient));

                var z = cost - z0 < 0.5 * cost ? 0.1 * z0 : z0;
                for (var step = 0; step < 50; step++)
                {
                    var g = (q * (z - z0)) + (sign * margin) + Math.Log(z / (cost - z));
                    if (Math.Abs(g) < 1e-10) break;
                    var next = z - (g / (q + (cost / (z * (cost - z)))));
                    z = next <= 0 ? 0.1 * z : next >= cost ? 0.5 * (z + cost) : next;
                }
                var change = z - z0;
                if (change == 0) continue;
                if (solveAlpha)
                {
                    alpha[i] = z;
                    rest[i] = cost - z;
                }
                else
                {
                    rest[i] = z;
                    alpha[i] = cost - z;
                }
                var delta = sign * change * labels[i];
                for (var k = start; k < end; k++) w[rows.Index[k]] += delta * rows.Value[k];
            }
            if (epoch == 0) firstLargestGradient = largestGradient;
            else if (largestGradient <= tolerance * firstLargestGradient) break;
        }
        return w;
    }
}
