namespace CleanProdFlow.Domain.Eligibility;

/// <summary>An administrative penalty decision (行政处罚决定) recorded against an enterprise.</summary>
public sealed record Penalty(string DecisionNumber, DateOnly DecidedOn, string Authority, bool EcoEnvironmental, bool Annulled)
{
    /// <summary>Whether it bars eligibility: an eco-environmental penalty that was not annulled.</summary>
    public bool Counts => EcoEnvironmental && !Annulled;
}
