using System.Globalization;
using Centric.Analytics.Churn;
using Centric.Analytics.Tabular;

namespace Centric.Server.Insights.Models;

/// <summary>
/// The churn model's features, taken from a customer's history as of one instant, and the plain sentences its reasons
/// are told in. Training takes them at a cut-off in the past and learns who then went quiet; scoring takes them now.
/// </summary>
internal static class ChurnFeatures
{
    public const string Recency = "days_since_last_order";
    public const string Orders = "orders";
    public const string Spend = "spend";
    public const string AverageOrder = "average_order_value";
    public const string Tenure = "tenure_days";
    public const string SupportContacts = "support_contacts_180d";
    public const string Csat = "average_csat";
    public const string NegativeMessages = "negative_messages_90d";
    public const string Returns = "returns";
    public const string FailedPayments = "failed_payments_180d";
    public const string MessagesReceived = "messages_received_90d";
    public const string Subscription = "active_subscription";
    public const string WebShare = "web_order_share";

    public static TabularTable Table(IReadOnlyList<CustomerHistory> customers, DateTime asOf)
    {
        var n = customers.Count;
        double[] Col(Func<CustomerHistory, double> f)
        {
            var values = new double[n];
            for (var i = 0; i < n; i++) values[i] = f(customers[i]);
            return values;
        }
        static int CountIn(List<DateTime> at, DateTime from, DateTime to) => at.Count(t => t >= from && t < to);
        return new TabularTable(
        [
            TabularColumn.Numeric(Recency, Col(h => h.Orders.LastOrDefault(o => o.At < asOf) is { } last ? (asOf - last.At).TotalDays : double.NaN)),
            TabularColumn.Numeric(Orders, Col(h => h.Orders.Count(o => o.At < asOf))),
            TabularColumn.Numeric(Spend, Col(h => h.Orders.Where(o => o.At < asOf).Sum(o => o.Total))),
            TabularColumn.Numeric(AverageOrder, Col(h => h.Orders.Where(o => o.At < asOf).Select(o => o.Total).DefaultIfEmpty(double.NaN).Average())),
            TabularColumn.Numeric(Tenure, Col(h => Math.Max(0, (asOf - h.FirstSeen).TotalDays))),
            TabularColumn.Numeric(SupportContacts, Col(h => CountIn(h.SupportContacts, asOf.AddDays(-180), asOf))),
            TabularColumn.Numeric(Csat, Col(h => h.Csat.Where(c => c.At < asOf).Select(c => (double)c.Rating).DefaultIfEmpty(double.NaN).Average())),
            TabularColumn.Numeric(NegativeMessages, Col(h => h.Sentiments.Count(s => s.At >= asOf.AddDays(-90) && s.At < asOf && s.Score < -0.1))),
            TabularColumn.Numeric(Returns, Col(h => CountIn(h.Returns, DateTime.MinValue, asOf))),
            TabularColumn.Numeric(FailedPayments, Col(h => CountIn(h.FailedPayments, asOf.AddDays(-180), asOf))),
            TabularColumn.Numeric(MessagesReceived, Col(h => CountIn(h.MessagesReceived, asOf.AddDays(-90), asOf))),
            TabularColumn.Numeric(Subscription, Col(h => h.HasActiveSubscription(asOf) ? 1 : 0)),
            TabularColumn.Numeric(WebShare, Col(h => h.Orders.Where(o => o.At < asOf).Select(o => o.Channel == "web" ? 1.0 : 0.0).DefaultIfEmpty(double.NaN).Average())),
        ]);
    }

    /// <summary>The three contributions that raise the risk most, told in plain words.</summary>
    public static string[] Reasons(ChurnExplanation explanation, int count = 3) =>
        [.. explanation.RaisingRisk.OrderByDescending(c => c.LogOdds).Take(count).Select(Sentence)];

    public static string Sentence(FeatureContribution c)
    {
        var v = double.TryParse(c.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : double.NaN;
        string N(double d) => double.IsNaN(d) ? "?" : Math.Round(d).ToString("N0", CultureInfo.InvariantCulture);
        return c.Feature switch
        {
            Recency => double.IsNaN(v) ? "Has never ordered" : $"No order for {N(v)} days",
            Orders => $"Few orders so far ({N(v)})",
            Spend => $"Low spend so far ({N(v)})",
            AverageOrder => double.IsNaN(v) ? "No order value yet" : $"Small average order ({N(v)})",
            Tenure => $"Customer for {N(v)} days",
            SupportContacts => $"{N(v)} support contacts in the last 180 days",
            Csat => double.IsNaN(v) ? "Has never rated support" : $"Rated support {v:0.#} out of 5 on average",
            NegativeMessages => $"{N(v)} negative messages in the last 90 days",
            Returns => $"{N(v)} returns",
            FailedPayments => $"{N(v)} failed payments in the last 180 days",
            MessagesReceived => $"{N(v)} messages received in the last 90 days",
            Subscription => v > 0 ? "Has an active subscription" : "No active subscription",
            WebShare => "Orders mostly " + (v >= 0.5 ? "online" : "on other channels"),
            _ => c.Feature,
        };
    }
}
