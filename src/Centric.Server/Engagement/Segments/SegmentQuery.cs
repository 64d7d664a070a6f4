using System.Linq.Expressions;
using System.Text.Json;
using Centric.Server.Commerce.Contracts;
using Centric.Server.Customers.Contracts;
using Centric.Server.Insights.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Support.Contracts;

// ToLower() == in these expressions is translated to SQL (lower(x) = @v); the string-comparison overloads the analyser suggests are not.
#pragma warning disable CA1862
namespace Centric.Server.Engagement.Segments;

/// <summary>
/// Turns a validated <see cref="SegmentRule"/> into one predicate over live profiles, so a segment is counted or listed by a
/// single database query on SQLite and PostgreSQL alike — never by loading profiles into memory. Each condition becomes a
/// column test or a correlated EXISTS / IN over another module's facts (orders, tickets, scores, consent) or the interaction
/// log; AND/OR groups become AND/OR in SQL. "In the last D days" is measured from <paramref name="now"/>.
/// </summary>
internal sealed class SegmentQuery(CentricDbContext db, DateTime now)
{
    private readonly ProfileFacts profiles = new(db);
    private readonly IQueryable<ConsentFact> consents = new ProfileFacts(db).Consents;
    private readonly IQueryable<OrderFact> orders = new OrderFacts(db).All;
    private readonly IQueryable<TicketFact> tickets = new TicketFacts(db).All;
    private readonly IQueryable<ScoreFact> scores = new ScoreFacts(db).All;
    private readonly IQueryable<Interaction> interactions = db.Interactions;

    /// <summary>The live profiles the rule matches.</summary>
    public IQueryable<ProfileFact> Matching(SegmentRule rule) => profiles.Live.Where(Predicate(rule));

    public Expression<Func<ProfileFact, bool>> Predicate(SegmentRule rule)
    {
        var p = Expression.Parameter(typeof(ProfileFact), "p");
        return Expression.Lambda<Func<ProfileFact, bool>>(Group(rule.Match, rule.Conditions!, p), p);
    }

    private Expression Group(string? match, IReadOnlyList<SegmentCondition> conditions, ParameterExpression p)
    {
        var parts = conditions.Select(c => Condition(c, p));
        return match == SegmentRules.Any ? parts.Aggregate(Expression.OrElse) : parts.Aggregate(Expression.AndAlso);
    }

    private Expression Condition(SegmentCondition c, ParameterExpression p) => c.Kind switch
    {
        "group" => Group(c.Match, c.Conditions!, p),
        "trait" => Trait(c, p),
        "consent" => Consent(c, p),
        "aggregate" => Aggregate(c, p),
        "insight" => Insight(c, p),
        "behaviour" => Behaviour(c, p),
        _ => throw new ArgumentException("Unvalidated rule: kind " + c.Kind),
    };

    private static Expression Trait(SegmentCondition c, ParameterExpression p)
    {
        var name = c.Trait!;
        Expression<Func<ProfileFact, string?>> read = name switch
        {
            "email" => f => f.Email,
            "firstName" => f => f.FirstName,
            "lastName" => f => f.LastName,
            _ => f => JsonText.Member(f.Traits, name),
        };
        var value = (SegmentRules.Text(c.Value) ?? "").ToLowerInvariant();
        Expression<Func<string?, bool>> test = c.Op switch
        {
            "eq" => s => s != null && s.ToLower() == value,
            "neq" => s => s == null || s.ToLower() != value,
            "contains" => s => s != null && s.ToLower().Contains(value),
            "exists" => s => s != null && s != "",
            _ => s => s == null || s == "",
        };
        return Apply(test, Apply(read, p));
    }

    private Expression Consent(SegmentCondition c, ParameterExpression p)
    {
        var (channel, purpose) = (c.Channel!, c.Purpose!);
        // The rule of IConsent: marketing needs a yes; service is allowed unless refused.
        Expression<Func<ProfileFact, bool>> may = purpose == ConsentPurposes.Service
            ? f => !consents.Any(k => k.ProfileId == f.Id && k.Channel == channel && k.Purpose == purpose && !k.Granted)
            : f => consents.Any(k => k.ProfileId == f.Id && k.Channel == channel && k.Purpose == purpose && k.Granted);
        var body = Apply(may, p);
        return c.Granted == false ? Expression.Not(body) : body;
    }

