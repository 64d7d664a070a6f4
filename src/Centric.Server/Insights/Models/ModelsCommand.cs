using System.CommandLine;
using Centric.Server.Platform.Errors;

namespace Centric.Server.Insights.Models;

/// <summary>`centric models train|list|promote|rollback`.</summary>
internal static class ModelsCommand
{
    public static Command Define(Func<IServiceProvider> services)
    {
        var models = new Command("models", "Train the Insights models and manage their versions.");

        var kind = new Option<string?>("--kind") { Description = "churn, clv, recommendations or sentiment; all four when left out." };
        var train = new Command("train", "Train now, in this process, and print the outcome; a worse version is kept but not promoted.") { kind };
        train.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var asked = result.GetValue(kind);
            if (asked is not null && ModelKinds.Parse(asked) is null)
            {
                await error.WriteLineAsync($"Unknown kind '{asked}'. Kinds: {string.Join(", ", ModelKinds.All.Select(k => k.Name()))}.");
                return 2;
            }
            var kinds = asked is null ? ModelKinds.All : [ModelKinds.Parse(asked)!.Value];
            var failed = false;
            foreach (var k in kinds)
            {
                await using var scope = services().CreateAsyncScope();
                var runs = scope.ServiceProvider.GetRequiredService<TrainingRuns>();
                try
                {
                    var outcome = await runs.TrainNowAsync(k, "cli", "cli", (percent, stage) => output.WriteLine($"{k.Name(),-16} {percent,3}%  {stage}"), ct);
                    await output.WriteLineAsync(outcome.Message);
                    if (await TrainingWorker.ScoreAfterAsync(scope.ServiceProvider, outcome, ct) is { } scored)
                        await output.WriteLineAsync(scored.ToString());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await error.WriteLineAsync($"{k.Name()}: training failed: {e.Message}");
                    failed = true;
                }
            }
            return failed ? 3 : 0;
        });

        var list = new Command("list", "List the versions of every model: quality on the hold-out, which is active, and why.");
        list.SetAction(async (result, ct) =>
        {
            await using var scope = services().CreateAsyncScope();
            foreach (var v in await scope.ServiceProvider.GetRequiredService<ModelRegistry>().ListAsync(null, ct))
                await result.InvocationConfiguration.Output.WriteLineAsync(
                    $"{v.Id}  {v.Kind,-16} v{v.Version,-3} {(v.IsActive ? "active " : "       ")} {v.TrainedAt:yyyy-MM-dd HH:mm}  rows {v.Rows}  {v.Decision}");
            return 0;
        });

        var id = new Argument<Guid>("id") { Description = "The version's id, as `models list` shows it." };
        var promote = new Command("promote", "Make this version the active one of its kind.") { id };
        promote.SetAction(async (result, ct) =>
        {
            await using var scope = services().CreateAsyncScope();
            try
            {
                var v = await scope.ServiceProvider.GetRequiredService<ModelRegistry>().PromoteAsync(result.GetValue(id), "cli", ct);
                await result.InvocationConfiguration.Output.WriteLineAsync($"{v.Kind} version {v.Version} is active.");
                return 0;
            }
            catch (DomainException e)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync(e.Message);
                return 2;
            }
        });

        var rollbackKind = new Option<string>("--kind") { Description = "churn, clv, recommendations or sentiment.", Required = true };
        var rollback = new Command("rollback", "Go back to the version that was active before the current one.") { rollbackKind };
        rollback.SetAction(async (result, ct) =>
        {
            await using var scope = services().CreateAsyncScope();
            try
            {
                var k = TrainingRuns.ParseKind(result.GetValue(rollbackKind));
                var v = await scope.ServiceProvider.GetRequiredService<ModelRegistry>().RollbackAsync(k, "cli", ct);
                await result.InvocationConfiguration.Output.WriteLineAsync($"{v.Kind} version {v.Version} is active again.");
                return 0;
            }
            catch (Exception e) when (e is DomainException or RequestValidationException)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync(e.Message);
                return 2;
            }
        });

        models.Subcommands.Add(train);
        models.Subcommands.Add(list);
        models.Subcommands.Add(promote);
        models.Subcommands.Add(rollback);
        return models;
    }
}
