using System.Net.Http.Json;
using System.Text.Json;

namespace Centric.Server.Tests.Infrastructure;

internal static class Json
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static Task<HttpResponseMessage> PostEventsAsync(this HttpClient client, params object[] events) =>
        client.PostAsJsonAsync("/api/v1/events", new { events });

    public static string NewEmail() => $"t{Guid.NewGuid():N}@example.com";

    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Polls until the condition holds (background work such as the dispatcher), or fails after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int timeoutMs = 15000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail($"Timed out waiting for: {what}");
    }
}
