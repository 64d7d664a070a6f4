namespace Centric.Server.Insights;

/// <summary>Insights' log lines (event ids 7000–7099). Ids and figures only, never personal data.</summary>
internal static partial class InsightsLog
{
    [LoggerMessage(7000, LogLevel.Information, "Training run {RunId} ({Kind}, {Trigger}) started")]
    public static partial void TrainingStarted(ILogger logger, Guid runId, string kind, string trigger);

    [LoggerMessage(7001, LogLevel.Information, "{Kind} version {Version} trained on {Rows} rows: {Quality}; {Decision}")]
    public static partial void ModelTrained(ILogger logger, string kind, int version, int rows, string quality, string decision);

    [LoggerMessage(7002, LogLevel.Information, "Training run {RunId} ({Kind}) skipped: {Reason}")]
    public static partial void TrainingSkipped(ILogger logger, Guid runId, string kind, string reason);

    [LoggerMessage(7003, LogLevel.Error, "Training run {RunId} ({Kind}) failed")]
    public static partial void TrainingFailed(ILogger logger, Exception e, Guid runId, string kind);

    [LoggerMessage(7004, LogLevel.Information, "{Kind} version {Version} activated by {By} ({How})")]
    public static partial void ModelActivated(ILogger logger, string kind, int version, string by, string how);

    [LoggerMessage(7005, LogLevel.Information, "Scored {Customers} customers in {Seconds:0.0} s (read {ReadSeconds:0.0} s, score {ScoreSeconds:0.0} s, save {SaveSeconds:0.0} s)")]
    public static partial void ProfilesScored(ILogger logger, int customers, double seconds, double readSeconds, double scoreSeconds, double saveSeconds);

    [LoggerMessage(7010, LogLevel.Information, "KPI rollups: {Interactions} order interactions of the timeline's history rolled up")]
    public static partial void KpiHistoryRolledUp(ILogger logger, int interactions);

    [LoggerMessage(7011, LogLevel.Information, "KPI rollups: {Visits} visits made from the timeline's product views")]
    public static partial void KpiVisitsRolledUp(ILogger logger, int visits);

    [LoggerMessage(7012, LogLevel.Information, "KPI rollups: {Rows} day rows made again from the facts")]
    public static partial void KpiDaysRebuilt(ILogger logger, int rows);

    [LoggerMessage(7013, LogLevel.Information, "KPI rollups: {Sets} customer-day sets made again from the facts")]
    public static partial void CustomerDaysRebuilt(ILogger logger, int sets);
}
