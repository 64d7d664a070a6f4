using Centric.Analytics.Lifetime;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Centric.Analytics.Tests.Lifetime;

public class BgNbdModelTests
{
    private static readonly BgNbdModel Model = new(r: 0.5, alpha: 2.0, a: 0.8, b: 1.5);

    // Eq. 6 of Fader, Hardie & Lee (2005) written with Beta and Gamma functions, not the log-product form the model uses.
    private static double HandLikelihood(double r, double alpha, double a, double b, int x, double tx, double t)
    {
        var common = SpecialFunctions.Gamma(r + x) * Math.Pow(alpha, r) / SpecialFunctions.Gamma(r);
        var alive = SpecialFunctions.Beta(a, b + x) / SpecialFunctions.Beta(a, b) * common / Math.Pow(alpha + t, r + x);
        var dropped = x > 0 ? SpecialFunctions.Beta(a + 1, b + x - 1) / SpecialFunctions.Beta(a, b) * common / Math.Pow(alpha + tx, r + x) : 0;
        return alive + dropped;
    }

    [Theory]
    [InlineData(0, 0.0, 10.0)]
    [InlineData(1, 3.5, 10.0)]
    [InlineData(4, 9.0, 12.0)]
    [InlineData(7, 2.0, 30.0)]
    public void Customer_log_likelihood_matches_the_closed_form_computed_by_hand(int x, double tx, double t)
    {
        var expected = Math.Log(HandLikelihood(0.5, 2.0, 0.8, 1.5, x, tx, t));
        Assert.Equal(expected, Model.CustomerLogLikelihood(x, tx, t), 10);
    }

    [Fact]
    public void Total_log_likelihood_of_three_customers_is_the_sum_of_their_hand_values()
    {
        var history = new PurchaseHistory([0, 2, 5], [0, 4, 8], [10, 10, 9], null, PurchaseTimeUnit.Weeks);
        var expected = Math.Log(HandLikelihood(0.5, 2.0, 0.8, 1.5, 0, 0, 10))
            + Math.Log(HandLikelihood(0.5, 2.0, 0.8, 1.5, 2, 4, 10))
            + Math.Log(HandLikelihood(0.5, 2.0, 0.8, 1.5, 5, 8, 9));
        Assert.Equal(expected, Model.TotalLogLikelihood(history), 9);
    }

    [Fact]
    public void Likelihood_gradient_matches_finite_differences()
    {
        var history = new PurchaseHistory([0, 1, 3, 6, 0], [0, 2, 5, 9.5, 0], [12, 11, 10, 10, 3], null, PurchaseTimeUnit.Weeks);
        var likelihood = new BgNbdLikelihood(history);
        double[] theta = [Math.Log(0.4), Math.Log(3), Math.Log(0.9), Math.Log(2.2)];
        var gradient = new double[4];
        likelihood.NegativeMean(theta, gradient);
        var scratch = new double[4];
        for (var k = 0; k < 4; k++)
        {
            var up = (double[])theta.Clone();
            var down = (double[])theta.Clone();
            up[k] += 1e-6;
            down[k] -= 1e-6;
            var numeric = (likelihood.NegativeMean(up, scratch) - likelihood.NegativeMean(down, scratch)) / 2e-6;
            Assert.Equal(numeric, gradient[k], 6);
        }
    }

    [Fact]
    public void Probability_alive_is_one_without_repeat_purchases()
    {
        Assert.Equal(1.0, Model.ProbabilityAlive(0, 0, 0));
        Assert.Equal(1.0, Model.ProbabilityAlive(0, 0, 52));
    }

    [Fact]
    public void Probability_alive_matches_eq_13_by_hand_and_falls_with_silence()
    {
        // x = 2, t_x = 5, T = 20: 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
        var expected = 1 / (1 + 0.8 / 2.5 * Math.Pow(22.0 / 7.0, 2.5));
        Assert.Equal(expected, Model.ProbabilityAlive(2, 5, 20), 12);
        Assert.True(Model.ProbabilityAlive(2, 19, 20) > Model.ProbabilityAlive(2, 10, 20));
        Assert.True(Model.ProbabilityAlive(2, 10, 20) > Model.ProbabilityAlive(2, 10, 40));
        // Bought on the last day: only the chance of having dropped out right after that purchase remains.
        Assert.Equal(1 / (1 + 0.8 / 3.5), Model.ProbabilityAlive(3, 20, 20), 12);
    }

    [Fact]
    public void Expected_purchases_start_at_zero_and_grow_with_time()
    {
        Assert.Equal(0, Model.ExpectedPurchases(0));
        var previous = 0.0;
        for (var t = 1.0; t <= 400; t += 3)
        {
            var e = Model.ExpectedPurchases(t);
            Assert.True(e > previous, $"E[X({t})] = {e} is not above {previous}");
            previous = e;
        }
        // Near t = 0 every customer is alive and buys at mean rate r/α.
        Assert.Equal(0.5 / 2.0, Model.ExpectedPurchases(1e-6) / 1e-6, 4);
    }

