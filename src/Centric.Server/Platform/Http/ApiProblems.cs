using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Centric.Server.Platform.Http;

/// <summary>Answers the customer API gives in more than one place.</summary>
public static class ApiProblems
{
    /// <summary>
    /// 404 as a problem. Someone else's order, return or ticket is answered the same as one that does not exist, so an
    /// answer never confirms that another customer's number is real.
    /// </summary>
    public static ProblemHttpResult NotFound(string what) => TypedResults.Problem(new ProblemDetails
    {
        Status = 404, Type = ProblemTypes.NotFound, Title = $"No such {what}.", Detail = $"You have no {what} with that id or number.",
    });

    /// <summary>404 as a problem for staff and API keys, naming the id that matched nothing.</summary>
    public static ProblemHttpResult NotFound(string what, Guid id) => TypedResults.Problem(new ProblemDetails
    {
        Status = 404, Type = ProblemTypes.NotFound, Title = $"No such {what}.", Detail = $"No {what} has the id {id}.",
    });

    /// <summary>Checks an optional text input's length (a 400 naming the field), returning it trimmed (null when empty).</summary>
    public static string? Text(string? value, string field, int max)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        return text.Length <= max ? text : throw RequestValidationException.For(field, $"At most {max} characters.");
    }
}
