using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Eligibility;

namespace CleanProdFlow.Domain.Facts;

/// <summary>An administrative penalty decision to record, checked field by field.</summary>
public sealed record NewPenalty(string? DecisionNumber, string? DecidedOn, string? Authority, bool? EcoEnvironmental, bool? Annulled)
{
    public (Penalty? Penalty, IReadOnlyList<FieldError> Errors) Check(DateOnly today)
    {
        var errors = new List<FieldError>();
        var number = FactInput.Text(DecisionNumber, "decisionNumber", 200, true, errors);
        var decidedOn = FactInput.Date(DecidedOn, "decidedOn", today, errors);
        var authority = FactInput.Text(Authority, "authority", 200, true, errors);
        if (EcoEnvironmental is null)
            errors.Add(new("ecoEnvironmental", new("须说明是否为生态环境类处罚", "ecoEnvironmental (true or false) is required")));
        return errors.Count > 0
            ? (null, errors)
            : (new Penalty(number!, decidedOn!.Value, authority!, EcoEnvironmental!.Value, Annulled ?? false), errors);
    }
}
