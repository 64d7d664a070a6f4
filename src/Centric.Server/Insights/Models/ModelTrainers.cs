using Centric.Analytics;
using Centric.Analytics.Churn;
using Centric.Analytics.Lifetime;
using Centric.Analytics.Recommendations;
using Centric.Analytics.Sentiment;
using Centric.Analytics.Tabular;

namespace Centric.Server.Insights.Models;

/// <summary>Quality on the held-out slice; the kind decides which figures are filled.</summary>
internal sealed record ModelQuality(double? RocAuc = null, double? LogLoss = null, double? NdcgAt10 = null, double? LogLikelihood = null, double? Accuracy = null)
{
    /// <summary>The one figure versions are compared by, higher is better: ROC AUC (log loss when the hold-out has one class), nDCG@10, log-likelihood, accuracy.</summary>
    public double Score => RocAuc ?? -LogLoss ?? NdcgAt10 ?? LogLikelihood ?? Accuracy ?? double.NegativeInfinity;

    public string Describe() => string.Join(", ", new[]
    {
        RocAuc is { } a ? $"ROC AUC {a:0.000}" : null, LogLoss is { } l ? $"log loss {l:0.000}" : null,
        NdcgAt10 is { } n ? $"nDCG@10 {n:0.000}" : null, LogLikelihood is { } ll ? $"log-likelihood {ll:0.000}" : null,
        Accuracy is { } acc ? $"accuracy {acc:0.000}" : null,
    }.Where(s => s is not null));
}

/// <summary>
/// A model just fitted: its parameters, what it learnt from, its quality on the hold-out, and how to measure another
/// version (the active one) on the very same hold-out.
/// </summary>
internal sealed record TrainedModel(byte[] Payload, int Rows, int HoldoutRows, ModelQuality Quality, Func<byte[], ModelQuality> Measure);

/// <summary>Nothing to learn from (too few rows, one class only): the run is skipped with this reason, nothing is kept.</summary>
internal sealed class NotEnoughDataException(string message) : Exception(message);

/// <summary>The four trainers. Each splits off a hold-out slice deterministically (by customer), fits on the rest and measures.</summary>
internal static class ModelTrainers
{
    /// <summary>A stable split by customer: the same customer is always on the same side, whichever node trains.</summary>
    public static bool InHoldout(Guid profileId, double fraction)
    {
        Span<byte> bytes = stackalloc byte[16];
        profileId.TryWriteBytes(bytes);
        var h = 2166136261u;
        foreach (var b in bytes) h = (h ^ b) * 16777619u;
        return h % 10_000 < fraction * 10_000;
    }

    public static TrainedModel Churn(IReadOnlyList<CustomerHistory> all, DateTime now, InsightsOptions options, ChurnRule rule)
    {
        var cutOff = now.AddDays(-rule.HorizonDays);
        var customers = all.Where(h => h.Orders.Any(o => o.At < cutOff)).ToList();
        var train = customers.Where(h => !InHoldout(h.ProfileId, options.HoldoutFraction)).ToList();
        var holdout = customers.Where(h => InHoldout(h.ProfileId, options.HoldoutFraction)).ToList();
        var trainLabels = train.Select(h => rule.Churned(h, cutOff)).ToArray();
        if (train.Count < options.MinTrainingRows)
            throw new NotEnoughDataException($"{train.Count} customers had ordered before the cut-off of {cutOff:yyyy-MM-dd}; at least {options.MinTrainingRows} are needed.");
        if (trainLabels.All(c => c) || trainLabels.All(c => !c))
            throw new NotEnoughDataException($"Every one of the {train.Count} customers {(trainLabels[0] ? "churned" : "stayed")} after the cut-off; the model needs both.");
        if (holdout.Count == 0) throw new NotEnoughDataException("No customer fell in the hold-out slice.");
        var boosting = new GradientBoostingOptions
        {
            // Small shops have few customers: smaller leaves, and no early-stopping slice below a few hundred rows.
            MinRowsPerLeaf = Math.Clamp(train.Count / 10, 2, 20),
            ValidationFraction = train.Count >= 300 ? 0.1 : 0,
            Calibrate = train.Count >= 300,
            MaxIterations = train.Count >= 300 ? 1000 : 200,
        };
        var model = GradientBoostedChurnModel.Train(ChurnFeatures.Table(train, cutOff), trainLabels, boosting);
        var holdoutTable = ChurnFeatures.Table(holdout, cutOff);
        var holdoutLabels = holdout.Select(h => rule.Churned(h, cutOff)).ToArray();
        ModelQuality Measure(ChurnModel m)
        {
            var p = m.PredictProbabilities(holdoutTable);
            var bothClasses = holdoutLabels.Any(c => c) && holdoutLabels.Any(c => !c);
            return new ModelQuality(RocAuc: bothClasses ? ClassificationMetrics.RocAuc(p, holdoutLabels) : null, LogLoss: ClassificationMetrics.LogLoss(p, holdoutLabels));
        }
        return new TrainedModel(Save(model.Save), train.Count, holdout.Count, Measure(model), payload => Measure(ChurnModel.Load(new MemoryStream(payload))));
    }

