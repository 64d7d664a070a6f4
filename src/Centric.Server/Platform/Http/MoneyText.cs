using System.Globalization;

namespace Centric.Server.Platform.Http;

/// <summary>
/// How every page writes an amount: €12.50, $3.00, £1,204.10 (<paramref name="grouped"/>), and other currencies as
/// "12.50 CHF". A negative amount keeps its sign in front: -€41.81.
/// </summary>
public static class MoneyText
{
    public static string Format(decimal amount, string currency, bool grouped = false)
    {
        var digits = Math.Abs(amount).ToString(grouped ? "N2" : "0.00", CultureInfo.InvariantCulture);
        var sign = amount < 0 ? "-" : "";
        return currency.ToUpperInvariant() switch
        {
            "EUR" => sign + "€" + digits,
            "USD" => sign + "$" + digits,
            "GBP" => sign + "£" + digits,
            var code => sign + digits + " " + code,
        };
    }

    public static string Format(double amount, string currency, bool grouped = true) => Format((decimal)Math.Round(amount, 2), currency, grouped);
}
