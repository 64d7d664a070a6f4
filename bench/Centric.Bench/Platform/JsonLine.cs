using System.Text.Json;

namespace Centric.Bench.Platform;

/// <summary>One JSON object per line on stdout: the harness's machine-readable output.</summary>
public static class JsonLine
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static void Write(object value)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));
        Console.Out.Flush();
    }
}
