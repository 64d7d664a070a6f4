using System.Globalization;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Identity;
using CsvHelper;
using SpreadCheetah;

namespace Centric.Server.Insights.Kpis;

/// <summary>
/// Every table of the KPI dashboard as CSV or XLSX: <c>GET /console/insights/export/{table}?format=csv|xlsx&amp;from&amp;to[&amp;channel][&amp;decile]</c>,
/// for the staff who may see insights. Numbers stay numbers in XLSX; CSV writes them with a dot, as spreadsheets read them.
/// </summary>
internal static class KpiExports
{
    public static IEndpointRouteBuilder MapKpiExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/insights/export/{table}", Export).RequireAuthorization(Policies.Insights).ExcludeFromDescription();
        return app;
    }

    private static async Task Export(HttpContext http, string table, string? format, string? from, string? to, string? channel, string? decile,
        KpiTables tables, CancellationToken ct)
    {
        var kind = (format ?? "csv").Trim().ToLowerInvariant();
        if (kind is not ("csv" or "xlsx")) throw RequestValidationException.For("format", "csv or xlsx.");
        if (!KpiTables.Names.Contains(table)) throw RequestValidationException.For("table", "One of: " + string.Join(", ", KpiTables.Names) + ".");
        var range = KpiRange.Parse(from, to);
        int? onlyDecile = null;
        if (!string.IsNullOrWhiteSpace(decile))
        {
            onlyDecile = int.TryParse(decile, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 10
                ? d : throw RequestValidationException.For("decile", "0 (not scored yet) to 10.");
        }
        var data = await tables.BuildAsync(table, range, new KpiScope(KpiRange.Channel(channel), onlyDecile), ct);

        var fileName = $"centric-{data.Name}-{KpiRange.Text(range.From)}-to-{KpiRange.Text(range.To)}.{kind}";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        if (kind == "csv")
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            await WriteCsvAsync(http.Response.Body, data, ct);
        }
        else
        {
            http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            await WriteXlsxAsync(http.Response.Body, data, ct);
        }
    }

    public static async Task WriteCsvAsync(Stream body, KpiTable table, CancellationToken ct)
    {
        // Customer names are text a spreadsheet could take for a formula (=, +, -, @): those are escaped; numbers stay numbers.
        await using var csv = CsvWriter.Create(body, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        await csv.WriteRecordAsync([.. table.Columns], ct);
        foreach (var row in table.Rows)
        {
            foreach (var cell in row) csv.WriteField(cell);
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }

    public static async Task WriteXlsxAsync(Stream body, KpiTable table, CancellationToken ct)
    {
        // The zip inside an XLSX ends with a synchronous write, which a response body refuses: the file is made in
        // memory (a dashboard table is small) and then sent.
        using var file = new MemoryStream();
        await using (var sheet = await Spreadsheet.CreateNewAsync(file, cancellationToken: ct))
        {
            await sheet.StartWorksheetAsync(table.Title, token: ct);
            await sheet.AddRowAsync([.. table.Columns.Select(c => new Cell(c))], ct);
            foreach (var row in table.Rows) await sheet.AddRowAsync([.. row.Select(ToCell)], ct);
            await sheet.FinishAsync(ct);
        }
        file.Position = 0;
        await file.CopyToAsync(body, ct);
    }

    private static Cell ToCell(object? value) => value switch
    {
        null => new Cell(),
        int i => new Cell(i),
        long l => new Cell(l),
        double d => new Cell(d),
        _ => new Cell(value.ToString()),
    };
}