    /// <summary>The purchase histories of customers with orders, in weeks, observed up to <paramref name="now"/>.</summary>
    public static (List<Guid> Customers, PurchaseHistory History)? Purchases(IReadOnlyList<CustomerHistory> customers, DateTime now)
    {
        var ids = new List<Guid>();
        var dates = new List<DateOnly>();
        var amounts = new List<double>();
        foreach (var h in customers)
            foreach (var o in h.Orders.Where(o => o.At <= now))
            {
                ids.Add(h.ProfileId);
                dates.Add(DateOnly.FromDateTime(o.At));
                amounts.Add(Math.Max(0, o.Total));
            }
        if (ids.Count == 0) return null;
        var summary = TransactionSummary.Summarize<Guid>(ids.ToArray(), dates.ToArray(), amounts.ToArray(), DateOnly.FromDateTime(now), PurchaseTimeUnit.Weeks);
        return ([.. summary.Customers], summary.History);
    }

    public static TrainedModel Clv(IReadOnlyList<CustomerHistory> all, DateTime now, InsightsOptions options)
    {
        var train = all.Where(h => h.Orders.Count > 0 && !InHoldout(h.ProfileId, options.HoldoutFraction)).ToList();
        var holdout = all.Where(h => h.Orders.Count > 0 && InHoldout(h.ProfileId, options.HoldoutFraction)).ToList();
        if (train.Count < options.MinTrainingRows)
            throw new NotEnoughDataException($"{train.Count} customers have ordered; at least {options.MinTrainingRows} are needed.");
        if (!train.Any(h => h.Orders.Select(o => o.At.Date).Distinct().Count() > 1))
            throw new NotEnoughDataException("No customer has ordered on two different days yet; repeat purchases are what the model learns from.");
        if (holdout.Count == 0) throw new NotEnoughDataException("No customer fell in the hold-out slice.");
        var (_, trainHistory) = Purchases(train, now)!.Value;
        var (_, holdoutHistory) = Purchases(holdout, now)!.Value;
        LifetimeValueModel model;
        try { model = LifetimeValueModel.Train(trainHistory); }
        catch (AnalyticsException e) { throw new NotEnoughDataException("The lifetime value model could not be fitted: " + e.Message); }
        ModelQuality Measure(LifetimeValueModel m)
        {
            double total = 0;
            for (var i = 0; i < holdoutHistory.Count; i++)
            {
                var f = holdoutHistory.Frequency[i];
                total += m.Purchases.CustomerLogLikelihood(f, holdoutHistory.Recency[i], holdoutHistory.Age[i]);
                if (f > 0 && holdoutHistory.MeanRepeatValue[i] > 0) total += m.Spend.CustomerLogLikelihood(f, holdoutHistory.MeanRepeatValue[i]);
            }
            return new ModelQuality(LogLikelihood: total / holdoutHistory.Count);
        }
        return new TrainedModel(Save(model.Save), trainHistory.Count, holdoutHistory.Count, Measure(model),
            payload => Measure(LifetimeValueModel.Load(new MemoryStream(payload))));
    }

