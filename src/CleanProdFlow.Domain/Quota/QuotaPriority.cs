namespace CleanProdFlow.Domain.Quota;

/// <summary>
/// Priority of a buyer or an EIA case's allocation (measure 8, 总量指标优先保障), always computed from the register at
/// the moment it is used: an enterprise whose certificate was revoked is no longer advanced and so loses it.
/// Lower ranks come first; equal ranks go by age.
/// </summary>
public static class QuotaPriority
{
    /// <summary>An advanced enterprise with an EIA case being processed (the projects the measure names).</summary>
    public const int AdvancedWithEiaProject = 0;

    public const int Advanced = 1;

    public const int Other = 2;

    public static int RankOf(bool advanced, bool eiaCaseRunning) =>
        !advanced ? Other : eiaCaseRunning ? AdvancedWithEiaProject : Advanced;
}

/// <summary>Where an offer, deposit or allocation stands.</summary>
public static class QuotaStatus
{
    public const string Review = "review";
    public const string Listed = "listed";
    public const string Settled = "settled";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";
    public const string Deposited = "deposited";

    public const string Waiting = "waiting";
    public const string Escalated = "escalated";
    public const string Allocated = "allocated";
    /// <summary>Balanced outside the ledger (e.g. a regional reduction the officer names), recorded as such.</summary>
    public const string Outside = "outside";

    public const string BidOpen = "open";
    public const string BidFilled = "filled";
    /// <summary>Withdrawn by the buyer's city officer before any offer was matched to it.</summary>
    public const string BidWithdrawn = "withdrawn";
}
