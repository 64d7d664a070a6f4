using Centric.Bench;
using Centric.Bench.Commands;
using Centric.Bench.Platform;

// Quality and speed figures for the analytics engine, one JSON object per line.
// Usage: dotnet run -c Release --project bench/Centric.Bench -- <reco|reco-replay|churn|clv|sentiment> [options]
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Centric.Bench <reco|reco-replay|churn|clv|sentiment|ingest|timeline|webhooks|chat|kb-search|inbound-email|shop-read|checkout|carrier-live|segments|campaign|journey-latency|journey-nodes|kpis|scoring|sentiment-stream> [options]");
    return 2;
}

var options = BenchOptions.Parse(args.Skip(1));
return args[0] switch
{
    "reco" => RecoCommand.Run(options),
    "reco-replay" => await Centric.Bench.Reco.RecoReplayCommand.RunAsync(options),
    "churn" => ChurnCommand.Run(options),
    "clv" => ClvCommand.Run(options),
    "sentiment" => SentimentCommand.Run(options),
    "ingest" or "timeline" => await PlatformBench.RunAsync(args[0], options),
    "webhooks" => await WebhooksCommand.RunAsync(options),
    "chat" => await Centric.Bench.Support.ChatCommand.RunAsync(options),
    "kb-search" => await Centric.Bench.Support.KbSearchCommand.RunAsync(options),
    "inbound-email" => await Centric.Bench.Support.InboundEmailCommand.RunAsync(options),
    "shop-read" => await Centric.Bench.Commerce.ShopReadCommand.RunAsync(options),
    "checkout" => await Centric.Bench.Commerce.CheckoutCommand.RunAsync(options),
    "carrier-live" => await Centric.Bench.Commerce.CarrierLiveCommand.RunAsync(options),
    "import-orders" => await ImportBench.RunAsync(options),
    "segments" => await Centric.Bench.Engagement.SegmentsCommand.RunAsync(options),
    "campaign" => await Centric.Bench.Engagement.CampaignCommand.RunAsync(options),
    "journey-latency" => await Centric.Bench.Engagement.JourneyLatencyCommand.RunAsync(options),
    "journey-nodes" => await Centric.Bench.Engagement.JourneyNodesCommand.RunAsync(options),
    "kpis" => await Centric.Bench.Insights.KpisCommand.RunAsync(options),
    "scoring" => await Centric.Bench.Insights.ScoringCommand.RunAsync(options),
    "sentiment-stream" => await Centric.Bench.Insights.SentimentStreamCommand.RunAsync(options),
    _ => Unknown(args[0]),
};

static int Unknown(string command)
{
    Console.Error.WriteLine($"unknown command '{command}': expected reco, churn, clv or sentiment");
    return 2;
}