    public static TrainedModel Recommendations(IReadOnlyList<CustomerHistory> all, InsightsOptions options)
    {
        var rows = new List<Interaction>();
        foreach (var h in all)
        {
            var user = h.ProfileId.ToString("N");
            foreach (var o in h.Orders) foreach (var p in o.Products) rows.Add(new Interaction(user, p.ToString("N"), InteractionKind.Purchase, o.At));
            foreach (var (at, p, cart) in h.Browsing) rows.Add(new Interaction(user, p.ToString("N"), cart ? InteractionKind.CartAdd : InteractionKind.View, at));
        }
        if (rows.Select(r => r.UserId).Distinct().Count() < options.MinTrainingRows)
            throw new NotEnoughDataException($"{rows.Select(r => r.UserId).Distinct().Count()} customers have bought, viewed or carted a product; at least {options.MinTrainingRows} are needed.");
        var (train, test) = InteractionSplit.ByUser(rows, r => r.UserId, 1 - options.HoldoutFraction, seed: 17);
        if (test.Count == 0) throw new NotEnoughDataException("No customer has touched two products yet, so nothing can be held out.");
        var model = RecommenderTrainer.Train(train);
        var seen = train.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.ItemId).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var relevant = test.GroupBy(r => r.UserId)
            .Select(g => (User: g.Key, Items: g.Select(r => r.ItemId).Where(i => !seen.GetValueOrDefault(g.Key)?.Contains(i) ?? true).ToHashSet(StringComparer.Ordinal)))
            .Where(u => u.Items.Count > 0).ToList();
        if (relevant.Count == 0) throw new NotEnoughDataException("Every held-out product was one the customer had touched already; nothing to measure on.");
        ModelQuality Measure(RecommendationModel m)
        {
            var sum = 0.0;
            foreach (var (user, items) in relevant)
            {
                var own = seen.GetValueOrDefault(user);
                var recommended = m.RecommendForUser(user, 10, item => own is null || !own.Contains(item)).Select(s => s.ItemId).ToList();
                sum += RankingMetrics.NdcgAtK(recommended, items, 10);
            }
            return new ModelQuality(NdcgAt10: sum / relevant.Count);
        }
        return new TrainedModel(Save(model.Save), train.Count, test.Count, Measure(model), payload => Measure(RecommendationModel.Load(new MemoryStream(payload))));
    }

    /// <summary>Texts with a label: review stars and CSAT ratings (4–5 positive, 1–2 negative; 3 says nothing).</summary>
    public static TrainedModel Sentiment(IReadOnlyList<(Guid ProfileId, string Text, int Rating)> rated, InsightsOptions options)
    {
        var labelled = rated.Where(r => r.Rating != 3 && !string.IsNullOrWhiteSpace(r.Text)).ToList();
        var train = labelled.Where(r => !InHoldout(StableId(r.Text), options.HoldoutFraction)).ToList();
        var holdout = labelled.Where(r => InHoldout(StableId(r.Text), options.HoldoutFraction)).ToList();
        if (train.Count < options.MinTrainingRows)
            throw new NotEnoughDataException($"{train.Count} rated texts (reviews and CSAT comments); at least {options.MinTrainingRows} are needed. The lexicon scores texts meanwhile.");
        if (train.All(r => r.Rating > 3) || train.All(r => r.Rating < 3))
            throw new NotEnoughDataException("The rated texts are all positive or all negative; the model needs both.");
        if (holdout.Count == 0) throw new NotEnoughDataException("No rated text fell in the hold-out slice.");
        var model = SentimentModel.Train([.. train.Select(r => r.Text)], [.. train.Select(r => r.Rating > 3)]);
        ModelQuality Measure(ISentimentScorer m) =>
            new(Accuracy: holdout.Count(r => m.Score(r.Text).Score > 0 == r.Rating > 3) / (double)holdout.Count);
        return new TrainedModel(Save(model.Save), train.Count, holdout.Count, Measure(model), payload => Measure(SentimentModel.Load(new MemoryStream(payload))));
    }

    /// <summary>Texts have no id of their own; a hash of the words places each on the same side every time.</summary>
    private static Guid StableId(string text) => new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));

    private static byte[] Save(Action<Stream> save)
    {
        using var stream = new MemoryStream();
        save(stream);
        return stream.ToArray();
    }
}
