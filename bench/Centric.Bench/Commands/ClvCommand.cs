namespace Centric.Bench.Commands;

public static class ClvCommand
{
    public static int Run(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Console.Error.WriteLine("clv: not available yet");
        return 1;
    }
}
