using Centric.Server.Customers.Contracts;

namespace Centric.Server.Tests.Customers;

/// <summary>The customer card's suggested next best action: the rules over the card's facts, in words.</summary>
public sealed class NextBestActionTests
{
    private static CustomerCardFacts Facts(int? decile = 6, bool atRisk = false, double? sentiment = 0.1, int openOrders = 0, int openTickets = 0,
        int late = 0, bool marketing = true) => new(decile, atRisk, sentiment, openOrders, openTickets, late, marketing);

    [Fact]
    public void A_valuable_customer_at_risk_after_two_late_deliveries_is_offered_free_shipping_and_called_back() =>
        Assert.Equal("High value, at risk, two late deliveries: offer free shipping and call back.",
            NextBestAction.Suggest(Facts(decile: 2, atRisk: true, late: 2)).Sentence);

    [Fact]
    public void Without_marketing_consent_an_offer_is_made_in_person()
    {
        var action = NextBestAction.Suggest(Facts(decile: 1, atRisk: true, late: 1, marketing: false));
        Assert.Equal("High value, at risk, one late delivery, no marketing consent: offer free shipping, call back and make the offer in person, not by email.", action.Sentence);
        Assert.Equal("danger", action.Tone);
    }

    [Fact]
    public void An_open_ticket_comes_first()
    {
        var action = NextBestAction.Suggest(Facts(decile: 8, atRisk: true, openTickets: 1));
        Assert.Equal("answer the open ticket today", action.Actions[0]);
        Assert.Equal("At risk, one open ticket: answer the open ticket today.", action.Sentence);
    }

    [Fact]
    public void A_customer_at_risk_with_nothing_wrong_gets_a_win_back_offer() =>
        Assert.Equal("At risk: send a win-back offer.", NextBestAction.Suggest(Facts(decile: 7, atRisk: true)).Sentence);

    [Fact]
    public void An_unhappy_customer_is_asked_what_went_wrong() =>
        Assert.Equal("Unhappy lately: ask what went wrong.", NextBestAction.Suggest(Facts(sentiment: -0.6)).Sentence);

    [Fact]
    public void A_late_delivery_to_an_ordinary_customer_earns_an_apology() =>
        Assert.Equal("One late delivery: apologise for the delay.", NextBestAction.Suggest(Facts(late: 1)).Sentence);

    [Fact]
    public void A_happy_valuable_customer_is_thanked()
    {
        Assert.Equal("High value: thank them and suggest what is new.", NextBestAction.Suggest(Facts(decile: 1)).Sentence);
        Assert.Equal("High value: thank them.", NextBestAction.Suggest(Facts(decile: 1, marketing: false)).Sentence);
        Assert.Equal("success", NextBestAction.Suggest(Facts(decile: 3)).Tone);
    }

    [Fact]
    public void Nothing_standing_out_means_serve_as_usual()
    {
        Assert.Equal("Nothing stands out: serve as usual.", NextBestAction.Suggest(Facts()).Sentence);
        Assert.Equal("Nothing stands out: serve as usual.", NextBestAction.Suggest(Facts(decile: null, sentiment: null)).Sentence);
    }

    [Fact]
    public void The_facts_come_from_the_scores_the_highlights_and_consent()
    {
        var insights = new CustomerInsights(100, 0.5, 2, 0.8, ["no order for 200 days"], 2, null, -0.3, DateTime.UtcNow, ChurnRiskHigh: true);
        CustomerHighlight[] highlights =
        [
            new(HighlightKeys.OpenOrders, "Open orders", "1", Count: 1), new(HighlightKeys.LateDeliveries, "Late deliveries", "2", Count: 2),
            new(HighlightKeys.OpenTickets, "Open tickets", "0", Count: 0), new("loyalty-tier", "Tier", "Gold"),
        ];
        ConsentView[] consent = [new("email", ConsentPurposes.Marketing, true, true, DateTime.UtcNow, "portal"), new("sms", ConsentPurposes.Marketing, false, false, null, null)];
        var facts = CustomerCardFacts.From(insights, highlights, consent);
        Assert.Equal(new CustomerCardFacts(2, true, -0.3, 1, 0, 2, true), facts);
        Assert.False(CustomerCardFacts.From(null, [], [consent[1]]).MarketingConsent);
    }
}
