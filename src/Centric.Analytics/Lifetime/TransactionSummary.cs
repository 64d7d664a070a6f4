namespace Centric.Analytics.Lifetime;

/// <summary>The per-customer purchase summary built from raw transactions, with the customer of each row.</summary>
/// <typeparam name="TCustomer">The customer key type (a profile id, an external id...).</typeparam>
/// <param name="Customers">The customer of each row of <paramref name="History"/>, in order of first appearance in the transactions.</param>
/// <param name="History">Repeat purchases, recency, age and mean repeat value per customer.</param>
public sealed record SummarizedPurchases<TCustomer>(IReadOnlyList<TCustomer> Customers, PurchaseHistory History);

/// <summary>Turns raw transactions (customer, date, amount) into the (x, t_x, T, mean repeat value) summary.</summary>
/// <remarks>
/// Conventions (those of the BG/NBD literature and of the lifetimes library's daily summary, which reproduce
/// the published CDNOW summary exactly):
/// <list type="bullet">
/// <item>Purchases are counted per calendar day: several transactions of a customer on one day are one purchase
/// whose value is their sum (so the first day's purchases are all "first purchase", never a repeat).</item>
/// <item>Transactions after <c>observationEnd</c> are ignored; a customer whose first purchase is after it is left out.</item>
/// <item>x = number of purchase days after the first; t_x = days from the first to the last purchase day; T = days from the
/// first purchase day to <c>observationEnd</c> (inclusive end date); both divided by the unit's length in days (weeks are fractional).</item>
/// <item>Mean repeat value = mean of the repeat purchase days' values, 0 when x = 0 (the first purchase is excluded, as the
/// Gamma-Gamma model expects).</item>
/// </list>
/// Convert timestamps to the business's local dates before calling, since the day boundary decides what is one purchase.
/// </remarks>
public static class TransactionSummary
{
    /// <summary>Summarises transactions given as parallel arrays.</summary>
    /// <param name="customers">The customer of each transaction.</param>
    /// <param name="dates">The date of each transaction.</param>
    /// <param name="amounts">The value of each transaction (finite, not negative: net refunds off beforehand).</param>
    /// <param name="observationEnd">The last day of the observation (calibration) period, inclusive.</param>
    /// <param name="timeUnit">The unit for t_x and T.</param>
    /// <exception cref="AnalyticsException">No transactions, mismatched lengths, NaN/negative amounts, or no transaction on or before the end.</exception>
    public static SummarizedPurchases<TCustomer> Summarize<TCustomer>(
        ReadOnlySpan<TCustomer> customers, ReadOnlySpan<DateOnly> dates, ReadOnlySpan<double> amounts,
        DateOnly observationEnd, PurchaseTimeUnit timeUnit)
        where TCustomer : notnull
    {
        if (customers.Length == 0) throw new AnalyticsException("no transactions to summarise");
        if (dates.Length != customers.Length || amounts.Length != customers.Length)
        {
            throw new AnalyticsException($"transaction columns differ in length: customers {customers.Length}, dates {dates.Length}, amounts {amounts.Length}");
        }
        var unitDays = timeUnit.Days();
        var endDay = observationEnd.DayNumber;

        // Dense customer numbers in order of first appearance, then one sort on (customer, day) packed into a long.
        var index = new Dictionary<TCustomer, int>();
        var keys = new long[customers.Length];
        var values = new double[customers.Length];
        var kept = 0;
        for (var i = 0; i < customers.Length; i++)
        {
            var amount = amounts[i];
            if (!double.IsFinite(amount) || amount < 0)
            {
                throw new AnalyticsException($"transaction {i}: amount {amount} must be a finite, non-negative number");
            }
            if (!index.TryGetValue(customers[i], out var customer))
            {
                customer = index.Count;
                index.Add(customers[i], customer);
            }
            var day = dates[i].DayNumber;
            if (day > endDay) continue;
            keys[kept] = ((long)customer << 32) | (uint)day;
            values[kept] = amount;
            kept++;
        }
        if (kept == 0) throw new AnalyticsException($"no transaction on or before the observation end {observationEnd:yyyy-MM-dd}");
        Array.Sort(keys, values, 0, kept);

        var byNumber = new TCustomer[index.Count];
        foreach (var (key, number) in index) byNumber[number] = key;

        var rows = new List<TCustomer>();
        var frequency = new List<int>();
        var recency = new List<double>();
        var age = new List<double>();
        var meanValue = new List<double>();
        var start = 0;
        while (start < kept)
        {
            var customer = (int)(keys[start] >> 32);
            var end = start;
            while (end < kept && (int)(keys[end] >> 32) == customer) end++;

            var firstDay = (int)(uint)keys[start];
            var lastDay = firstDay;
            var repeats = 0;
            var repeatValue = 0.0;
            for (var j = start; j < end; j++)
            {
                var day = (int)(uint)keys[j];
                if (day == firstDay) continue;
                if (day != lastDay) { repeats++; lastDay = day; }
                repeatValue += values[j];
            }
            rows.Add(byNumber[customer]);
            frequency.Add(repeats);
            recency.Add((lastDay - firstDay) / unitDays);
            age.Add((endDay - firstDay) / unitDays);
            meanValue.Add(repeats == 0 ? 0 : repeatValue / repeats);
            start = end;
        }
        var history = new PurchaseHistory([.. frequency], [.. recency], [.. age], [.. meanValue], timeUnit);
        return new SummarizedPurchases<TCustomer>(rows, history);
    }
}
