using CleanProdFlow.Data.Eia;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Eia;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Api.Clocks;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using static CleanProdFlow.Web.Api.Workflows.WorkflowViews;

namespace CleanProdFlow.Web.Api.Eia;

/// <summary>What the EIA API answers: instants in Beijing time, names in the caller's language beside the codes.</summary>
public static class EiaViews
{
    public sealed record ApplicationView(string CaseNumber, string City, string CreditCode, string EnterpriseName, string ProjectName,
        string Kind, string KindName, string DocumentType, string DocumentTypeName, IReadOnlyDictionary<string, decimal> QuotaNeeds,
        DateTimeOffset ReceivedAt, DateOnly AcceptanceDate, DateTimeOffset CreatedAt, string CreatedBy);

    public sealed record FastTrackEndedView(DateTimeOffset At, string? Reason);

    public sealed record CaseInstanceView(Guid Id, string DefinitionKey, int Version, string Status, IReadOnlyList<string> ActiveElementIds,
        IReadOnlyList<IncidentView> Incidents);

    /// <summary>The answer to an accepted application: its number, the track and why, and where it stands right away.</summary>
    public sealed record SubmittedView(string CaseNumber, string Track, string TrackReason, EnterpriseEndpoints.EligibilityView Eligibility,
        Guid? InstanceId, string DefinitionKey, string Status, string StatusName, ClockEndpoints.ClockView? DecisionClock, IReadOnlyList<TaskView> Tasks);

    /// <summary>The case view: the application, its track and reason, status, current tasks, every clock explained, the journal.</summary>
    public sealed record CaseView(ApplicationView Application, string Track, string TrackReason, EnterpriseEndpoints.EligibilityView Eligibility,
        FastTrackEndedView? FastTrackEnded, string Status, string StatusName, DateTimeOffset StatusChangedAt, CaseInstanceView? Instance,
        IReadOnlyList<TaskView> Tasks, IReadOnlyList<ClockEndpoints.ClockView> Clocks, IReadOnlyList<JournalView> Journal);

    public static ApplicationView ViewOf(EiaApplication a) =>
        new(a.CaseNumber, a.City, a.CreditCode, a.EnterpriseName, a.ProjectName, a.Kind, Name(EiaTerms.Kinds, a.Kind), a.DocumentType,
            Name(EiaTerms.DocumentTypes, a.DocumentType), a.QuotaNeeds, a.ReceivedAt.ToBeijing(), a.AcceptanceDate, a.CreatedAt.ToBeijing(), a.CreatedBy);

    public static string TrackReason(EiaApplication a) => new LocalizedText(a.TrackReasonZh, a.TrackReasonEn).In();

    public static string StatusName(string status) => Name(EiaStatus.Names, status);

    private static string Name(IReadOnlyDictionary<string, LocalizedText> names, string code) => names.TryGetValue(code, out var name) ? name.In() : code;
}
