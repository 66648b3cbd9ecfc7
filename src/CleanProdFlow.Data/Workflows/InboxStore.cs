using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using Dapper;

namespace CleanProdFlow.Data.Workflows;

/// <summary>The staff inbox's filters: everything <see cref="TaskQuery"/> filters, plus two the engine's API has no use for.</summary>
public sealed record InboxQuery
{
    public required TaskQuery Tasks { get; init; }

    /// <summary>Tasks this user completed (the inbox's "completed" tab).</summary>
    public string? CompletedBy { get; init; }

    /// <summary>
    /// An enterprise: its exact unified social credit code or part of its name. Matches a case whose business key or
    /// <see cref="InboxStore.CreditCodeVariable"/> variable is that code (or the code of a registered enterprise of that
    /// name), or whose <see cref="InboxStore.EnterpriseNameVariable"/> variable contains the text.
    /// </summary>
    public string? Enterprise { get; init; }
}

/// <summary>
/// The task list of the engine's API (<see cref="WorkflowStore.ListTasksAsync"/> delegates here) and of the inbox page:
/// visibility, keyset order by due date (nulls last) then id, and the inbox's extra filters.
/// Tasks do not carry the enterprise, so that filter looks at the case (instance variables) and the register; it is
/// checked per candidate task (no index), which is fine beside the indexed visibility and status filters.
/// </summary>
public sealed class InboxStore(CpfDatabase database)
{
    /// <summary>The case variable holding the enterprise's credit code (cases keyed by their own case number set it).</summary>
    public const string CreditCodeVariable = "creditCode";

    /// <summary>The case variable holding the enterprise's name.</summary>
    public const string EnterpriseNameVariable = "enterpriseName";

    public async Task<IReadOnlyList<TaskRecord>> ListTasksAsync(InboxQuery inbox, CancellationToken cancellationToken = default)
    {
        var query = inbox.Tasks;
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(inbox));
        if (query.Organisations is { Count: 0 } || query.Groups is { Count: 0 })
            return [];

        var dialect = database.Dialect;
        var where = new List<string>();
        // One organisation (every staff member's case) as an equality: then the inbox index (status, organisation,
        // due_at, id) yields the due-date order and the page stops after its rows; PostgreSQL sorts a whole city's
        // open tasks for "= ANY(array)" (benchmark of 1,000,000 tasks: first page p95 40 ms before, 3.5 ms after).
        if (query.Organisations is { Count: 1 })
            where.Add("t.organisation = @organisation");
        else if (query.Organisations is not null)
            where.Add(dialect.InList("t.organisation", "@organisations"));
        if (query.Groups is not null)
            where.Add($"EXISTS (SELECT 1 FROM workflow_task_candidate_groups vg WHERE vg.task_id = t.id AND {dialect.InList("vg.group_name", "@groups")})");
        if (query.CandidateGroup is not null)
            where.Add("EXISTS (SELECT 1 FROM workflow_task_candidate_groups fg WHERE fg.task_id = t.id AND fg.group_name = @candidateGroup)");
        if (query.Assignee is not null)
            where.Add("t.assignee = @assignee");
        if (query.Status is not null)
            where.Add("t.status = @status");
        if (query.InstanceId is not null)
            where.Add("t.instance_id = @instanceId");
        if (query.DefinitionKey is not null)
            where.Add("t.definition_key = @definitionKey");
        if (query.BusinessKey is not null)
            where.Add("t.business_key = @businessKey");
        if (inbox.CompletedBy is not null)
            where.Add("t.completed_by = @completedBy");
        var enterprise = inbox.Enterprise?.Trim();
        if (!string.IsNullOrEmpty(enterprise))
        {
            var code = Variable("i.state", CreditCodeVariable);
            var named = "SELECT e.credit_code FROM enterprises e WHERE e.name LIKE @enterprisePattern ESCAPE '!'";
            where.Add("EXISTS (SELECT 1 FROM workflow_instances i WHERE i.id = t.instance_id AND (" +
                      $"t.business_key = @enterpriseCode OR {code} = @enterpriseCode " +
                      $"OR {Variable("i.state", EnterpriseNameVariable)} LIKE @enterprisePattern ESCAPE '!' " +
                      $"OR t.business_key IN ({named}) OR {code} IN ({named})))");
        }
        if (query.After is { DueAt: not null })
            where.Add("(t.due_at > @afterDue OR (t.due_at = @afterDue AND t.id > @afterId) OR t.due_at IS NULL)");
        else if (query.After is not null)
            where.Add("(t.due_at IS NULL AND t.id > @afterId)");

        var page = dialect.Limit(
            $"SELECT {TaskRow.Columns} FROM workflow_tasks t{(where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")} " +
            $"ORDER BY {DueDateOrder("t.due_at", "t.id")}", "@limit");
        var sql = $"SELECT p.*, g.group_name AS GroupName FROM ({page}) p LEFT JOIN workflow_task_candidate_groups g ON g.task_id = p.Id " +
                  $"ORDER BY {DueDateOrder("p.DueAt", "p.Id")}, g.group_name";

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TaskRow>(new CommandDefinition(sql, new
        {
            organisations = query.Organisations?.ToArray(),
            organisation = query.Organisations is { Count: 1 } ? query.Organisations[0] : null,
            groups = query.Groups?.ToArray(),
            candidateGroup = query.CandidateGroup,
            assignee = query.Assignee,
            status = query.Status is { } status ? WorkflowText.Of(status) : null,
            instanceId = query.InstanceId,
            definitionKey = query.DefinitionKey,
            businessKey = query.BusinessKey,
            completedBy = inbox.CompletedBy,
            // Credit codes are upper case (GB 32100-2015); a name is matched as typed, its own wildcards escaped.
            enterpriseCode = enterprise?.ToUpperInvariant(),
            enterprisePattern = enterprise is null ? null : $"%{EscapeLike(enterprise)}%",
            afterDue = Instants.ForStorage(query.After?.DueAt),
            afterId = query.After?.Id,
            limit = query.Limit,
        }, cancellationToken: cancellationToken));
        return TaskRow.ToRecords(rows);
    }

    /// <summary>A top-level variable of the instance's state JSON as text, in each provider's words.</summary>
    private string Variable(string stateColumn, string name) => database.Provider switch
    {
        DatabaseProvider.Sqlite => $"json_extract({stateColumn}, '$.variables.{name}')",
        DatabaseProvider.Postgres => $"(({stateColumn})::jsonb -> 'variables' ->> '{name}')",
        DatabaseProvider.SqlServer => $"JSON_VALUE({stateColumn}, '$.variables.{name}')",
        _ => throw new ArgumentOutOfRangeException(nameof(database.Provider)),
    };

    /// <summary>"Due date ascending, no due date last, then id" in each provider's words (the inbox index serves it).</summary>
    private string DueDateOrder(string dueColumn, string idColumn) => database.Provider switch
    {
        DatabaseProvider.Postgres => $"{dueColumn}, {idColumn}",
        DatabaseProvider.Sqlite => $"{dueColumn} NULLS LAST, {idColumn}",
        DatabaseProvider.SqlServer => $"CASE WHEN {dueColumn} IS NULL THEN 1 ELSE 0 END, {dueColumn}, {idColumn}",
        _ => throw new ArgumentOutOfRangeException(nameof(database.Provider)),
    };

    private static string EscapeLike(string text) => text.Replace("!", "!!").Replace("%", "!%").Replace("_", "!_").Replace("[", "![");
}
