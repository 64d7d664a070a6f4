namespace Centric.Analytics.Segmentation;

/// <summary>The REAP figures of one value decile.</summary>
/// <param name="Decile">1 = most valuable tenth.</param>
/// <param name="Customers">Customers in the decile.</param>
/// <param name="Revenue">Their revenue in the period.</param>
/// <param name="RevenueShare">Their share of all customers' revenue (NaN when total revenue is 0).</param>
/// <param name="ExistingCustomers">Customers who were customers before the period (not new in it).</param>
/// <param name="RetainedCustomers">Existing customers active in the period.</param>
/// <param name="Retention">R: RetainedCustomers / ExistingCustomers (NaN when the decile has no existing customer).</param>
/// <param name="MeanProbabilityAlive">Mean P(alive) from the BG/NBD model (NaN when not supplied or the decile is empty).</param>
/// <param name="CostToServe">Total cost to serve (support cost, tickets…) of the decile.</param>
/// <param name="Efficiency">E: cost to serve per unit of revenue, CostToServe / Revenue (NaN when Revenue is 0; lower is better).</param>
/// <param name="NewCustomers">Customers whose first purchase fell in the period.</param>
/// <param name="Acquisition">A: NewCustomers / Customers (NaN for an empty decile).</param>
/// <param name="Penetration">P: mean over the decile's customers of (categories bought / categories in the catalog) (NaN for an empty decile).</param>
public readonly record struct ReapDecile(
    int Decile, int Customers, double Revenue, double RevenueShare,
    int ExistingCustomers, int RetainedCustomers, double Retention, double MeanProbabilityAlive,
    double CostToServe, double Efficiency, int NewCustomers, double Acquisition, double Penetration);

/// <summary>
/// The REAP scorecard (Retention, Efficiency, Acquisition, Penetration) per value decile, in one pass over
/// parallel per-customer arrays.
/// </summary>
/// <remarks>Figures that have no meaning for a decile (division by zero) are NaN, never 0, so a dashboard can show "—".</remarks>
public static class ReapScorecard
{
    /// <summary>Computes the ten deciles' figures.</summary>
    /// <param name="decile">Each customer's decile (1–10), e.g. from <see cref="ValueDeciles.Assign"/>.</param>
    /// <param name="revenue">Revenue in the period (finite, not negative).</param>
    /// <param name="activeInPeriod">Whether the customer bought (or was otherwise active) in the period.</param>
    /// <param name="newInPeriod">Whether the customer was acquired in the period.</param>
    /// <param name="costToServe">Cost to serve in the period (support cost or ticket count; finite, not negative).</param>
    /// <param name="categoriesBought">Distinct catalog categories (or products) the customer bought, 0…<paramref name="catalogCategories"/>.</param>
    /// <param name="catalogCategories">Categories (or products) in the catalog, at least 1.</param>
    /// <param name="probabilityAlive">Optional P(alive) per customer in [0, 1]; empty to skip.</param>
    /// <returns>Ten entries, decile 1 first.</returns>
    /// <exception cref="AnalyticsException">No customers, mismatched lengths, or an out-of-range value.</exception>
    public static ReapDecile[] Compute(
        ReadOnlySpan<byte> decile, ReadOnlySpan<double> revenue, ReadOnlySpan<bool> activeInPeriod, ReadOnlySpan<bool> newInPeriod,
        ReadOnlySpan<double> costToServe, ReadOnlySpan<int> categoriesBought, int catalogCategories,
        ReadOnlySpan<double> probabilityAlive = default)
    {
        var n = decile.Length;
        if (n == 0) throw new AnalyticsException("REAP scorecard: no customers");
        if (revenue.Length != n || activeInPeriod.Length != n || newInPeriod.Length != n || costToServe.Length != n
            || categoriesBought.Length != n || (!probabilityAlive.IsEmpty && probabilityAlive.Length != n))
        {
            throw new AnalyticsException("REAP scorecard: the per-customer columns differ in length");
        }
        if (catalogCategories < 1) throw new AnalyticsException($"REAP scorecard: catalog must have at least one category (got {catalogCategories})");

        const int d = ValueDeciles.Count;
        Span<int> customers = stackalloc int[d];
        Span<int> existing = stackalloc int[d];
        Span<int> retained = stackalloc int[d];
        Span<int> acquired = stackalloc int[d];
        Span<double> revenueSum = stackalloc double[d];
        Span<double> costSum = stackalloc double[d];
        Span<double> aliveSum = stackalloc double[d];
        Span<long> categorySum = stackalloc long[d];
        customers.Clear(); existing.Clear(); retained.Clear(); acquired.Clear();
        revenueSum.Clear(); costSum.Clear(); aliveSum.Clear(); categorySum.Clear();
        var hasAlive = !probabilityAlive.IsEmpty;

        for (var i = 0; i < n; i++)
        {
            var g = decile[i] - 1;
            if ((uint)g >= d) throw new AnalyticsException($"REAP scorecard: customer {i} has decile {decile[i]}; deciles are 1 to 10");
            var rev = revenue[i];
            var cost = costToServe[i];
            if (!double.IsFinite(rev) || rev < 0 || !double.IsFinite(cost) || cost < 0)
            {
                throw new AnalyticsException($"REAP scorecard: customer {i} has revenue {rev} and cost {cost}; both must be finite and not negative");
            }
            var categories = categoriesBought[i];
            if (categories < 0 || categories > catalogCategories)
            {
                throw new AnalyticsException($"REAP scorecard: customer {i} bought {categories} categories of a {catalogCategories}-category catalog");
            }
            customers[g]++;
            revenueSum[g] += rev;
            costSum[g] += cost;
            categorySum[g] += categories;
            if (newInPeriod[i])
            {
                acquired[g]++;
            }
            else
            {
                existing[g]++;
                if (activeInPeriod[i]) retained[g]++;
            }
            if (hasAlive)
            {
                var p = probabilityAlive[i];
                if (!(p >= 0 && p <= 1)) throw new AnalyticsException($"REAP scorecard: customer {i} has P(alive) {p}; it must lie in [0, 1]");
                aliveSum[g] += p;
            }
        }

        var totalRevenue = 0.0;
        foreach (var r in revenueSum) totalRevenue += r;
        var result = new ReapDecile[d];
        for (var g = 0; g < d; g++)
        {
            var c = customers[g];
            result[g] = new ReapDecile(
                Decile: g + 1,
                Customers: c,
                Revenue: revenueSum[g],
                RevenueShare: totalRevenue > 0 ? revenueSum[g] / totalRevenue : double.NaN,
                ExistingCustomers: existing[g],
                RetainedCustomers: retained[g],
                Retention: existing[g] > 0 ? (double)retained[g] / existing[g] : double.NaN,
                MeanProbabilityAlive: hasAlive && c > 0 ? aliveSum[g] / c : double.NaN,
                CostToServe: costSum[g],
                Efficiency: revenueSum[g] > 0 ? costSum[g] / revenueSum[g] : double.NaN,
                NewCustomers: acquired[g],
                Acquisition: c > 0 ? (double)acquired[g] / c : double.NaN,
                Penetration: c > 0 ? (double)categorySum[g] / c / catalogCategories : double.NaN);
        }
        return result;
    }
}
