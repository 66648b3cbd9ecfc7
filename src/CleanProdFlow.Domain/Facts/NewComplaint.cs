using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Facts;

/// <summary>A public complaint or report (群众投诉、举报) to record; it starts pending until verified true or false.</summary>
public sealed record NewComplaint(string? ReceivedOn, string? Summary)
{
    public (DateOnly ReceivedOn, string Summary)? Check(DateOnly today, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        var receivedOn = FactInput.Date(ReceivedOn, "receivedOn", today, found);
        var summary = FactInput.Text(Summary, "summary", 2000, true, found);
        errors = found;
        return found.Count > 0 ? null : (receivedOn!.Value, summary!);
    }
}
