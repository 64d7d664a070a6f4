using System.Globalization;

namespace Centric.Server.Support.Sla;

/// <summary>
/// Working time of the support team: opening hours per weekday and holidays, in one time zone. Pure arithmetic (no
/// clock, no database) so SLA targets can be tested exhaustively. All instants in and out are UTC.
/// Opening hours are local wall-clock times; across a daylight-saving change a working day simply has an hour more or less.
/// </summary>
public sealed class BusinessHours
{
    private readonly TimeZoneInfo _zone;
    private readonly (TimeOnly Open, TimeOnly Close)?[] _week = new (TimeOnly, TimeOnly)?[7];
    private readonly HashSet<DateOnly> _holidays;

    /// <summary>Round the clock, every day: what SLAs use when no business hours are configured.</summary>
    public static BusinessHours AlwaysOpen { get; } = new(TimeZoneInfo.Utc,
        Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => (TimeOnly.MinValue, TimeOnly.MaxValue)), []);

    public BusinessHours(TimeZoneInfo zone, IReadOnlyDictionary<DayOfWeek, (TimeOnly Open, TimeOnly Close)> week, IEnumerable<DateOnly> holidays)
    {
        _zone = zone;
        foreach (var (day, hours) in week)
        {
            if (hours.Close <= hours.Open) throw new ArgumentException($"{day}: closing time must be after opening time.", nameof(week));
            _week[(int)day] = hours;
        }
        _holidays = [.. holidays];
    }

    public TimeZoneInfo Zone => _zone;

    public bool IsOpen(DateTime utc) => Intervals(LocalDate(utc)).Any(i => i.From <= utc && utc < i.To);

    /// <summary>The instant at which <paramref name="work"/> of working time has passed after <paramref name="startUtc"/>.</summary>
    public DateTime Add(DateTime startUtc, TimeSpan work)
    {
        if (work < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(work), "Working time cannot be negative.");
        var left = work;
        var day = LocalDate(startUtc);
        // A year of closed days means the calendar is misconfigured (every day a holiday); stop rather than loop forever.
        for (var guard = 0; guard < 800; guard++, day = day.AddDays(1))
        {
            foreach (var (from, to) in Intervals(day))
            {
                var begin = from > startUtc ? from : startUtc;
                if (begin >= to) continue;
                if (left == TimeSpan.Zero) return begin;
                var available = to - begin;
                if (left <= available) return begin + left;
                left -= available;
            }
        }
        throw new InvalidOperationException("The business calendar has no working time in the next two years.");
    }

    /// <summary>Working time between two instants (zero when <paramref name="toUtc"/> is not after <paramref name="fromUtc"/>).</summary>
    public TimeSpan Between(DateTime fromUtc, DateTime toUtc)
    {
        if (toUtc <= fromUtc) return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        var last = LocalDate(toUtc);
        for (var day = LocalDate(fromUtc); day <= last; day = day.AddDays(1))
        {
            foreach (var (from, to) in Intervals(day))
            {
                var begin = from > fromUtc ? from : fromUtc;
                var end = to < toUtc ? to : toUtc;
                if (end > begin) total += end - begin;
            }
        }
        return total;
    }

    /// <summary>The working interval of one local date in UTC, or none on a closed day or holiday.</summary>
    private IEnumerable<(DateTime From, DateTime To)> Intervals(DateOnly day)
    {
        if (_holidays.Contains(day) || _week[(int)day.DayOfWeek] is not { } hours) yield break;
        var from = ToUtc(day.ToDateTime(hours.Open));
        // TimeOnly.MaxValue means "until midnight".
        var to = hours.Close == TimeOnly.MaxValue ? ToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue)) : ToUtc(day.ToDateTime(hours.Close));
        if (to > from) yield return (from, to);
    }

    private DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone));

    private DateTime ToUtc(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A wall-clock time skipped by a spring-forward change is taken as the first valid minute after it.
        while (_zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        return TimeZoneInfo.ConvertTimeToUtc(local, _zone);
    }

    /// <summary>
    /// Parses the stored form: hours as "mon 09:00-17:00; tue 09:00-17:00; …" (days not listed are closed) and holidays as
    /// ISO dates separated by spaces or commas. Throws <see cref="FormatException"/> with a readable message.
    /// </summary>
    public static BusinessHours Parse(string timeZone, string hours, string? holidays)
    {
        TimeZoneInfo zone;
        try { zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone.Trim()); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        { throw new FormatException($"Unknown time zone '{timeZone}' (use an IANA name such as Europe/Lisbon)."); }
        var week = new Dictionary<DayOfWeek, (TimeOnly, TimeOnly)>();
        foreach (var part in hours.Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = part.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (bits.Length != 2 || DayOf(bits[0]) is not { } day) throw new FormatException($"'{part}': expected a day and hours, e.g. 'mon 09:00-17:00'.");
            var range = bits[1].Split('-', StringSplitOptions.TrimEntries);
            if (range.Length != 2 || !TimeOnly.TryParseExact(range[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var open)
                || !(range[1] == "24:00" || TimeOnly.TryParseExact(range[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
                throw new FormatException($"'{part}': hours as HH:mm-HH:mm.");
            var close = range[1] == "24:00" ? TimeOnly.MaxValue : TimeOnly.ParseExact(range[1], "HH:mm", CultureInfo.InvariantCulture);
            if (close <= open) throw new FormatException($"'{part}': closing time must be after opening time.");
            week[day] = (open, close);
        }
        var dates = new List<DateOnly>();
        foreach (var text in (holidays ?? "").Split([' ', ',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                throw new FormatException($"Holiday '{text}': use yyyy-MM-dd.");
            dates.Add(date);
        }
        return new BusinessHours(zone, week, dates);
    }

    private static DayOfWeek? DayOf(string text) => text.ToLowerInvariant() switch
    {
        "mon" or "monday" => DayOfWeek.Monday,
        "tue" or "tuesday" => DayOfWeek.Tuesday,
        "wed" or "wednesday" => DayOfWeek.Wednesday,
        "thu" or "thursday" => DayOfWeek.Thursday,
        "fri" or "friday" => DayOfWeek.Friday,
        "sat" or "saturday" => DayOfWeek.Saturday,
        "sun" or "sunday" => DayOfWeek.Sunday,
        _ => null,
    };
}
