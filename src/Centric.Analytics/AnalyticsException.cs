namespace Centric.Analytics;

/// <summary>Thrown when input to an algorithm cannot give a meaningful answer (empty data, NaN, a single class...).</summary>
public sealed class AnalyticsException : Exception
{
    /// <summary>Creates the exception with a message that says what was wrong with the input.</summary>
    public AnalyticsException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public AnalyticsException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with no message.</summary>
    public AnalyticsException() { }
}
