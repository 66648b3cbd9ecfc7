using System.Globalization;
using CleanProdFlow.Data.Reception;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Compliance;
using CleanProdFlow.Domain.Reception;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Web.Timing;

namespace CleanProdFlow.Web.Api.Reception;

/// <summary>What the reception-day API answers: instants in Beijing time, names in the caller's language beside the codes.</summary>
public static class ReceptionViews
{
    public sealed record SessionView(Guid Id, string Organisation, string OrganisationName, DateOnly Date, string Place, string Host, string? Topic,
        DateTimeOffset CreatedAt, string CreatedBy);

    /// <summary>
    /// One request of a session's list. <c>DueDate</c> is the last day of the answer limit (the answer clock, from the
    /// session date); <c>Timing</c> is on-time | late (answered after it) | running | overdue (unanswered past it);
    /// <c>OnTime</c> is null while that is not decided. The re-handling round has its own due date and result.
    /// </summary>
    public sealed record RequestView(string RequestNumber, Guid SessionId, DateOnly SessionDate, string CreditCode, string EnterpriseName,
        string ContactName, string? ContactPhone, string Category, string CategoryName, string Request, string? Office, string? OfficeName,
        string? ReferredTo, string Status, string StatusName, string? DueDate, DateTimeOffset? AnsweredAt, string? Timing, bool? OnTime,
        string? Satisfaction, string? SatisfactionName, string? RehandleDueDate, DateTimeOffset? RehandledAt, string? RehandleTiming,
        DateTimeOffset? ClosedAt, Guid? InstanceId, DateTimeOffset CreatedAt, string CreatedBy);

    public sealed record SessionListView(SessionView Session, int Count, IReadOnlyList<RequestView> Requests);

    public static SessionView ViewOf(ReceptionSession s) =>
        new(s.Id, s.Organisation, Organisation.Find(s.Organisation) is { } o ? Name(o) : s.Organisation, s.Date, s.Place, s.Host, s.Topic,
            s.CreatedAt.ToBeijing(), s.CreatedBy);

    /// <summary>The requests with their due dates and results as of <paramref name="now"/>, read from each instance's clocks.</summary>
    public static async Task<List<RequestView>> ViewsOfAsync(IEnumerable<ReceptionRequest> requests, ClockStore clocks, StatutoryTime statutory,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var views = new List<RequestView>();
        foreach (var r in requests)
        {
            Clock? answer = null, rehandle = null;
            if (r.InstanceId is { } id)
            {
                var prefix = WorkflowRuntime.ClockSubject(id, "");
                foreach (var stored in await clocks.ListBySubjectPrefixAsync(prefix, cancellationToken))
                {
                    var name = stored.Subject[prefix.Length..];
                    if (name == ReceptionTerms.AnswerClock)
                        answer = stored.Clock;
                    else if (name == ReceptionTerms.RehandleClock)
                        rehandle = stored.Clock;
                }
            }
            var verdict = answer is null ? null : ClockCompliance.Judge(answer, now, statutory.Calendar);
            var rehandleVerdict = rehandle is null ? null : ClockCompliance.Judge(rehandle, now, statutory.Calendar);
            views.Add(new RequestView(r.RequestNumber, r.SessionId, r.SessionDate, r.CreditCode, r.EnterpriseName, r.ContactName, r.ContactPhone,
                r.Category, Term(ReceptionTerms.Categories, r.Category)!, r.Request, r.Office, Term(ReceptionTerms.Offices, r.Office), r.ReferredTo,
                r.Status, Term(ReceptionStatus.Names, r.Status)!, Day(verdict?.DueAt), r.AnsweredAt?.ToBeijing(), Word(verdict?.Result),
                verdict?.Result switch { ComplianceResult.OnTime => true, ComplianceResult.Late or ComplianceResult.Overdue => false, _ => null },
                r.Satisfaction, Term(ReceptionTerms.Satisfactions, r.Satisfaction), Day(rehandleVerdict?.DueAt), r.RehandledAt?.ToBeijing(),
                Word(rehandleVerdict?.Result), r.ClosedAt?.ToBeijing(), r.InstanceId, r.CreatedAt.ToBeijing(), r.CreatedBy));
        }
        return views;
    }

    public static string? Word(ComplianceResult? result) => result switch
    {
        null => null,
        ComplianceResult.OnTime => "on-time",
        ComplianceResult.Late => "late",
        ComplianceResult.Running => "running",
        ComplianceResult.Overdue => "overdue",
        ComplianceResult.Paused => "paused",
        _ => "cancelled",
    };

    /// <summary>The last day of a limit: the due instant is 24:00 of it.</summary>
    private static string? Day(DateTimeOffset? dueAt) => dueAt is { } due ? BeijingTime.Format(BeijingTime.DateOf(due.AddTicks(-1))) : null;

    private static string? Term(IReadOnlyDictionary<string, Domain.Common.LocalizedText> names, string? code) =>
        code is null ? null : ReceptionTerms.Name(names, code, CultureInfo.CurrentUICulture);

    private static string Name(Organisation o) => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? o.NameEn : o.NameZh;
}
