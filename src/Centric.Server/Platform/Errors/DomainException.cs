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

/// <summary>
/// Concurrent writers got in each other's way (a deadlock, a profile merged meanwhile) and running again did not help in time.
/// Nothing was stored; the client should send the same request again after <see cref="RetryAfter"/>: 503 with <c>Retry-After</c>.
/// </summary>
public sealed class ServiceBusyException(string message, Exception? inner = null) : Exception(message, inner)
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
}
