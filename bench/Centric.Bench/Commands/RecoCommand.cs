namespace Centric.Bench.Commands;

public static class RecoCommand
{
    public static int Run(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Console.Error.WriteLine("reco: not available yet");
        return 1;
    }
}
