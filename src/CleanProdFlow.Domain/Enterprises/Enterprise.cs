namespace CleanProdFlow.Domain.Enterprises;

/// <summary>An enterprise of the register, with validated details.</summary>
public sealed record Enterprise(string CreditCode, string Name, string City, string? County, string? Industry, string? Address, bool OnlineMonitoring);

/// <summary>A clean-production audit accepted (验收) by the authority, with its level.</summary>
public sealed record AuditResult(string CreditCode, DateOnly AcceptedOn, AuditLevel Level, string Authority, string DocumentNumber);
