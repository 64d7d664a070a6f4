using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Centric.Server.Platform.Errors;

/// <summary>Stable problem types (RFC 9457). Integrators match on these, never on titles.</summary>
public static class ProblemTypes
{
    public const string Base = "https://centric.dev/problems/";
    public const string Validation = Base + "validation";
    public const string NotFound = Base + "not-found";
    public const string Unauthorized = Base + "unauthorized";
    public const string Forbidden = Base + "forbidden";
    public const string RateLimited = Base + "rate-limited";
    public const string PayloadTooLarge = Base + "payload-too-large";
    public const string MalformedJson = Base + "malformed-json";
    public const string MethodNotAllowed = Base + "method-not-allowed";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string UriTooLong = Base + "uri-too-long";
    public const string HeadersTooLarge = Base + "headers-too-large";
    public const string Internal = Base + "internal";
    public const string Busy = Base + "busy";
    /// <summary>A form post without this site's antiforgery token.</summary>
    public const string Antiforgery = Base + "antiforgery";
    /// <summary>A provider webhook whose channel is not configured here.</summary>
    public const string ChannelOff = Base + "channel-not-configured";

    public static string ForCode(string code) => Base + code;

    /// <summary>The type of an answer that carries nothing but its status (a 404 from routing, a 401 challenge, ...).</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => Validation,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        413 => PayloadTooLarge,
        414 => UriTooLong,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        431 => HeadersTooLarge,
        >= 500 => Internal,
        _ => Base + "http-" + status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Gives problems written by the framework (status code pages, binding failures) our stable type instead of an RFC link.</summary>
    public static void Stabilise(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            problem.Type = ForStatus(problem.Status ?? context.HttpContext.Response.StatusCode);
    }
}

/// <summary>Turns known exceptions into ProblemDetails; anything else is a logged 500 without internals.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>What an exception tells the caller: the status and problem for known ones, a bare 500 for the rest.</summary>
    public static ProblemDetails Describe(Exception exception) => exception switch
    {
        RequestValidationException v => new HttpValidationProblemDetails(v.Errors)
        { Status = 400, Type = ProblemTypes.Validation, Title = "The request is invalid.", Detail = v.Message },
        DomainException d => new ProblemDetails { Status = d.Status, Type = ProblemTypes.ForCode(d.Code), Title = d.Message, Detail = d.Message },
        // A body that is not JSON of the expected shape (or holds text the database cannot store): say where.
        BadHttpRequestException { InnerException: System.Text.Json.JsonException j } => new ProblemDetails
        {
            Status = 400, Type = ProblemTypes.MalformedJson, Title = "The request body could not be read.",
            Detail = j.Path is { } path && !j.Message.Contains(path, StringComparison.Ordinal) ? $"{path}: {j.Message}" : j.Message,
        },
        BadHttpRequestException b => new ProblemDetails
        {
            Status = b.StatusCode, Type = ProblemTypes.ForStatus(b.StatusCode), Title = "The request could not be read.", Detail = b.Message,
        },
        ServiceBusyException s => new ProblemDetails { Status = 503, Type = ProblemTypes.Busy, Title = "Busy with concurrent changes; send the request again.", Detail = s.Message },
        _ when IsDatabaseTimeout(exception) => new ProblemDetails
        {
            Status = 503, Type = ProblemTypes.Busy, Title = "The database took too long to answer.",
            Detail = "Try again in a moment, or ask for less (a shorter date range, a smaller page).",
        },
        _ => new ProblemDetails { Status = 500, Type = ProblemTypes.Internal, Title = "An unexpected error occurred." },
    };

    /// <summary>A query that outlasted the command timeout (or PostgreSQL's statement timeout): overload, not a fault of the request.</summary>
    internal static bool IsDatabaseTimeout(Exception exception)
    {
        for (Exception? x = exception; x is not null; x = x.InnerException)
            if (x is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.QueryCanceled } || (x is TimeoutException && x.Source?.StartsWith("Npgsql", StringComparison.Ordinal) == true)
                || x is Npgsql.NpgsqlException { InnerException: TimeoutException })
                return true;
        return false;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = Describe(exception);
        if (problem.Status == 500) Log.UnhandledError(logger, exception);
        // A person's page request gets the error page (ErrorPages) with the same status.
        if (ErrorPages.WantsPage(http)) return false;
        if (exception is ServiceBusyException || problem.Status == 503)
        {
            Log.AnsweredBusy(logger, exception is ServiceBusyException busy ? busy.InnerException : exception, http.Request.Path.Value ?? "");
            http.Response.Headers.RetryAfter = ((int)ServiceBusyException.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new() { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }
}
