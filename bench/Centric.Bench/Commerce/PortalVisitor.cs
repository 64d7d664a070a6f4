using System.Net;
using Centric.Bench.Platform;
using Centric.Testing;
using Npgsql;

namespace Centric.Bench.Commerce;

/// <summary>
/// One shopper's browser, reduced to what the server sees: its own cookies (visitor, antiforgery, sign-in) and the
/// portal's forms posted the way a browser posts them (no script, no redirects followed). Many visitors may share one
/// connection pool (<see cref="Browser"/>); the cookies stay each visitor's own.
/// </summary>
public sealed class PortalVisitor : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly FormSession _session;

    public PortalVisitor(Uri baseUrl) : this(Browser(baseUrl), owns: true) { }

    public PortalVisitor(HttpClient shared) : this(shared, owns: false) { }

    private PortalVisitor(HttpClient http, bool owns) => (_http, _ownsHttp, _session) = (http, owns, new FormSession(http));

    /// <summary>A connection pool that leaves cookies to the visitors using it.</summary>
    public static HttpClient Browser(Uri baseUrl) => new(new SocketsHttpHandler
    {
        UseCookies = false, AllowAutoRedirect = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = DecompressionMethods.None,
    }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Opens a page and keeps its antiforgery token (valid for every form of this visitor).</summary>
    public async Task<string> OpenAsync(string path)
    {
        var (status, html) = await _session.OpenAsync(path);
        if ((int)status is < 200 or > 299) throw new HttpRequestException($"GET {path}: {(int)status}", null, status);
        return html;
    }

    /// <summary>Posts a portal form; returns the status and, for a redirect, where it points.</summary>
    public Task<(HttpStatusCode Status, string? Location)> PostFormAsync(string path, string form, IEnumerable<KeyValuePair<string, string>> fields) =>
        _session.PostFormAsync(path, form, fields);

    public string? AntiforgeryToken => _session.AntiforgeryToken;

    /// <summary>The Cookie header this browser sends (for a SignalR connection opened beside it).</summary>
    public string CookieHeader => _session.CookieHeader;

    /// <summary>Signs in through the login form, then opens <paramref name="landing"/> (a page with a form) for a token that belongs to the signed-in user.</summary>
    public async Task SignInAsync(string email, string password, string landing)
    {
        await OpenAsync("/Account/Login");
        var (status, location) = await PostFormAsync("/Account/Login", "login", [new("Input.Email", email), new("Input.Password", password)]);
        if (status != HttpStatusCode.Redirect || location?.Contains("Account/", StringComparison.Ordinal) == true)
            throw new InvalidOperationException($"sign-in as {email} failed ({(int)status} {location})");
        await OpenAsync(landing);
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}

/// <summary>What the commerce benches read from (and set up in) the server's PostgreSQL database directly.</summary>
public static class ShopDatabase
{
    public static NpgsqlConnection Open(BenchServer server) =>
        new(server.PostgresDatabase ?? throw new ArgumentException("the commerce benches need --provider postgres (or --pg with --url)"));

    /// <summary>Slugs of products with exactly one variant (the add-to-cart form needs no choice), with that variant.</summary>
    public static async Task<List<(string Slug, Guid Variant, string Name)>> SingleVariantProductsAsync(NpgsqlConnection db)
    {
        await using var cmd = new NpgsqlCommand("""
            select p."Slug", min(v."Id"::text)::uuid, p."Name" from commerce_products p join commerce_variants v on v."ProductId" = p."Id"
            group by p."Id", p."Slug", p."Name" having count(*) = 1 order by p."Slug"
            """, db);
        var list = new List<(string, Guid, string)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) list.Add((reader.GetString(0), reader.GetGuid(1), reader.GetString(2)));
        return list;
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection db, string sql, params (string Name, object Value)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Model training runs that overlapped a window: the server trains in the background (the demo asks for models as it
    /// starts, and the nightly slot, 02:00 UTC by default, may fall inside a run), and such a run takes CPU from what is measured.
    /// </summary>
    public static Task<long> TrainingRunsDuringAsync(NpgsqlConnection db, DateTime from, DateTime to) => ScalarAsync<long>(db, """
        select count(*) from insights_training_runs
        where "StartedAt" < @to and coalesce("FinishedAt", @to) > @from
        """, ("from", from), ("to", to));

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection db, string sql, params (string Name, object Value)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