    private Expression Aggregate(SegmentCondition c, ParameterExpression p)
    {
        var v = SegmentRules.Number(c.Value)!.Value;
        switch (c.Field)
        {
            case "orders":
                return Compare(Apply((Expression<Func<ProfileFact, long>>)(f => orders.LongCount(o => o.ProfileId == f.Id && !o.Cancelled)), p), c.Op!, v);
            case "spend":
                return Compare(Apply((Expression<Func<ProfileFact, long>>)(f => orders.Where(o => o.ProfileId == f.Id && o.Paid).Sum(o => (long?)o.TotalMinor) ?? 0L), p),
                    c.Op!, Math.Round(v * 100));
            case "tickets":
                return Compare(Apply((Expression<Func<ProfileFact, long>>)(f => tickets.LongCount(t => t.ProfileId == f.Id)), p), c.Op!, v);
            case "openTickets":
                return Compare(Apply((Expression<Func<ProfileFact, long>>)(f => tickets.LongCount(t => t.ProfileId == f.Id && t.Open)), p), c.Op!, v);
            default:
                // Days since the last order: "at least N days" = has ordered, and not since N days ago; "under N days" = ordered since then.
                // Written as EXISTS tests, so PostgreSQL plans them as (anti-)joins rather than a MAX per profile.
                var days = (int)Math.Floor(v);
                var (cutoff, lateCutoff) = (now.AddDays(-days), now.AddDays(-days - 1));
                Expression<Func<ProfileFact, bool>> test = c.Op switch
                {
                    "gte" => f => orders.Any(o => o.ProfileId == f.Id && !o.Cancelled) && !orders.Any(o => o.ProfileId == f.Id && !o.Cancelled && o.PlacedAt > cutoff),
                    "gt" => f => orders.Any(o => o.ProfileId == f.Id && !o.Cancelled) && !orders.Any(o => o.ProfileId == f.Id && !o.Cancelled && o.PlacedAt > lateCutoff),
                    "lte" => f => orders.Any(o => o.ProfileId == f.Id && !o.Cancelled && o.PlacedAt >= lateCutoff),
                    _ => f => orders.Any(o => o.ProfileId == f.Id && !o.Cancelled && o.PlacedAt > cutoff),
                };
                return Apply(test, p);
        }
    }

    private MethodCallExpression Insight(SegmentCondition c, ParameterExpression p)
    {
        var v = SegmentRules.Number(c.Value)!.Value;
        var s = Expression.Parameter(typeof(ScoreFact), "s");
        Expression score = c.Field switch
        {
            "decile" => Expression.Convert(Expression.Property(s, nameof(ScoreFact.Decile)), typeof(double?)),
            "churnRisk" => Expression.Property(s, nameof(ScoreFact.ChurnRisk)),
            "clv" => Expression.Property(s, nameof(ScoreFact.Clv12m)),
            _ => Expression.Property(s, nameof(ScoreFact.Sentiment)),
        };
        // A profile without that score (not scored yet, no model) never matches, whatever the comparison.
        var scored = Expression.AndAlso(
            Expression.Equal(Expression.Property(s, nameof(ScoreFact.ProfileId)), Expression.Property(p, nameof(ProfileFact.Id))),
            Expression.AndAlso(Expression.NotEqual(score, Expression.Constant(null, typeof(double?))),
                Compare(Expression.Convert(score, typeof(double)), c.Op!, v)));
        return Expression.Call(typeof(Queryable), nameof(Queryable.Any), [typeof(ScoreFact)], scores.Expression,
            Expression.Quote(Expression.Lambda<Func<ScoreFact, bool>>(scored, s)));
    }

    private Expression Behaviour(SegmentCondition c, ParameterExpression p)
    {
        var type = InteractionTypes.Find(c.Type!)!;
        var name = type.Name;
        var since = now.AddDays(-c.Days!.Value);
        var window = interactions.Where(i => i.Type == name && i.OccurredAt >= since);
        foreach (var (key, raw) in c.Where ?? new Dictionary<string, string>())
        {
            var (property, isList) = SegmentRules.PropertyOf(type, key)!.Value;
            var value = raw.ToLowerInvariant();
            if (isList)
            {
                // A list is read as its JSON text; the value is looked for with its quotes, as the list holds it.
                var quoted = JsonSerializer.Serialize(value);
                window = window.Where(i => JsonText.Member(i.Properties, property)!.ToLower().Contains(quoted));
            }
            else
            {
                window = window.Where(i => JsonText.Member(i.Properties, property)!.ToLower() == value);
            }
        }
        var atLeast = c.AtLeast ?? 1;
        Expression<Func<ProfileFact, bool>> did = atLeast == 1
            ? f => window.Any(i => i.ProfileId == f.Id)
            // IN over the grouped window: PostgreSQL hashes the (type, time)-bounded set once instead of counting per profile.
            : f => window.GroupBy(i => i.ProfileId).Where(g => g.Count() >= atLeast).Select(g => g.Key).Contains(f.Id);
        var body = Apply(did, p);
        return c.Did == false ? Expression.Not(body) : body;
    }

    private static BinaryExpression Compare(Expression left, string op, double value)
    {
        var right = left.Type == typeof(long) ? Expression.Constant((long)Math.Round(value)) : (Expression)Expression.Constant(value, left.Type);
        return op switch
        {
            "eq" => Expression.Equal(left, right),
            "neq" => Expression.NotEqual(left, right),
            "gt" => Expression.GreaterThan(left, right),
            "gte" => Expression.GreaterThanOrEqual(left, right),
            "lt" => Expression.LessThan(left, right),
            _ => Expression.LessThanOrEqual(left, right),
        };
    }

    /// <summary>The body of <paramref name="lambda"/> with its parameter replaced by <paramref name="argument"/>.</summary>
    private static Expression Apply(LambdaExpression lambda, Expression argument) =>
        new Replace(lambda.Parameters[0], argument).Visit(lambda.Body);

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
