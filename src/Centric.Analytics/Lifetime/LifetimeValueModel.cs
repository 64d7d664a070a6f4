using System.Text.Json;
using System.Text.Json.Serialization;

namespace Centric.Analytics.Lifetime;

/// <summary>How far ahead and how steeply a lifetime value is discounted.</summary>
/// <param name="Months">Horizon in months (whole, 1 or more).</param>
/// <param name="MonthlyDiscountRate">Discount rate per month, e.g. 0.01 (about 12.7% a year).</param>
/// <param name="DaysPerMonth">Length of a month in days; 30 matches the lifetimes library with daily data.</param>
/// <param name="Margin">Share of revenue that is profit (1 = value is revenue).</param>
public sealed record LifetimeValueHorizon(int Months = 12, double MonthlyDiscountRate = 0.01, double DaysPerMonth = 30, double Margin = 1)
{
    internal void Validate()
    {
        if (Months < 1 || Months > 1200) throw new AnalyticsException($"lifetime value horizon of {Months} months must be between 1 and 1200");
        if (!double.IsFinite(MonthlyDiscountRate) || MonthlyDiscountRate < 0) throw new AnalyticsException($"monthly discount rate {MonthlyDiscountRate} must be finite and not negative");
        if (!double.IsFinite(DaysPerMonth) || DaysPerMonth <= 0) throw new AnalyticsException($"days per month {DaysPerMonth} must be positive");
        if (!double.IsFinite(Margin) || Margin < 0) throw new AnalyticsException($"margin {Margin} must be finite and not negative");
    }
}

/// <summary>One customer's forecast.</summary>
/// <param name="ProbabilityAlive">P(alive | x, t_x, T).</param>
/// <param name="ExpectedPurchases">Expected repeat purchases over the horizon (undiscounted).</param>
/// <param name="ExpectedSpend">Expected value of each future purchase (Gamma-Gamma conditional mean).</param>
/// <param name="LifetimeValue">Discounted expected value (times margin) over the horizon.</param>
public readonly record struct LifetimeValueScore(double ProbabilityAlive, double ExpectedPurchases, double ExpectedSpend, double LifetimeValue);

/// <summary>
/// A trained customer lifetime value model: BG/NBD for how many purchases, Gamma-Gamma for how much each is worth.
/// </summary>
/// <remarks>
/// CLV over a horizon of M months with monthly discount rate d (as the lifetimes library's customer_lifetime_value):
/// CLV = margin · E[M | x, z̄] · Σ_{m=1..M} (E[Y(m·f) | x, t_x, T] − E[Y((m−1)·f) | x, t_x, T]) / (1 + d)^m,
/// where f = DaysPerMonth / (days per time unit) is a month in the model's time unit, E[Y(t)|…] is the BG/NBD
/// conditional expectation and E[M|…] the Gamma-Gamma conditional expected spend. Purchases expected in month m
/// are discounted as if made at the end of that month.
/// </remarks>
public sealed class LifetimeValueModel
{
    /// <summary>Version of the saved format; <see cref="Load"/> refuses any other.</summary>
    public const int FormatVersion = 1;

    private const string FormatName = "centric.clv";

