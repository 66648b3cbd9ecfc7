namespace CleanProdFlow.Engine.Runtime;

/// <summary>
/// Who acts on tasks: a user of one organisation with groups (roles). Staff see a task of their organisation when
/// one of their groups is a candidate group or the task is assigned to them; auditors read every task.
/// </summary>
public sealed record TaskActor(string Username, string Organisation, IReadOnlyList<string> Groups, bool ReadsEverything = false)
{
    public bool CanSee(TaskRecord task) =>
        ReadsEverything || (task.Organisation == Organisation && (task.Assignee == Username || task.CandidateGroups.Any(Groups.Contains)));

    public bool IsCandidate(TaskRecord task) => task.Organisation == Organisation && task.CandidateGroups.Any(Groups.Contains);
}
