using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Reliability;

/// <summary>
/// The harness's idea of the nodes' virtual time: the real time plus an offset that only grows, as the product's
/// VirtualTimeProvider keeps it. A node started again starts a little after it, so its clock never goes back.
/// </summary>
public sealed class HarnessClock(DateTimeOffset start)
{
    private readonly Lock _lock = new();
    private TimeSpan _offset = start - TimeProvider.System.GetUtcNow();

    public DateTimeOffset Now
    {
        get { lock (_lock) return TimeProvider.System.GetUtcNow() + _offset; }
    }

    /// <summary>Moves the harness's time to <paramref name="target"/> when that is later (an advance was asked for).</summary>
    public void MoveTo(DateTimeOffset target)
    {
        lock (_lock)
        {
            var real = TimeProvider.System.GetUtcNow();
            if (target > real + _offset)
                _offset = target - real;
        }
    }

    public static string Iso(DateTimeOffset instant) =>
        instant.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}

/// <summary>
/// Fast-track EIA cases through the API (the requests of tests/CleanProdFlow.Web.Tests/Eia): eligible enterprises
/// registered in Suzhou, applications (report form, no quota) submitted with an Idempotency-Key, every open task of
/// eia-fast-track completed by a demo user of its group with its form filled in, and the virtual clock moved a day
/// at a time so the publicity periods and the decision clock's reminders fire.
/// </summary>
public sealed class EiaDriver(HarnessApi api, Acknowledged acknowledged, HarnessClock clock, int clients)
{
    public const string DefinitionKey = "eia-fast-track";
    public const string Admin = "admin.province";
    public const string Auditor = "auditor.province";

    private readonly Dictionary<int, (string Key, string ReceivedAt, string CreditCode)> _submissions = [];

    /// <summary>
    /// Tasks already acknowledged as completed: never sent again, so a completion that was answered 2xx but not kept
    /// stays visible (an open task, a lost command) instead of being repaired by the harness's own retry.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, bool> _completed = new();
    private int _serverErrorsSeen;

    public HarnessApi Api => api;

    /// <summary>Registers eligible enterprises (a level-Ⅱ audit accepted in 2025); returns their credit codes.</summary>
    public async Task<IReadOnlyList<string>> RegisterEnterprisesAsync(int count, int firstNumber)
    {
        var codes = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var code = CreditCode(firstNumber + i);
            var created = await api.PostAsync("acceptance.suzhou", "/api/v1/enterprises", new
            {
                creditCode = code, name = $"江苏可靠性{code[^5..]}化工有限公司", city = "suzhou", county = "工业园区", industry = "化工",
                address = "苏州市工业园区星湖街1号", onlineMonitoring = true,
            });
            if (created.Status is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
                throw new InvalidOperationException($"register {code}: {(int)created.Status} {created.Text}");
            var audit = await api.PostAsync("audit-officer.suzhou", $"/api/v1/enterprises/{code}/audit-results",
                new { acceptedOn = "2025-06-30", level = "Ⅱ", authority = "苏州市生态环境局", documentNumber = $"苏环验〔2025〕{code[^5..]}号" });
            if (!audit.IsSuccess && audit.Status != HttpStatusCode.Conflict)
                throw new InvalidOperationException($"audit of {code}: {(int)audit.Status} {audit.Text}");
            codes.Add(code);
        }
        return codes;
    }

    /// <summary>
    /// Submits case <paramref name="index"/> (again with the same key and body when an earlier try was not answered).
    /// True when acknowledged.
    /// </summary>
    public async Task<bool> SubmitAsync(int index, string creditCode)
    {
        (string Key, string ReceivedAt, string CreditCode) submission;
        lock (_submissions)
        {
            if (!_submissions.TryGetValue(index, out submission))
                _submissions[index] = submission = ($"case-{index}", HarnessClock.Iso(clock.Now.AddMinutes(-1)), creditCode);
        }
        var answer = await api.PostAsync("acceptance.suzhou", "/api/v1/eia/applications", new
        {
            creditCode = submission.CreditCode, projectName = $"可靠性测试项目 {index}", kind = "expand", documentType = "form", city = "suzhou",
            receivedAt = submission.ReceivedAt,
        }, submission.Key);
        if (!answer.IsSuccess)
        {
            Note(answer, $"submit case {index}");
            return false;
        }
        var instance = answer.Body.GetProperty("instanceId");
        acknowledged.Add(new CaseSubmitted(answer.Body.GetProperty("caseNumber").GetString()!,
            instance.ValueKind == JsonValueKind.Null ? null : instance.GetGuid()));
        return true;
    }

    /// <summary>Submits the given cases with <c>clients</c> requests in flight; returns the indices acknowledged.</summary>
    public async Task<IReadOnlyList<int>> SubmitAllAsync(IReadOnlyList<int> indices, IReadOnlyList<string> enterprises)
    {
        var done = new System.Collections.Concurrent.ConcurrentBag<int>();
        await Parallel.ForEachAsync(indices, new ParallelOptions { MaxDegreeOfParallelism = clients }, async (index, _) =>
        {
            if (await SubmitAsync(index, enterprises[index % enterprises.Count]))
                done.Add(index);
        });
        return done.ToList();
    }