    [Fact]
    public void Expected_purchases_agree_with_a_simulated_population()
    {
        // Simulate the BG/NBD story directly: λ ~ Gamma(r, α), p ~ Beta(a, b), exponential gaps, drop-out after each purchase.
        var random = new Random(7);
        var rate = new Gamma(0.5, 2.0, random);
        var dropout = new Beta(0.8, 1.5, random);
        const int customers = 200_000;
        const double horizon = 10;
        long purchases = 0;
        for (var i = 0; i < customers; i++)
        {
            var lambda = rate.Sample();
            var p = dropout.Sample();
            var clock = 0.0;
            while (true)
            {
                clock += -Math.Log(1 - random.NextDouble()) / lambda;
                if (clock > horizon) break;
                purchases++;
                if (random.NextDouble() < p) break;
            }
        }
        var simulated = (double)purchases / customers;
        Assert.InRange(Model.ExpectedPurchases(horizon), simulated * 0.98, simulated * 1.02);
    }

    [Fact]
    public void Conditional_expectation_for_a_brand_new_customer_is_the_unconditional_one()
    {
        Assert.Equal(Model.ExpectedPurchases(26), Model.ConditionalExpectedPurchases(26, 0, 0, 0), 10);
    }

    [Fact]
    public void Conditional_expectation_grows_with_the_horizon_at_the_posterior_rate_of_an_alive_customer()
    {
        // Given alive at T, λ | x, T ~ Gamma(r + x, α + T), so the initial slope is P(alive)·(r + x)/(α + T).
        const int x = 3;
        const double tx = 8, t = 12;
        var slope = Model.ProbabilityAlive(x, tx, t) * (0.5 + x) / (2.0 + t);
        Assert.Equal(slope, Model.ConditionalExpectedPurchases(1e-6, x, tx, t) / 1e-6, 4);
        var previous = 0.0;
        for (var h = 1.0; h < 200; h += 5)
        {
            var e = Model.ConditionalExpectedPurchases(h, x, tx, t);
            Assert.True(e > previous);
            previous = e;
        }
    }

    [Fact]
    public void Bad_customer_rows_are_refused_clearly()
    {
        Assert.Throws<AnalyticsException>(() => Model.ProbabilityAlive(2, 11, 10));
        Assert.Throws<AnalyticsException>(() => Model.ProbabilityAlive(-1, 0, 10));
        Assert.Throws<AnalyticsException>(() => Model.ProbabilityAlive(2, double.NaN, 10));
        Assert.Throws<AnalyticsException>(() => Model.ConditionalExpectedPurchases(-1, 2, 5, 10));
        Assert.Throws<AnalyticsException>(() => Model.ExpectedPurchases(double.PositiveInfinity));
        Assert.Throws<AnalyticsException>(() => new BgNbdModel(0.5, -2, 0.8, 1.5));
    }

    [Fact]
    public void Bad_histories_are_refused_clearly()
    {
        Assert.Throws<AnalyticsException>(() => new PurchaseHistory([], [], [], null, PurchaseTimeUnit.Weeks));
        Assert.Throws<AnalyticsException>(() => new PurchaseHistory([1, 2], [1], [5, 5], null, PurchaseTimeUnit.Weeks));
        Assert.Throws<AnalyticsException>(() => new PurchaseHistory([1], [6], [5], null, PurchaseTimeUnit.Weeks));
        Assert.Throws<AnalyticsException>(() => new PurchaseHistory([1], [double.NaN], [5], null, PurchaseTimeUnit.Weeks));
        Assert.Throws<AnalyticsException>(() => new PurchaseHistory([1], [1], [-5], null, PurchaseTimeUnit.Weeks));
        Assert.Throws<AnalyticsException>(() => new PurchaseHistory([0], [2], [5], null, PurchaseTimeUnit.Weeks));
        Assert.Throws<AnalyticsException>(() => new PurchaseHistory([1], [1], [5], [-3.0], PurchaseTimeUnit.Weeks));
        Assert.Throws<AnalyticsException>(() => new PurchaseHistory([1], [1], [5], null, (PurchaseTimeUnit)3));
        var noRepeats = new PurchaseHistory([0, 0, 0], [0, 0, 0], [5, 8, 9], null, PurchaseTimeUnit.Weeks);
        Assert.Throws<AnalyticsException>(() => BgNbdModel.Fit(noRepeats));
    }

    [Fact]
    public void Fit_recovers_the_parameters_of_a_simulated_population()
    {
        var random = new Random(11);
        var rate = new Gamma(0.8, 5.0, random);
        var dropout = new Beta(1.2, 3.0, random);
        const int n = 20_000;
        var x = new int[n];
        var tx = new double[n];
        var age = new double[n];
        for (var i = 0; i < n; i++)
        {
            var lambda = rate.Sample();
            var p = dropout.Sample();
            age[i] = 20 + random.NextDouble() * 20;
            var clock = 0.0;
            while (true)
            {
                clock += -Math.Log(1 - random.NextDouble()) / lambda;
                if (clock > age[i]) break;
                x[i]++;
                tx[i] = clock;
                if (random.NextDouble() < p) break;
            }
        }
        var model = BgNbdModel.Fit(new PurchaseHistory(x, tx, age, null, PurchaseTimeUnit.Weeks));
        Assert.InRange(model.R, 0.8 * 0.9, 0.8 * 1.1);
        Assert.InRange(model.Alpha, 5.0 * 0.85, 5.0 * 1.15);
        Assert.InRange(model.A, 1.2 * 0.7, 1.2 * 1.3);
        Assert.InRange(model.B, 3.0 * 0.7, 3.0 * 1.3);
    }
}
