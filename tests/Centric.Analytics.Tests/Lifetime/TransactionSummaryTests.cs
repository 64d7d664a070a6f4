using Centric.Analytics.Lifetime;

namespace Centric.Analytics.Tests.Lifetime;

public class TransactionSummaryTests
{
    private static readonly DateOnly End = new(2024, 1, 31);

    private static (string[] Customers, DateOnly[] Dates, double[] Amounts) Tiny() => (
        ["ann", "ann", "bob", "ann", "ann", "ann", "cat"],
        [new(2024, 1, 1), new(2024, 1, 1), new(2024, 1, 10), new(2024, 1, 15), new(2024, 1, 8), new(2024, 2, 1), new(2024, 2, 3)],
        [10, 5, 12, 30, 20, 99, 40]);

    [Fact]
    public void Summary_counts_repeat_purchase_days_within_the_period()
    {
        var (customers, dates, amounts) = Tiny();
        var summary = TransactionSummary.Summarize<string>(customers, dates, amounts, End, PurchaseTimeUnit.Days);
        // cat's first purchase is after the end, so cat is left out.
        Assert.Equal(["ann", "bob"], summary.Customers);
        var h = summary.History;
        // ann: first day 1 Jan (10 + 5, one purchase), repeats on 8 and 15 Jan; the 1 Feb purchase is after the end.
        Assert.Equal(2, h.Frequency[0]);
        Assert.Equal(14, h.Recency[0]);
        Assert.Equal(30, h.Age[0]);
        Assert.Equal(25, h.MeanRepeatValue[0]);
        // bob: one purchase on 10 Jan.
        Assert.Equal(0, h.Frequency[1]);
        Assert.Equal(0, h.Recency[1]);
        Assert.Equal(21, h.Age[1]);
        Assert.Equal(0, h.MeanRepeatValue[1]);
    }

    [Fact]
    public void Same_day_purchases_are_one_purchase_with_their_total_value()
    {
        var summary = TransactionSummary.Summarize<int>(
            [1, 1, 1, 1], [new(2024, 1, 1), new(2024, 1, 5), new(2024, 1, 5), new(2024, 1, 9)], [7, 10, 20, 6], End, PurchaseTimeUnit.Days);
        Assert.Equal(2, summary.History.Frequency[0]);
        Assert.Equal((30 + 6) / 2.0, summary.History.MeanRepeatValue[0]);
    }

    [Fact]
    public void Weeks_are_fractional_days_over_seven()
    {
        var (customers, dates, amounts) = Tiny();
        var h = TransactionSummary.Summarize<string>(customers, dates, amounts, End, PurchaseTimeUnit.Weeks).History;
        Assert.Equal(PurchaseTimeUnit.Weeks, h.TimeUnit);
        Assert.Equal(2.0, h.Recency[0], 12);
        Assert.Equal(30 / 7.0, h.Age[0], 12);
        Assert.Equal(3.0, h.Age[1], 12);
    }

    [Fact]
    public void Bad_transactions_are_refused_clearly()
    {
        DateOnly[] twoDates = [new(2024, 1, 1), new(2024, 1, 2)];
        Assert.Throws<AnalyticsException>(() => TransactionSummary.Summarize<int>([], [], [], End, PurchaseTimeUnit.Days));
        Assert.Throws<AnalyticsException>(() => TransactionSummary.Summarize<int>([1, 1], twoDates, [5, double.NaN], End, PurchaseTimeUnit.Days));
        Assert.Throws<AnalyticsException>(() => TransactionSummary.Summarize<int>([1, 1], twoDates, [5, -2], End, PurchaseTimeUnit.Days));
        Assert.Throws<AnalyticsException>(() => TransactionSummary.Summarize<int>([1, 1], twoDates, [5], End, PurchaseTimeUnit.Days));
        Assert.Throws<AnalyticsException>(() => TransactionSummary.Summarize<int>([1, 1], twoDates, [5, 6], new DateOnly(2023, 12, 1), PurchaseTimeUnit.Days));
    }
}
