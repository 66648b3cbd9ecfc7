using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Data.Tests.Runtime;

/// <summary>Runtime tests without statutory clocks: no rule is known and an instance has no clocks.</summary>
internal sealed class NoStatutoryTime : IStatutoryDueDates
{
    public bool IsKnownRule(string ruleId) => false;

    public DateTimeOffset RuleDueAt(string ruleId, bool fastTrack, DateTimeOffset from) => throw new InvalidOperationException();

    public Task<IReadOnlyDictionary<string, ClockTimes>> ClockTimesAsync(Guid instanceId, System.Data.Common.DbTransaction? transaction,
        CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, ClockTimes>>(new Dictionary<string, ClockTimes>());
}
