using System.Diagnostics;
using System.Text.Json;
using Centric.Analytics.Lifetime;
using Centric.Analytics.Segmentation;
using Centric.Bench.Clv;

namespace Centric.Bench.Commands;

/// <summary>
/// clv [--summary FILE] [--transactions FILE] (each plain or gzip, told apart by gzip's magic bytes) [--runs N] [--segmentation CUSTOMERS]:
/// fits BG/NBD + Gamma-Gamma on the CDNOW summary and compares with the published parameters, checks the summary
/// computed from the raw transactions row by row, and optionally times RFM + deciles + REAP on synthetic customers.
/// </summary>
public static class ClvCommand
{
    // Fader, Hardie & Lee (2005) and Fader & Hardie (2013), on the CDNOW 39-week calibration summary.
    private static readonly (string Name, double Value)[] Published =
        [("r", 0.243), ("alpha", 4.414), ("a", 0.793), ("b", 2.426), ("p", 6.25), ("q", 3.74), ("gamma", 15.44)];

    public static int Run(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cdnow = Path.Combine(BenchOptions.DataRoot(), "cdnow");
        var summaryPath = options.Get("summary") ?? Path.Combine(cdnow, "cdnow_customers_summary.csv.gz");
        var transactionsPath = options.Get("transactions") ?? Path.Combine(cdnow, "CDNOW_sample.txt.gz");
        var runs = options.GetInt("runs", 21);

        FitSummary(summaryPath, runs);
        CheckSummary(transactionsPath, Path.Combine(cdnow, "cdnow_customers_summary.csv.gz"), runs);
        if (options.Has("segmentation"))
        {
            Segment(options.GetInt("segmentation", 1_000_000), Math.Max(3, runs / 4));
        }
        return 0;
    }

    private static void FitSummary(string path, int runs)
    {
        var history = CdnowFiles.ToHistory(CdnowFiles.ReadSummary(path));
        var first = Stopwatch.StartNew();
        var model = LifetimeValueModel.Train(history);
        var coldMs = first.Elapsed.TotalMilliseconds;
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            model = LifetimeValueModel.Train(history);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        var bg = model.Purchases;
        var gg = model.Spend;
        double[] fitted = [bg.R, bg.Alpha, bg.A, bg.B, gg.P, gg.Q, gg.Gamma];
        var maxRelativeError = 0.0;
        for (var i = 0; i < fitted.Length; i++)
        {
            maxRelativeError = Math.Max(maxRelativeError, Math.Abs(fitted[i] / Published[i].Value - 1));
        }

        // Time to score one customer (P(alive), expected purchases, spend and 12-month CLV).
        var horizon = new LifetimeValueHorizon(Months: 12, MonthlyDiscountRate: 0.01);
        var scoreWatch = Stopwatch.StartNew();
        var scored = 0;
        var clvTotal = 0.0;
        for (var pass = 0; pass < 5; pass++)
        {
            for (var i = 0; i < history.Count; i++, scored++)
            {
                clvTotal += model.Score(history.Frequency[i], history.Recency[i], history.Age[i], history.MeanRepeatValue[i], horizon).LifetimeValue;
            }
        }
        var scoreUs = scoreWatch.Elapsed.TotalMicroseconds / scored;

        Print(new Dictionary<string, object>
        {
            ["model"] = "bgnbd_gamma_gamma",
            ["default"] = true, // the one (default) CLV model; "data" says which summary it was fitted on
            ["data"] = Path.GetFileName(path),
            ["customers"] = history.Count,
            ["r"] = Round(bg.R, 4),
            ["alpha"] = Round(bg.Alpha, 4),
            ["a"] = Round(bg.A, 4),
            ["b"] = Round(bg.B, 4),
            ["p"] = Round(gg.P, 4),
            ["q"] = Round(gg.Q, 4),
            ["gamma"] = Round(gg.Gamma, 4),
            ["loglik_bgnbd"] = Round(bg.LogLikelihood, 2),
            ["loglik_gamma_gamma"] = Round(gg.LogLikelihood, 2),
            ["gamma_gamma_customers"] = gg.FittedCustomers,
            ["iterations"] = new[] { bg.Iterations, gg.Iterations },
            ["max_rel_error_vs_paper"] = Round(maxRelativeError, 5),
            ["fit_ms"] = Round(Median(times), 3),
            ["fit_ms_cold"] = Round(coldMs, 1),
            ["fit_runs"] = runs,
            ["score_us_per_customer"] = Round(scoreUs, 2),
            ["clv_12m_mean"] = Round(clvTotal / scored, 3),
        });
    }

