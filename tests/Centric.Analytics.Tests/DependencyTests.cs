using System.Text.Json;

namespace Centric.Analytics.Tests;

public class DependencyTests
{
    /// <summary>
    /// The library ships its own algorithms; ML.NET is a comparison in the benchmarks only. Read from this test
    /// project's dependency graph, which holds everything the library brings along.
    /// </summary>
    [Fact]
    public void The_analytics_library_brings_no_ml_net_package()
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Centric.Analytics.Tests.deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name).ToList();
        Assert.Contains(libraries, l => l.StartsWith("Centric.Analytics/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, l => l.StartsWith("Microsoft.ML", StringComparison.OrdinalIgnoreCase));
    }
}
