namespace Centric.Bench.Commands;

public static class SentimentCommand
{
    public static int Run(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Console.Error.WriteLine("sentiment: not available yet");
        return 1;
    }
}