    /// <summary>The open tasks of the EIA fast track, all pages, as the province's auditor sees them.</summary>
    public async Task<IReadOnlyList<JsonElement>> OpenTasksAsync()
    {
        var tasks = new List<JsonElement>();
        string? after = null;
        while (true)
        {
            var path = $"/api/v1/tasks?definitionKey={DefinitionKey}&status=open&limit=200" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
            var page = await api.GetAsync(Auditor, path);
            if (!page.IsSuccess)
                throw new InvalidOperationException($"listing tasks answered {(int)page.Status}: {page.Text}");
            tasks.AddRange(page.Body.EnumerateArray());
            if (page.NextCursor is null)
                return tasks;
            after = page.NextCursor;
        }
    }

    /// <summary>Completes every open task (again while completing opens new ones, at most a few passes); returns how many were acknowledged.</summary>
    public async Task<int> WorkAsync()
    {
        var completed = 0;
        for (var pass = 0; pass < 4; pass++)
        {
            var open = (await OpenTasksAsync()).Where(t => !_completed.ContainsKey(t.GetProperty("id").GetGuid())).ToList();
            if (open.Count == 0)
                break;
            var acknowledgedThisPass = 0;
            await Parallel.ForEachAsync(open, new ParallelOptions { MaxDegreeOfParallelism = clients }, async (task, _) =>
            {
                if (await CompleteAsync(task))
                    Interlocked.Increment(ref acknowledgedThisPass);
            });
            completed += acknowledgedThisPass;
        }
        return completed;
    }

    /// <summary>Completes one task as a demo user of its first group and organisation, its form filled in. True when acknowledged.</summary>
    public async Task<bool> CompleteAsync(JsonElement task, string? user = null, string? idempotencyKey = null)
    {
        var id = task.GetProperty("id").GetGuid();
        var instanceId = task.GetProperty("instanceId").GetGuid();
        user ??= $"{task.GetProperty("candidateGroups")[0].GetString()}.{task.GetProperty("organisation").GetString()}";
        var answer = await api.PostAsync(user, $"/api/v1/tasks/{id}/complete", CompletionOf(task), idempotencyKey ?? $"complete-{id:N}");
        if (!answer.IsSuccess)
        {
            Note(answer, $"complete {task.GetProperty("elementId").GetString()} {id}");
            return false;
        }
        acknowledged.Add(new TaskCompleted(id, instanceId));
        _completed[id] = true;
        return true;
    }

    /// <summary>The body that completes a task: the approving outcome (or the first), every form field given a value.</summary>
    public static object CompletionOf(JsonElement task)
    {
        string? outcome = null;
        if (task.TryGetProperty("outcomes", out var outcomes) && outcomes.ValueKind == JsonValueKind.Array && outcomes.GetArrayLength() > 0)
        {
            var values = outcomes.EnumerateArray().Select(o => o.GetString()!).ToList();
            outcome = values.Contains("approve") ? "approve" : values[0];
        }
        var variables = new JsonObject();
        if (task.TryGetProperty("form", out var form))
        {
            var fields = form.ValueKind == JsonValueKind.Array ? form
                : form.ValueKind == JsonValueKind.Object && form.TryGetProperty("fields", out var f) ? f : default;
            if (fields.ValueKind == JsonValueKind.Array)
                foreach (var field in fields.EnumerateArray())
                {
                    var name = field.GetProperty("name").GetString()!;
                    variables[name] = (field.TryGetProperty("type", out var type) ? type.GetString() : "string") switch
                    {
                        "number" => 1,
                        "boolean" => true,
                        "date" => "2026-10-01",
                        "enum" => field.GetProperty("options")[0].GetString(),
                        _ => "可靠性测试：同意",
                    };
                }
        }
        return new { outcome, variables };
    }

    /// <summary>Moves the virtual clock forward by <paramref name="by"/>, firing the timers due. True when acknowledged.</summary>
    public async Task<bool> AdvanceAsync(TimeSpan by)
    {
        var target = clock.Now + by;
        clock.MoveTo(target);
        var answer = await api.PostAsync(Admin, "/api/v1/clock/advance", new { to = HarnessClock.Iso(target) });
        if (!answer.IsSuccess)
        {
            // Sent again after a restart that already started past the target: the clock is there, timers fire in the next move.
            Note(answer, "advance the clock");
            return false;
        }
        acknowledged.Add(new ClockAdvanced(target));
        return true;
    }

    /// <summary>Unexpected refusals, for the summary (a 409 for a task completed by an earlier, unanswered try is expected).</summary>
    public List<string> Refusals { get; } = [];

    private void Note(ApiAnswer answer, string what)
    {
        if ((int)answer.Status >= 500)
            Interlocked.Increment(ref _serverErrorsSeen);
        lock (Refusals)
            if (Refusals.Count < 50)
                Refusals.Add($"{what}: {(int)answer.Status} {(answer.Text.Length > 200 ? answer.Text[..200] : answer.Text)}");
    }

    /// <summary>Valid 统一社会信用代码: an enterprise (91) in Suzhou (320500) with a numbered organisation code.</summary>
    public static string CreditCode(int number)
    {
        int[] weights = [3, 7, 9, 10, 5, 8, 4, 2];
        var body = number.ToString("D8", CultureInfo.InvariantCulture);
        var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        var check = (11 - sum % 11) switch { 10 => 'X', 11 => '0', var n => (char)('0' + n) };
        var first17 = $"91320500{body}{check}";
        return first17 + UnifiedSocialCreditCode.ComputeCheckCharacter(first17);
    }
}
