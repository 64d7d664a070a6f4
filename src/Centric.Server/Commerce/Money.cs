using System.Globalization;

namespace Centric.Server.Commerce;

/// <summary>
/// An amount in minor units (cents) and an ISO 4217 currency. Minor units keep sums exact and let SQLite
/// order prices (it has no decimal type). Rounding rule: tax and percentage discounts are computed on the
/// whole order and rounded half away from zero to the minor unit, once.
/// </summary>
public readonly record struct Money(long Minor, string Currency)
{
    public decimal Amount => Minor / 100m;

    public static Money Zero(string currency) => new(0, currency);

    public static Money FromDecimal(decimal amount, string currency) =>
        new((long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero), currency);

    public static Money operator +(Money a, Money b) => new(a.Minor + Same(a, b).Minor, a.Currency);
    public static Money operator -(Money a, Money b) => new(a.Minor - Same(a, b).Minor, a.Currency);
    public Money Times(int quantity) => new(Minor * quantity, Currency);

    /// <summary>A share (e.g. 0.23 for 23 % tax), rounded half away from zero to the minor unit.</summary>
    public Money Percent(decimal rate) => new((long)Math.Round(Minor * rate, MidpointRounding.AwayFromZero), Currency);

    public override string ToString() => Platform.Http.MoneyText.Format(Amount, Currency);

    private static Money Same(Money a, Money b) =>
        a.Currency == b.Currency ? b : throw new InvalidOperationException($"Cannot mix {a.Currency} and {b.Currency}.");
}
