using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace Centric.E2E.Tests.Infrastructure;

/// <summary>
/// axe-core run in the page under test: injected once per document and asked for violations only. (The Playwright
/// binding injects the script anew for every run and finishes each run in a blank page of its own, about 0.8 s a call,
/// which made up most of a sweep over every page in two themes.)
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Script = new(() => new BundledAxeScriptProvider().GetScript());
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Node(string Target, string Html);

    public sealed record Violation(string Id, string? Impact, string Help, IReadOnlyList<Node> Nodes);

    /// <summary>The violations of every rule, or only of <paramref name="rules"/> when some are named.</summary>
    public static async Task<IReadOnlyList<Violation>> ViolationsAsync(IPage page, params string[] rules)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe?.run === 'function'"))
            await page.EvaluateAsync("() => {" + Script.Value + "\n}");
        var found = await page.EvaluateAsync<string>("""
            async rules => {
              const options = { resultTypes: ['violations'] };
              if (rules.length > 0) options.runOnly = { type: 'rule', values: rules };
              const result = await window.axe.run(document, options);
              return JSON.stringify(result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html })),
              })));
            }
            """, rules);
        return JsonSerializer.Deserialize<List<Violation>>(found, Json) ?? [];
    }
}
