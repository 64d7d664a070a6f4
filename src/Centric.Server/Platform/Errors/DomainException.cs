namespace Centric.Server.Platform.Errors;

/// <summary>A business rule said no. <see cref="Code"/> is stable and becomes the ProblemDetails type.</summary>
public sealed class DomainException(string code, string message, int status = StatusCodes.Status409Conflict) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
}

/// <summary>Input that failed validation; carries field errors for a 400 ProblemDetails.</summary>
public sealed class RequestValidationException(string message, IDictionary<string, string[]> errors) : Exception(message)
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) =>
        new(message, new Dictionary<string, string[]> { [field] = [message] });
}
