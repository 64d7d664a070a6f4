namespace Centric.Analytics.Lifetime;

/// <summary>The unit in which recency, customer age and forecast horizons are expressed.</summary>
public enum PurchaseTimeUnit
{
    /// <summary>Calendar days.</summary>
    Days = 1,

    /// <summary>Weeks of seven days (fractional: 10 days is 1.4286 weeks), as in the CDNOW benchmark.</summary>
    Weeks = 7,
}

/// <summary>Helpers for <see cref="PurchaseTimeUnit"/>.</summary>
public static class PurchaseTimeUnitExtensions
{
    /// <summary>The number of days in one unit.</summary>
    public static double Days(this PurchaseTimeUnit unit) => unit switch
    {
        PurchaseTimeUnit.Days => 1.0,
        PurchaseTimeUnit.Weeks => 7.0,
        _ => throw new AnalyticsException($"unknown time unit {(int)unit}"),
    };
}
