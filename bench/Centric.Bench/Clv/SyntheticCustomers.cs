namespace Centric.Bench.Clv;

/// <summary>A seeded synthetic customer base, as parallel arrays, for timing the value segmentation.</summary>
internal sealed class SyntheticCustomers
{
    public const int CatalogCategories = 40;

    public SyntheticCustomers(int count, int seed = 42)
    {
        var random = new Random(seed);
        DaysSinceLastPurchase = new double[count];
        Purchases = new double[count];
        Revenue = new double[count];
        CostToServe = new double[count];
        Active = new bool[count];
        New = new bool[count];
        Categories = new int[count];
        ProbabilityAlive = new double[count];
        for (var i = 0; i < count; i++)
        {
            // Skewed like real bases: most customers buy once or twice, a few buy often and spend a lot.
            var orders = 1 + (int)(-Math.Log(1 - random.NextDouble()) * 2.5);
            Purchases[i] = orders;
            Revenue[i] = Math.Round(orders * 30 * Math.Exp(random.NextDouble() * 1.5), 2);
            DaysSinceLastPurchase[i] = random.Next(0, 730);
            CostToServe[i] = random.NextDouble() < 0.3 ? random.Next(1, 5) * 12.5 : 0;
            New[i] = random.NextDouble() < 0.15;
            Active[i] = New[i] || DaysSinceLastPurchase[i] < 365;
            Categories[i] = Math.Min(CatalogCategories, 1 + random.Next(0, orders + 1));
            ProbabilityAlive[i] = Math.Exp(-DaysSinceLastPurchase[i] / 365.0);
        }
    }

    public double[] DaysSinceLastPurchase { get; }
    public double[] Purchases { get; }
    public double[] Revenue { get; }
    public double[] CostToServe { get; }
    public bool[] Active { get; }
    public bool[] New { get; }
    public int[] Categories { get; }
    public double[] ProbabilityAlive { get; }
}
