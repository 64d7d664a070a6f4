using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Endpoints;

namespace Centric.Server.Platform.Http;

/// <summary>
/// A post whose antiforgery token failed (missing, expired, from another site) is answered 400 with a problem before
/// any endpoint handler runs: on endpoints that bind form fields, and on those that ask for the token with
/// <see cref="RequireAntiforgeryTokenAttribute"/>. The minimal API handlers are generated at compile time, and unlike
/// the ones built at run time they read the form without checking the token's result first, which throws (a 500).
/// Razor component pages answer a failed token themselves and are left to it.
/// </summary>
internal static class FailedAntiforgery
{
    public static async Task AnswerAsync(HttpContext http, RequestDelegate next)
    {
        if (http.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }
            && http.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, type: ProblemTypes.Antiforgery,
                title: "This form has expired or did not come from this site; reload the page and try again.").ExecuteAsync(http);
            return;
        }
        await next(http);
    }
}
