namespace CleanProdFlow.Engine.Expressions;

/// <summary>The three timer definitions of BPMN 2.0: timeDate, timeDuration and timeCycle.</summary>
public enum TimerKind
{
    Date,
    Duration,
    Cycle,
}
