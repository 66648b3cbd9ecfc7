using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Tests.Execution;

/// <summary>A controllable environment: a settable now, predictable ids, rule deadlines of N days and named clocks.</summary>
internal sealed class FakeEnvironment : IExecutionEnvironment
{
    private int _next;

    public DateTimeOffset Now { get; set; } = new(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8));

    public Dictionary<string, int> RuleDays { get; } = new() { ["eia.acceptance"] = 5 };

    public Dictionary<string, DateTimeOffset?> Clocks { get; } = [];

    public Guid NewId() => new($"00000000-0000-0000-0000-{++_next:D12}");

    public DateTimeOffset? DueAt(DueDateBinding binding, InstanceState instance, DateTimeOffset from) =>
        binding.TimeLimitRuleId is { } rule
            ? from.AddDays(RuleDays[rule])
            : Clocks.TryGetValue(binding.ClockName!, out var due) ? due : null;
}
