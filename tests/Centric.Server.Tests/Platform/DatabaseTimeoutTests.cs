using Centric.Server.Platform.Errors;
using Centric.Server.Tests.Infrastructure;
using Npgsql;

namespace Centric.Server.Tests.Platform;

/// <summary>
/// A query that outlasts its time (a dashboard over a huge range on a busy database) is overload, not a fault: the caller gets a
/// 503 problem with Retry-After, never a 500.
/// </summary>
public sealed class DatabaseTimeoutTests
{
    [SkippableFact]
    public async Task A_statement_cancelled_by_its_timeout_is_answered_503()
    {
        if (CentricAppFactory.PostgresConnection is not { } pg)
        {
            if (Environment.GetEnvironmentVariable("CENTRIC_TEST_RUN") == "1") throw new InvalidOperationException("CENTRIC_TEST_PG is not set although ./test.sh is running");
            throw new SkipException("PostgreSQL tests run in ./test.sh, which provides a database (CENTRIC_TEST_PG is not set)");
        }
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pg) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SET statement_timeout = 50; SELECT pg_sleep(2)", connection);
        var timeout = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        var problem = ProblemExceptionHandler.Describe(new InvalidOperationException("wrapped by the execution strategy", timeout));
        Assert.Equal(503, problem.Status);
        Assert.Equal(ProblemTypes.Busy, problem.Type);
    }

    [Fact]
    public void A_command_timeout_is_answered_503_and_anything_else_unknown_stays_500()
    {
        var readTimeout = new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));
        Assert.Equal(503, ProblemExceptionHandler.Describe(readTimeout).Status);
        Assert.Equal(500, ProblemExceptionHandler.Describe(new InvalidOperationException("a bug")).Status);
        Assert.Equal(500, ProblemExceptionHandler.Describe(new TimeoutException("not the database")).Status);
    }
}
