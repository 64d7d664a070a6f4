namespace Centric.Bench;

/// <summary>Finds ../shared/data by walking up from the working directory and the binary.</summary>
public static class DataLocator
{
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("CENTRIC_DATA") is { Length: > 0 } env) return env;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        throw new DirectoryNotFoundException("shared/data not found; set CENTRIC_DATA");
    }
}
