using Microsoft.AspNetCore.Diagnostics;

namespace Centric.Server.Platform.Errors;

/// <summary>
/// A person who follows a dead link or meets a fault in the shop, portal or console gets a page with a way back; the API,
/// scripts and hubs keep problem JSON. A request is a person's when it is not for the API or a hub and its Accept header
/// asks for HTML (a browser's navigation and form posts do; fetch calls do not).
/// </summary>
public static class ErrorPages
{
    /// <summary>The route of Components/Pages/StatusPage.razor.</summary>
    public const string StatusPageRoute = "/error/{Code:int}";

    public static bool WantsPage(HttpContext http)
    {
        var path = http.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_framework")
            || path.StartsWithSegments("/chat") || path.StartsWithSegments("/notifications/hub") || path.StartsWithSegments("/health")
            || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/openapi"))
            return false;
        return http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Exceptions and bare status codes: a person's page request is re-executed as the error page for its status (its
    /// endpoint is set directly, in a fresh scope, since routing ran before); everything else gets the problem JSON the
    /// framework writes.
    /// </summary>
    public static void UseErrorPages(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/Error",
            CreateScopeForErrors = true,
            StatusCodeSelector = e => ProblemExceptionHandler.Describe(e).Status ?? 500,
        });
        var problems = new StatusCodePagesOptions().HandleAsync;
        RouteEndpoint? errorPage = null;
        app.UseStatusCodePages(new StatusCodePagesOptions
        {
            HandleAsync = async context =>
            {
                var http = context.HttpContext;
                if (!WantsPage(http))
                {
                    await problems(context);
                    return;
                }
                // Routing ran before this middleware, so the error page's endpoint is set here rather than routed to.
                errorPage ??= http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                    .First(e => e.RoutePattern.RawText == StatusPageRoute);
                var status = http.Response.StatusCode;
                var (path, query) = (http.Request.Path, http.Request.QueryString);
                http.Features.Set<IStatusCodeReExecuteFeature>(new StatusCodeReExecuteFeature
                {
                    OriginalPathBase = http.Request.PathBase.Value ?? "", OriginalPath = path.Value ?? "",
                    OriginalQueryString = query.HasValue ? query.Value : null,
                });
                http.Request.Path = "/error/" + status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                http.Request.QueryString = QueryString.Empty;
                http.Request.RouteValues.Clear();
                http.Request.RouteValues["Code"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                http.SetEndpoint(errorPage);
                // A fresh scope: the page that set the status may have rendered already, and Blazor initialises its services once per scope.
                var services = http.RequestServices;
                await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
                http.RequestServices = scope.ServiceProvider;
                try
                {
                    await context.Next(http);
                }
                finally
                {
                    http.RequestServices = services;
                    http.Request.Path = path;
                    http.Request.QueryString = query;
                    http.Features.Set<IStatusCodeReExecuteFeature?>(null);
                }
            },
        });
    }

    /// <summary>The address the person asked for, on an error page.</summary>
    public static string? OriginalPath(HttpContext http) =>
        http.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath ?? http.Features.Get<IExceptionHandlerPathFeature>()?.Path;
}