    private static void CheckSummary(string transactionsPath, string publishedPath, int runs)
    {
        var published = CdnowFiles.ReadSummary(publishedPath);
        var (customers, dates, amounts) = CdnowFiles.ReadTransactions(transactionsPath);
        var summary = TransactionSummary.Summarize<int>(customers, dates, amounts, CdnowFiles.CalibrationEnd, PurchaseTimeUnit.Weeks);
        var times = new double[Math.Max(3, runs / 4)];
        for (var i = 0; i < times.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            TransactionSummary.Summarize<int>(customers, dates, amounts, CdnowFiles.CalibrationEnd, PurchaseTimeUnit.Weeks);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        var rowOf = new Dictionary<int, int>();
        for (var i = 0; i < summary.Customers.Count; i++) rowOf[summary.Customers[i]] = i;
        var h = summary.History;
        var matched = 0;
        var mismatches = new List<int>();
        foreach (var row in published)
        {
            var same = rowOf.TryGetValue(row.Id, out var i)
                && h.Frequency[i] == row.X
                && CdnowFiles.SameAtTwoDecimals(h.Recency[i], row.Tx)
                && CdnowFiles.SameAtTwoDecimals(h.Age[i], row.T)
                && CdnowFiles.SameAtTwoDecimals(h.MeanRepeatValue[i], row.MeanValue);
            if (same) matched++;
            else if (mismatches.Count < 10) mismatches.Add(row.Id);
        }
        Print(new Dictionary<string, object>
        {
            ["check"] = "summary_from_transactions",
            ["data"] = Path.GetFileName(transactionsPath),
            ["transactions"] = customers.Length,
            ["rows_matched"] = matched,
            ["rows_total"] = published.Count,
            ["rows_computed"] = summary.Customers.Count,
            ["first_mismatched_ids"] = mismatches,
            ["summarize_ms"] = Round(Median(times), 3),
        });
    }

    private static void Segment(int count, int runs)
    {
        var data = new SyntheticCustomers(count);
        var r = new byte[count];
        var f = new byte[count];
        var m = new byte[count];
        var decile = new byte[count];
        var rfm = new double[runs];
        var deciles = new double[runs];
        var reap = new double[runs];
        ReapDecile[] card = [];
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            RfmScores.Score(data.DaysSinceLastPurchase, data.Purchases, data.Revenue, r, f, m);
            rfm[run] = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            ValueDeciles.Assign(data.Revenue, decile);
            deciles[run] = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            card = ReapScorecard.Compute(decile, data.Revenue, data.Active, data.New, data.CostToServe, data.Categories,
                SyntheticCustomers.CatalogCategories, data.ProbabilityAlive);
            reap[run] = watch.Elapsed.TotalMilliseconds;
        }
        var totals = new double[runs];
        for (var i = 0; i < runs; i++) totals[i] = rfm[i] + deciles[i] + reap[i];
        Print(new Dictionary<string, object>
        {
            ["model"] = "rfm_deciles_reap",
            ["customers"] = count,
            ["rfm_ms"] = Round(Median(rfm), 1),
            ["deciles_ms"] = Round(Median(deciles), 1),
            ["reap_ms"] = Round(Median(reap), 1),
            ["total_ms"] = Round(Median(totals), 1),
            ["runs"] = runs,
            ["decile1_customers"] = card[0].Customers,
            ["decile1_revenue_share"] = Round(card[0].RevenueShare, 4),
            ["decile10_revenue_share"] = Round(card[9].RevenueShare, 4),
        });
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double Round(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits) : double.NaN;

    private static void Print(Dictionary<string, object> line) => Console.WriteLine(JsonSerializer.Serialize(line));
}
