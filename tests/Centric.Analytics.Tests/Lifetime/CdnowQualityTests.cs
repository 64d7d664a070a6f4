using Centric.Analytics.Lifetime;

namespace Centric.Analytics.Tests.Lifetime;

/// <summary>The published CDNOW results (Fader, Hardie &amp; Lee 2005; Fader &amp; Hardie 2013) on the real files.</summary>
public class CdnowQualityTests
{
    [Fact]
    public void Fit_on_the_CDNOW_summary_matches_the_published_parameters_within_one_percent()
    {
        var history = CdnowData.SummaryHistory();
        // Fit time is measured by `bench clv` (docs/BENCHMARKS.md), never by a wall clock here.
        var model = LifetimeValueModel.Train(history);

        var bg = model.Purchases;
        var gg = model.Spend;
        Assert.InRange(bg.R / 0.243, 0.99, 1.01);
        Assert.InRange(bg.Alpha / 4.414, 0.99, 1.01);
        Assert.InRange(bg.A / 0.793, 0.99, 1.01);
        Assert.InRange(bg.B / 2.426, 0.99, 1.01);
        Assert.InRange(gg.P / 6.25, 0.99, 1.01);
        Assert.InRange(gg.Q / 3.74, 0.99, 1.01);
        Assert.InRange(gg.Gamma / 15.44, 0.99, 1.01);
        // The paper's maximised log-likelihood.
        Assert.InRange(bg.LogLikelihood, -9582.5, -9582.3);
        Assert.Equal(946, gg.FittedCustomers);
    }

    [Fact]
    public void Log_likelihood_at_the_published_parameters_is_the_published_maximum()
    {
        var published = new BgNbdModel(0.243, 4.414, 0.793, 2.426);
        Assert.InRange(published.TotalLogLikelihood(CdnowData.SummaryHistory()), -9582.6, -9582.3);
    }

    [Fact]
    public void Summary_computed_from_the_CDNOW_transactions_equals_the_shipped_summary_row_by_row()
    {
        var published = CdnowData.ReadSummary();
        var (customers, dates, amounts) = CdnowData.ReadTransactions();
        var summary = TransactionSummary.Summarize<int>(customers, dates, amounts, CdnowData.CalibrationEnd, PurchaseTimeUnit.Weeks);
        Assert.Equal(published.Count, summary.Customers.Count);
        Assert.Equal(2357, published.Count);
        var h = summary.History;
        for (var i = 0; i < published.Count; i++)
        {
            var row = published[i];
            Assert.Equal(row.Id, summary.Customers[i]);
            Assert.Equal(row.X, h.Frequency[i]);
            Assert.Equal(row.Tx, TwoDecimals(h.Recency[i]));
            Assert.Equal(row.T, TwoDecimals(h.Age[i]));
            Assert.Equal(row.MeanValue, TwoDecimals(h.MeanRepeatValue[i]));
        }
    }

    [Fact]
    public void Fitting_in_days_instead_of_weeks_gives_the_same_customers_the_same_model()
    {
        var (customers, dates, amounts) = CdnowData.ReadTransactions();
        var weeks = BgNbdModel.Fit(TransactionSummary.Summarize<int>(customers, dates, amounts, CdnowData.CalibrationEnd, PurchaseTimeUnit.Weeks).History);
        var days = BgNbdModel.Fit(TransactionSummary.Summarize<int>(customers, dates, amounts, CdnowData.CalibrationEnd, PurchaseTimeUnit.Days).History);
        Assert.Equal(weeks.R, days.R, 4);
        Assert.Equal(weeks.Alpha * 7, days.Alpha, 2);
        Assert.Equal(weeks.A, days.A, 4);
        Assert.Equal(weeks.B, days.B, 4);
        Assert.Equal(weeks.ProbabilityAlive(2, 30.43, 38.86), days.ProbabilityAlive(2, 30.43 * 7, 38.86 * 7), 6);
    }

    private static decimal TwoDecimals(double value) => Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero);
}