    /// <summary>Combines a purchase-count model and a spend model.</summary>
    public LifetimeValueModel(BgNbdModel purchases, GammaGammaModel spend)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        Purchases = purchases;
        Spend = spend;
    }

    /// <summary>The BG/NBD purchase-count model.</summary>
    public BgNbdModel Purchases { get; }

    /// <summary>The Gamma-Gamma spend model.</summary>
    public GammaGammaModel Spend { get; }

    /// <summary>Fits both models on one purchase history (which must carry values).</summary>
    public static LifetimeValueModel Train(PurchaseHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new LifetimeValueModel(BgNbdModel.Fit(history), GammaGammaModel.Fit(history));
    }

    /// <summary>Forecasts one customer over the horizon.</summary>
    public LifetimeValueScore Score(int frequency, double recency, double age, double meanRepeatValue, LifetimeValueHorizon horizon)
    {
        ArgumentNullException.ThrowIfNull(horizon);
        horizon.Validate();
        PurchaseHistory.Validate(0, frequency, recency, age, meanRepeatValue);
        var alive = Purchases.ProbabilityAlive(frequency, recency, age);
        var spend = Spend.ConditionalExpectedSpend(frequency, meanRepeatValue);
        var month = horizon.DaysPerMonth / Purchases.TimeUnit.Days();
        var discount = 1.0;
        var previous = 0.0;
        var discounted = 0.0;
        for (var m = 1; m <= horizon.Months; m++)
        {
            discount /= 1 + horizon.MonthlyDiscountRate;
            var cumulative = Purchases.ExpectedPurchasesIfAlive(m * month, frequency, age);
            discounted += (cumulative - previous) * discount;
            previous = cumulative;
        }
        return new LifetimeValueScore(alive, previous * alive, spend, horizon.Margin * spend * alive * discounted);
    }

    /// <summary>Lifetime value of every customer in a history, written into <paramref name="destination"/>.</summary>
    public void LifetimeValue(PurchaseHistory history, LifetimeValueHorizon horizon, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (destination.Length < history.Count) throw new ArgumentException("destination is shorter than the history", nameof(destination));
        for (var i = 0; i < history.Count; i++)
        {
            destination[i] = Score(history.Frequency[i], history.Recency[i], history.Age[i], history.MeanRepeatValue[i], horizon).LifetimeValue;
        }
    }

    /// <summary>Writes the model as versioned JSON.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var saved = new SavedModel(FormatName, FormatVersion, Purchases.TimeUnit.ToString(),
            new SavedBgNbd(Purchases.R, Purchases.Alpha, Purchases.A, Purchases.B),
            new SavedGammaGamma(Spend.P, Spend.Q, Spend.Gamma));
        JsonSerializer.Serialize(stream, saved, SavedModelContext.Default.SavedModel);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="AnalyticsException">Not a CLV model, another format version, or impossible parameters.</exception>
    public static LifetimeValueModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SavedModel? saved;
        try
        {
            saved = JsonSerializer.Deserialize(stream, SavedModelContext.Default.SavedModel);
        }
        catch (JsonException e)
        {
            throw new AnalyticsException("the saved lifetime value model is not valid JSON", e);
        }
        if (saved is null || saved.Format != FormatName) throw new AnalyticsException($"not a saved lifetime value model (format '{saved?.Format}')");
        if (saved.Version != FormatVersion)
        {
            throw new AnalyticsException($"saved lifetime value model has format version {saved.Version}; this build reads version {FormatVersion}");
        }
        if (saved.BgNbd is null || saved.GammaGamma is null) throw new AnalyticsException("saved lifetime value model lacks its parameters");
        if (!Enum.TryParse<PurchaseTimeUnit>(saved.TimeUnit, ignoreCase: false, out var unit) || !Enum.IsDefined(unit))
        {
            throw new AnalyticsException($"saved lifetime value model has an unknown time unit '{saved.TimeUnit}'");
        }
        return new LifetimeValueModel(
            new BgNbdModel(saved.BgNbd.R, saved.BgNbd.Alpha, saved.BgNbd.A, saved.BgNbd.B, unit),
            new GammaGammaModel(saved.GammaGamma.P, saved.GammaGamma.Q, saved.GammaGamma.Gamma));
    }
}

internal sealed record SavedBgNbd(double R, double Alpha, double A, double B);

internal sealed record SavedGammaGamma(double P, double Q, double Gamma);

internal sealed record SavedModel(string Format, int Version, string TimeUnit, SavedBgNbd? BgNbd, SavedGammaGamma? GammaGamma);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SavedModel))]
internal sealed partial class SavedModelContext : JsonSerializerContext;
