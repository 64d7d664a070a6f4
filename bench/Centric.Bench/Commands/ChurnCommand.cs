namespace Centric.Bench.Commands;

public static class ChurnCommand
{
    public static int Run(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Console.Error.WriteLine("churn: not available yet");
        return 1;
    }
}
