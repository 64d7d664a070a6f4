using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Centric.Server.Platform.Http;

/// <summary>
/// Says in the OpenAPI document which credential each operation takes: an API key (integrators and staff, with scopes) or a
/// customer's token (from <c>POST /api/v1/auth/login</c>). Both are sent as <c>Authorization: Bearer</c>.
/// </summary>
internal static class ApiSecurityDocument
{
    public const string ApiKey = "apiKey";
    public const string CustomerToken = "customerToken";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "An API key created by an admin (console, POST /api/v1/apikeys or `centric apikeys create`); the operation names the scope it needs.",
            };
            document.Components.SecuritySchemes[CustomerToken] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "A customer's access token from POST /api/v1/auth/login (renewed with POST /api/v1/auth/refresh).",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToList();
            var scheme = policies.Contains(Policies.Customer) ? CustomerToken
                : policies.Any(p => p?.StartsWith("scope:", StringComparison.Ordinal) == true) ? ApiKey : null;
            if (scheme is null) return Task.CompletedTask;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
            var scopes = policies.Where(p => p?.StartsWith("scope:", StringComparison.Ordinal) == true).Select(p => p![6..]).ToList();
            if (scopes.Count > 0)
                operation.Description = (operation.Description is { Length: > 0 } d ? d + "\n\n" : "") + $"API key scope: `{string.Join("`, `", scopes)}` (or `admin`).";
            return Task.CompletedTask;
        });
    }
}
