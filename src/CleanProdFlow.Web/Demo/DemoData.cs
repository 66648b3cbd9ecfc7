using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Data.Users;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Clocks;
using CleanProdFlow.Web.Security;
using CleanProdFlow.Web.Timing;
using Microsoft.AspNetCore.Identity;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Demo;

/// <summary>
/// A living first run (<c>Demo:SeedData</c>, on in the default run): on a database without enterprises, about 20
/// enterprises in five cities (eligible and not: audit levels Ⅰ/Ⅱ/Ⅲ, penalties; some admitted to the register and
/// its lists) and about 30 EIA cases in every state — waiting, paused, extended, overdue, decided on time and late —
/// plus reception-day requests. Everything goes through the product's own code: the enterprise, register and EIA
/// intake endpoints (called in process as demo users), the workflow runtime (tasks completed by their candidates,
/// timers fired at their due instants), the staff clock actions (pause, resume, extension). Each case is played from
/// the day it arrived to today on a clock of its own, so its history carries the dates it would have had; nothing
/// moves the product's clock. Run once: a database with enterprises is left alone.
/// </summary>
public sealed class DemoData(IServiceProvider services, IWorkflowStore store, ClockStore clocks, StatutoryTime statutory, TimeProvider time,
    ILoggerFactory loggers)
{
    public const string SeedKey = "Demo:SeedData";

    /// <summary>Cities besides Suzhou whose staff the demo users do not cover; their accounts are created with the cases.</summary>
    public static readonly string[] ExtraCities = ["nanjing", "wuxi", "changzhou", "nantong"];

    private const string DecisionClock = "eia.decision";
    private const string Art45 = "《中华人民共和国行政许可法》第四十五条";
    private const string Art42 = "《中华人民共和国行政许可法》第四十二条";

    private readonly ILogger _logger = loggers.CreateLogger<DemoData>();

    // What a run of the seed works with (primary-constructor parameters are not visible to the nested Run).
    private IServiceProvider Services => services;
    private IWorkflowStore Store => store;
    private ClockStore Clocks => clocks;
    private StatutoryTime Statutory => statutory;
    private ILoggerFactory Loggers => loggers;

    public static async Task SeedIfEnabledAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        if (!services.GetRequiredService<IConfiguration>().GetValue(SeedKey, false))
            return;
        var demo = services.GetRequiredService<DemoData>();
        try
        {
            await demo.SeedAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Demonstration data is a convenience: the product starts without it (and says so).
            demo._logger.LogError(e, "The demo data ({Setting}) could not be created completely; the product runs without it", SeedKey);
        }
    }

    /// <summary>Creates the demo data unless the database has enterprises; returns the number of cases started (0: left alone).</summary>
    public async Task<int> SeedAsync(CancellationToken cancellationToken = default)
    {
        var enterprises = services.GetRequiredService<EnterpriseStore>();
        if ((await enterprises.ListAsync(null, null, 1, cancellationToken)).Count > 0)
            return 0;
        var watch = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        var run = new Run(this, now);
        if (services.GetRequiredService<IConfiguration>().GetValue(DemoUsers.SeedKey, false))
            await CreateCityUsersAsync(now, cancellationToken);
        var codes = await run.EnterprisesAsync(cancellationToken);
        var cases = 0;
        foreach (var spec in Cases())
        {
            await run.CaseAsync(spec, codes, cancellationToken);
            cases++;
        }
        cases += await run.ReceptionDayAsync(codes, cancellationToken);
        _logger.LogWarning("Created demo data ({Setting}): {Enterprises} enterprises and {Cases} cases in {Elapsed} ms; turn it off in production",
            SeedKey, codes.Count, cases, watch.ElapsedMilliseconds);
        return cases;
    }

    /// <summary>The staff of the other demo cities (same password as the demo users), so that every name in a case's journal can sign in.</summary>
    private async Task CreateCityUsersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var password = configuration[DemoUsers.PasswordKey] is { Length: > 0 } configured ? configured : DemoUsers.DefaultPassword;
        if (PasswordPolicy.Check(password) is not null)
            return; // DemoUsers refuses it at start-up already
        var users = services.GetRequiredService<UserStore>();
        // One hash for all: hashing is slow on purpose, and these are demonstration accounts with one known password anyway.
        var hash = services.GetRequiredService<IPasswordHasher<User>>().HashPassword(null!, password);
        foreach (var city in ExtraCities.Select(code => Organisation.Find(code)!))
        foreach (var role in Roles.All.Where(r => r is not Roles.Admin and not Roles.Auditor))
        {
            var username = $"{role}.{city.Code}";
            if (await users.ExistsAsync(username, cancellationToken))
                continue;
            try
            {
                await users.CreateAsync(username, $"演示用户 {role} ({city.NameZh})", city.Code, [role], hash, now, "demo-seed", cancellationToken);
            }
            catch (DuplicateUsernameException)
            {
                // another node seeded it at the same moment
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- what is created

    /// <summary>An enterprise of the demo: city, name, industry, audit level (null: none), a penalty, on the register and its lists.</summary>
    private sealed record EnterpriseSpec(string City, string Division, string Name, string County, string Industry, string? Level, bool Penalty,
        bool OnlineMonitoring, bool Register, string[] Lists);

    private static readonly EnterpriseSpec[] Enterprises =
    [
        new("suzhou", "320500", "苏州华芯半导体材料有限公司", "苏州工业园区", "电子材料", "Ⅰ", false, true, true, ["positive-enforcement", "green-leader-candidate"]),
        new("suzhou", "320500", "苏州绿源精细化工有限公司", "张家港市", "化工", "Ⅱ", false, true, true, ["emergency-exemption"]),
        new("suzhou", "320500", "昆山恒通精密机械有限公司", "昆山市", "机械制造", "Ⅱ", false, false, true, ["special-funds"]),
        new("suzhou", "320500", "常熟永新纺织印染有限公司", "常熟市", "纺织印染", "Ⅲ", false, true, false, []),
        new("suzhou", "320500", "太仓港海新能源科技有限公司", "太仓市", "新能源", "Ⅱ", true, true, false, []),
        new("suzhou", "320500", "吴江盛泽丝绸科技有限公司", "吴江区", "纺织", "Ⅰ", false, true, false, []),
        new("suzhou", "320500", "苏州金阊医药科技有限公司", "姑苏区", "医药", "Ⅱ", false, false, false, []),
        new("suzhou", "320500", "苏州相城环保包装有限公司", "相城区", "包装印刷", null, false, false, false, []),
        new("nanjing", "320100", "南京扬子石化新材料有限公司", "江北新区", "石化", "Ⅱ", false, true, true, ["positive-enforcement"]),
        new("nanjing", "320100", "南京江宁汽车零部件有限公司", "江宁区", "汽车零部件", "Ⅰ", false, true, false, []),
        new("nanjing", "320100", "南京栖霞建材有限公司", "栖霞区", "建材", "Ⅲ", false, false, false, []),
        new("nanjing", "320100", "南京浦口钢构有限公司", "浦口区", "金属制品", "Ⅱ", true, true, false, []),
        new("wuxi", "320200", "无锡惠山特钢有限公司", "惠山区", "钢铁", "Ⅱ", false, true, true, ["trusted-enterprise-candidate"]),
        new("wuxi", "320200", "无锡新吴微电子有限公司", "新吴区", "集成电路", "Ⅰ", false, true, false, []),
        new("wuxi", "320200", "江阴澄江印染有限公司", "江阴市", "纺织印染", "Ⅲ", false, false, false, []),
        new("wuxi", "320200", "宜兴环科水处理设备有限公司", "宜兴市", "环保装备", "Ⅱ", false, false, false, []),
        new("changzhou", "320400", "常州武进光伏材料有限公司", "武进区", "光伏", "Ⅰ", false, true, false, []),
        new("changzhou", "320400", "常州新北化工有限公司", "新北区", "化工", "Ⅱ", true, true, false, []),
        new("nantong", "320600", "南通海门船舶配套有限公司", "海门区", "船舶配套", "Ⅱ", false, true, false, []),
        new("nantong", "320600", "南通如皋食品有限公司", "如皋市", "食品", "Ⅲ", false, false, false, []),
    ];

    /// <summary>A staff action on the decision clock, a number of working days after receipt (at 15:00).</summary>
    private sealed record ClockAction(int AfterWorkingDays, string Kind, string Role, string? Reason = null, string? LegalBasis = null, int Days = 0);

    /// <summary>
    /// One EIA case: whose (index into <see cref="Enterprises"/>, whose eligibility picks the track), received how many
    /// days ago, worked at a pace of one task every <see cref="Pace"/> working days, with what outcomes, which tasks
    /// wait (forever, or until the limit is passed by some working days) and which staff clock actions happen.
    /// </summary>
    private sealed record CaseSpec(int Number, int Enterprise, string DocumentType, int DaysAgo, int Pace, string Project)
    {
        public bool Quota { get; init; }
        public bool QuotaToProvince { get; init; }
        public bool Correction { get; init; }
        public bool Refuse { get; init; }
        public bool Reject { get; init; }
        public string[] Waiting { get; init; } = [];
        /// <summary>Tasks that take their officer some working days from when they appear (an expert review, a correction).</summary>
        public (string Element, int WorkingDays)[] NotBefore { get; init; } = [];
        public (string Element, int WorkingDaysLate)? LateAt { get; init; }
        public string? EscalationAnswer { get; init; }
        public ClockAction[] Actions { get; init; } = [];
    }

    private static IEnumerable<CaseSpec> Cases()
    {
        const string late = "专家评审意见分歧较大，需补充论证；已要求承办处室三个工作日内办结，并纳入月度督办";
        // Decided, months ago (the dashboard's history).
        yield return new(1, 0, "form", 150, 1, "年产 2000 吨高纯电子化学品技改项目");
        yield return new(2, 1, "report", 140, 2, "年产 5 万吨精细化学品扩建项目") { Quota = true };
        yield return new(3, 3, "report", 135, 1, "印染废水深度处理及中水回用项目") { Correction = true, NotBefore = [("receive-correction", 7), ("assessment", 10)] };
        yield return new(4, 6, "form", 125, 2, "原料药车间改建项目") { Actions = [new(8, "extend", "approver", "涉及跨区域环境影响，需征求相邻县（市、区）意见", Days: 10)] };
        yield return new(5, 5, "form", 118, 1, "丝绸印染废水深度处理改造项目") { LateAt = ("review", 2), EscalationAnswer = late };
        yield return new(6, 9, "form", 112, 1, "新能源汽车零部件扩产项目");
        yield return new(7, 10, "form", 105, 2, "新型干混砂浆生产线项目") { LateAt = ("review", 3), EscalationAnswer = "审查阶段材料反复修改，已约谈建设单位并明确补正时限", NotBefore = [("assessment", 6)] };
        yield return new(8, 13, "report", 98, 2, "12 英寸晶圆封装测试扩建项目");
        yield return new(9, 14, "report", 92, 1, "印染定型机废气治理改建项目") { Reject = true, NotBefore = [("assessment", 9)] };
        yield return new(10, 16, "form", 86, 1, "光伏背板材料扩产项目")
        {
            Actions = [new(3, "pause", "review", "组织专家评审会（技术评估）", Art45), new(8, "resume", "review")],
        };
        yield return new(11, 19, "form", 80, 1, "食品加工废水处理站改建项目") { Refuse = true };
        yield return new(12, 0, "form", 74, 1, "电子级氢氟酸提纯项目") { Quota = true, QuotaToProvince = true };
        yield return new(13, 8, "form", 66, 2, "聚烯烃新材料改建项目") { LateAt = ("pre-approval-publish", 1), EscalationAnswer = "拟审批公示期间收到公众意见，需补充答复；已督促加快办理" };
        yield return new(14, 12, "form", 60, 1, "特钢棒材生产线改建项目")
        {
            Actions = [new(4, "pause", "review", "申请人补充提交排放量核算材料", "《中华人民共和国行政许可法》第三十二条"), new(9, "resume", "review")],
        };
        yield return new(15, 7, "report", 55, 1, "环保包装材料新建项目") { NotBefore = [("assessment", 8)] };
        // In progress today (the inboxes).
        yield return new(16, 0, "form", 2, 1, "光刻胶配套材料新建项目") { Quota = true };
        yield return new(17, 5, "report", 1, 1, "高端真丝面料数码印花项目");
        yield return new(18, 4, "form", 6, 1, "储能电池材料扩建项目");
        yield return new(19, 3, "report", 14, 1, "印染车间提标改造项目") { Correction = true, Waiting = ["receive-correction"] };
        yield return new(20, 7, "form", 20, 1, "纸塑包装生产线扩建项目") { Waiting = ["assessment"] };
        yield return new(21, 1, "form", 12, 1, "溶剂回收装置改建项目")
        {
            Waiting = ["decide"], Actions = [new(6, "extend", "approver", "项目位于太湖流域一级保护区，需补充现场核查", Days: 5)],
        };
        yield return new(22, 0, "form", 34, 1, "高纯试剂灌装线新建项目") { Waiting = ["review", "escalate"] };
        yield return new(23, 1, "form", 30, 1, "危废焚烧炉提标改造项目") { Waiting = ["review"], EscalationAnswer = "技术评估专家意见未返回，已发函催办" };
        yield return new(24, 9, "form", 32, 1, "汽车涂装线 VOCs 治理项目") { Waiting = ["review", "escalate"] };
        yield return new(25, 11, "report", 16, 1, "钢结构涂装线改建项目") { Correction = true, Waiting = ["receive-correction"] };
        yield return new(26, 13, "report", 9, 1, "功率半导体封装项目") { Waiting = ["pre-approval-publish"] };
        yield return new(27, 12, "form", 24, 1, "钢渣综合利用项目")
        {
            Waiting = ["decide"], Actions = [new(5, "pause", "review", "听证（申请人申请）", Art45), new(11, "resume", "review"),
                new(12, "extend", "approver", "听证后需补充论证", Days: 10)],
        };
        yield return new(28, 16, "form", 4, 1, "光伏组件回收利用项目");
        yield return new(29, 18, "form", 5, 1, "船舶涂装废气治理项目") { Quota = true, QuotaToProvince = true, Waiting = ["quota-province"] };
        yield return new(30, 1, "form", 8, 2, "含氟废水处理站改建项目") { Waiting = ["review"] };
    }

    // ------------------------------------------------------------------------------------------------- how it is created

    private sealed class Run
    {
        private readonly DemoData _demo;
        private readonly DateTimeOffset _now;
        private readonly SeedClock _clock;
        private readonly WorkflowRuntime _runtime;
        private readonly ClockActions _actions;
        private readonly SeedServices _services;
        private readonly InProcessApi _api;

        public Run(DemoData demo, DateTimeOffset now)
        {
            _demo = demo;
            _now = now;
            _clock = new SeedClock(now);
            var services = demo.Services;
            _runtime = new WorkflowRuntime(demo.Store, new NoTimerScheduler(), services.GetRequiredService<IStatutoryDueDates>(),
                services.GetServices<IServiceTaskHandler>(), _clock, demo.Loggers.CreateLogger<WorkflowRuntime>());
            _actions = new ClockActions(_runtime, demo.Store, demo.Clocks, demo.Statutory, services.GetRequiredService<Documents.DocumentIssuer>(), _clock);
            _services = new SeedServices(services, _clock, _runtime, _actions);
            _api = services.GetRequiredService<InProcessApi>();
        }

        private CleanProdFlow.Timing.Calendars.WorkingDayCalendar Calendar => _demo.Statutory.Calendar;

        /// <summary>A working day <paramref name="daysAgo"/> calendar days back (or the working day before), at <paramref name="hour"/> Beijing time.</summary>
        private DateTimeOffset DayAgo(int daysAgo, int hour, int minute = 0)
        {
            var day = BeijingTime.DateOf(_now).AddDays(-daysAgo);
            while (!Calendar.IsWorkingDay(day))
                day = day.AddDays(-1);
            return BeijingTime.StartOf(day).AddHours(hour).AddMinutes(minute);
        }

        /// <summary><paramref name="workingDays"/> working days after the day of <paramref name="from"/>, at the given time (0: that day).</summary>
        private DateTimeOffset After(DateTimeOffset from, int workingDays, int hour, int minute)
        {
            var day = BeijingTime.DateOf(from);
            if (workingDays > 0)
                day = Calendar.AddWorkingDays(day, workingDays);
            var at = BeijingTime.StartOf(day).AddHours(hour).AddMinutes(minute);
            return at > from ? at : from.AddMinutes(20);
        }

        private async Task<System.Text.Json.JsonElement> CallAsync(string endpoint, string role, string organisation, object body,
            IReadOnlyDictionary<string, string>? route = null, string? key = null, CancellationToken cancellationToken = default)
        {
            var (status, answer) = await _api.CallAsync(endpoint, InProcessApi.User(role, organisation), _services, body, route, key, cancellationToken);
            if (status is < 200 or > 299)
                throw new InvalidOperationException($"demo data: {endpoint} as {role}.{organisation} answered {status}: {answer}");
            return answer;
        }

        public async Task<IReadOnlyList<string>> EnterprisesAsync(CancellationToken cancellationToken)
        {
            // Registered well before the cases, with audits accepted months before and penalties within the three years that count.
            _clock.Set(DayAgo(220, 9));
            var registered = BeijingTime.DateOf(_clock.GetUtcNow());
            static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var codes = new List<string>();
            for (var i = 0; i < Enterprises.Length; i++)
            {
                var e = Enterprises[i];
                var body = (1000 + i * 37).ToString("D8", CultureInfo.InvariantCulture);
                var first17 = $"91{e.Division}{body}{UnifiedSocialCreditCode.ComputeOrganisationCheckCharacter(body)}";
                var code = first17 + UnifiedSocialCreditCode.ComputeCheckCharacter(first17);
                codes.Add(code);
                var route = new Dictionary<string, string> { ["creditCode"] = code };
                await CallAsync("CreateEnterprise", Roles.Acceptance, e.City, new
                {
                    creditCode = code, name = e.Name, city = e.City, county = e.County, industry = e.Industry,
                    address = $"{Organisation.Find(e.City)!.NameZh[..2]}市{e.County}{100 + i * 7}号", onlineMonitoring = e.OnlineMonitoring,
                }, cancellationToken: cancellationToken);
                if (e.Level is not null)
                    await CallAsync("AddAuditResult", Roles.AuditOfficer, e.City, new
                    {
                        acceptedOn = Day(registered.AddDays(-(90 + i * 11))), level = e.Level, authority = Organisation.Find(e.City)!.NameZh,
                        documentNumber = $"{Organisation.Find(e.City)!.NameZh[..2]}环清审〔{registered.AddDays(-(90 + i * 11)).Year}〕{20 + i}号",
                    }, route, cancellationToken: cancellationToken);
                if (e.Penalty)
                    await CallAsync("AddPenalty", Roles.Enforcement, e.City, new
                    {
                        decisionNumber = $"{Organisation.Find(e.City)!.NameZh[..2]}环罚〔{registered.AddDays(-(40 + i * 3)).Year}〕{100 + i}号",
                        decidedOn = Day(registered.AddDays(-(40 + i * 3))),
                        authority = Organisation.Find(e.City)!.NameZh, ecoEnvironmental = true, annulled = false,
                    }, route, cancellationToken: cancellationToken);
            }
            _clock.Forward(DayAgo(200, 10));
            for (var i = 0; i < Enterprises.Length; i++)
            {
                if (!Enterprises[i].Register)
                    continue;
                await CallAsync("AdmitToRegister", Roles.Approver, Organisation.ProvinceCode, new { creditCode = codes[i] }, cancellationToken: cancellationToken);
                foreach (var list in Enterprises[i].Lists)
                    await CallAsync("AddListMember", Roles.Approver, Organisation.ProvinceCode,
                        new { creditCode = codes[i], reason = "清洁生产先进企业，依激励措施列入" }, new Dictionary<string, string> { ["list"] = list },
                        cancellationToken: cancellationToken);
            }
            return codes;
        }

        private DateTimeOffset Received(CaseSpec spec) => DayAgo(spec.DaysAgo, 9, (spec.Number * 23) % 90);

        public async Task CaseAsync(CaseSpec spec, IReadOnlyList<string> codes, CancellationToken cancellationToken)
        {
            var enterprise = Enterprises[spec.Enterprise];
            var received = Received(spec);
            _clock.Set(received.AddMinutes(12));
            var answer = await CallAsync("SubmitEiaApplication", Roles.Acceptance, enterprise.City, new
            {
                creditCode = codes[spec.Enterprise], projectName = spec.Project, kind = spec.Number % 3 == 0 ? "new" : spec.Number % 3 == 1 ? "expand" : "rebuild",
                documentType = spec.DocumentType, city = enterprise.City,
                quotaNeeds = spec.Quota ? new JsonObject { ["COD"] = 1.2, ["NH3-N"] = 0.15, ["VOCs"] = 3.5 } : null,
                receivedAt = received.ToOffset(BeijingTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            }, key: $"demo-seed-{spec.Number:D2}", cancellationToken: cancellationToken);
            var instanceId = answer.GetProperty("instanceId").GetGuid();
            var caseNumber = answer.GetProperty("caseNumber").GetString()!;

            var actions = new Queue<ClockAction>(spec.Actions.OrderBy(a => a.AfterWorkingDays));
            var cursor = _clock.GetUtcNow();
            var corrected = false;
            for (var step = 1; step < 400; step++)
            {
                var next = After(cursor, spec.Pace, 10, (step * 37) % 300);
                while (actions.TryPeek(out var action) && After(received, action.AfterWorkingDays, 15, 0) <= next)
                {
                    actions.Dequeue();
                    var at = After(received, action.AfterWorkingDays, 15, 0);
                    if (at > _now)
                        break;
                    await FireUntilAsync(instanceId, at, cancellationToken);
                    _clock.Forward(at);
                    await ClockActionAsync(instanceId, enterprise.City, action, cancellationToken);
                }
                if (next > _now)
                    break;
                await FireUntilAsync(instanceId, next, cancellationToken);
                _clock.Forward(next);
                if ((await _demo.Store.FindInstanceAsync(instanceId, cancellationToken))?.State.IsEnded != false)
                    break;
                var open = await _demo.Store.ListTasksAsync(new TaskQuery { InstanceId = instanceId, Status = TaskStatus.Open, Limit = 50 }, cancellationToken);
                TaskRecord? task = null;
                foreach (var candidate in open.OrderBy(t => t.CreatedAt))
                {
                    if (!await WaitsAsync(spec, candidate, instanceId, next, cancellationToken))
                    {
                        task = candidate;
                        break;
                    }
                }
                if (task is null)
                {
                    cursor = next;
                    continue;
                }
                var (outcome, values) = Answer(spec, task, caseNumber, ref corrected);
                var group = task.CandidateGroups[0];
                await _runtime.CompleteTaskAsync(task.Id, new TaskActor($"{group}.{task.Organisation}", task.Organisation, [group]), outcome, values, null,
                    _ => new IdempotentReply(StatusCodes.Status200OK, ""), cancellationToken);
                cursor = next;
            }
            // Whatever fell due by today has fired (reminders, breaches): the case stands as it would now.
            await FireUntilAsync(instanceId, _now, cancellationToken);
            _clock.Forward(_now);
        }

        /// <summary>Whether a task waits at this moment: named to wait for good, or until the limit is passed by some working days.</summary>
        private async Task<bool> WaitsAsync(CaseSpec spec, TaskRecord task, Guid instanceId, DateTimeOffset at, CancellationToken cancellationToken)
        {
            if (spec.Waiting.Contains(task.ElementId))
                return true;
            foreach (var (element, days) in spec.NotBefore)
                if (element == task.ElementId && at < After(task.CreatedAt, days, 9, 0))
                    return true;
            if (task.ElementId == "escalate" && spec.EscalationAnswer is null)
                return true;
            if (spec.LateAt is not { } late || late.Element != task.ElementId)
                return false;
            var clock = await _demo.Clocks.FindAsync(WorkflowRuntime.ClockSubject(instanceId, DecisionClock), cancellationToken);
            if (clock?.Clock.DueAt is not { } due)
                return true;
            return at < After(due, late.WorkingDaysLate, 10, 0);
        }

        /// <summary>What a task's officer answers: the outcome and the form's values (in the words a bureau would use).</summary>
        private static (string? Outcome, JsonObject Values) Answer(CaseSpec spec, TaskRecord task, string caseNumber, ref bool corrected)
        {
            var url = $"https://sthjt.jiangsu.gov.cn/col/gs/{Uri.EscapeDataString(caseNumber)}";
            switch (task.ElementId)
            {
                case "acceptance":
                    if (spec.Refuse)
                        return ("refuse", new JsonObject { ["reasons"] = "项目不符合园区规划环评结论及审查意见，不予受理" });
                    if (spec.Correction && !corrected)
                    {
                        corrected = true;
                        return ("correct", new JsonObject { ["missingMaterials"] = "补充大气环境影响预测章节及总量来源说明（一次性告知）" });
                    }
                    return ("accept", []);
                case "receive-correction":
                    return (null, new JsonObject { ["materials"] = "大气环境影响预测补充章节、总量来源说明" });
                case "recheck":
                    return ("accept", []);
                case "publish":
                case "pre-approval-publish":
                case "announce":
                    return (null, new JsonObject { ["publicityUrl"] = url });
                case "assessment":
                    return (null, new JsonObject { ["conclusion"] = "报告编制规范，评价结论总体可信；建议补充事故应急池容积核算" });
                case "review":
                    return (null, new JsonObject { ["opinion"] = "符合“三线一单”管控要求，污染防治措施可行，同意提交审批" });
                case "quota-city":
                    return spec.QuotaToProvince
                        ? ("cannot-balance", new JsonObject { ["source"] = "本市储备指标不足，申请省级统筹" })
                        : ("balanced", new JsonObject { ["source"] = "区域削减（本市收储调剂）" });
                case "quota":
                    return ("balanced", new JsonObject { ["source"] = "区域削减（本市收储调剂）" });
                case "quota-province":
                    return (null, new JsonObject { ["source"] = "省级储备指标统筹调剂" });
                case "decide":
                    return spec.Reject
                        ? ("reject", new JsonObject { ["reasons"] = "项目选址位于生态空间管控区域内，不予批准" })
                        : ("approve", new JsonObject { ["reasons"] = "同意该项目建设，严格落实报告中的污染防治措施" });
                case "escalate":
                    return (null, new JsonObject { ["reasons"] = spec.EscalationAnswer });
                case "issue-approval":
                case "deliver-rejection":
                case "deliver-not-accepted":
                    return (null, new JsonObject { ["documentNumber"] = $"{caseNumber}批复" });
                default:
                    return (null, []); // reminders: read
            }
        }

        private async Task ClockActionAsync(Guid instanceId, string city, ClockAction action, CancellationToken cancellationToken)
        {
            var caller = new WorkflowCaller($"{action.Role}.{city}", city, [action.Role]);
            var result = action.Kind switch
            {
                "pause" => await _actions.PauseAsync(instanceId, DecisionClock, action.Reason, action.LegalBasis, caller, cancellationToken),
                "resume" => await _actions.ResumeAsync(instanceId, DecisionClock, caller, cancellationToken),
                _ => await _actions.ExtendAsync(instanceId, DecisionClock, action.Days, action.Reason, caller, cancellationToken),
            };
            if (result.Clock is null)
                _demo._logger.LogWarning("Demo data: {Action} of case {InstanceId} was refused: {Refusal}", action.Kind, instanceId,
                    result.EngineRefused?.Message ?? result.Refused?.Title.En);
        }

        /// <summary>Fires this case's timers due by <paramref name="until"/>, each at its due instant, in order.</summary>
        private async Task FireUntilAsync(Guid instanceId, DateTimeOffset until, CancellationToken cancellationToken)
        {
            var tried = new HashSet<Guid>();
            while (true)
            {
                var due = (await _demo.Store.DueTimersAsync(until, 500, cancellationToken))
                    .Where(t => t.InstanceId == instanceId && tried.Add(t.Id)).OrderBy(t => t.DueAt).ToList();
                if (due.Count == 0)
                    return;
                foreach (var timer in due)
                {
                    _clock.Forward(timer.DueAt);
                    await _runtime.FireTimerAsync(timer.Id, cancellationToken);
                }
            }
        }

        /// <summary>
        /// Reception-day requests (measure 10), through the reception intake: a province session with two requests for
        /// the province's acceptance officers to assign, and a Suzhou session with one request assigned to its office.
        /// </summary>
        public async Task<int> ReceptionDayAsync(IReadOnlyList<string> codes, CancellationToken cancellationToken)
        {
            var requests = new (int Enterprise, string Organisation, int DaysAgo, string Request, string? Office)[]
            {
                (0, Organisation.ProvinceCode, 3, "咨询清洁生产审核评估与“环保贷”申报衔接政策", null),
                (12, Organisation.ProvinceCode, 3, "申请将企业纳入监督执法正面清单的条件说明", null),
                (1, "suzhou", 4, "印染废水提标改造技术路线咨询", "audit"),
            };
            var sessions = new Dictionary<string, string>(StringComparer.Ordinal);
            var number = 0;
            foreach (var (index, organisation, daysAgo, request, office) in requests)
            {
                _clock.Set(DayAgo(daysAgo, 10, 15 + 20 * number++));
                if (!sessions.TryGetValue(organisation, out var sessionId))
                {
                    var session = await CallAsync("CreateReceptionSession", Roles.Acceptance, organisation, new
                    {
                        date = BeijingTime.Format(BeijingTime.DateOf(_clock.GetUtcNow())), place = $"{Organisation.Find(organisation)!.NameZh}一楼接待室",
                        host = "分管副厅（局）长", topic = "清洁生产先进企业环保接待日专场",
                    }, cancellationToken: cancellationToken);
                    sessions[organisation] = sessionId = session.GetProperty("id").GetString()!;
                }
                var recorded = await CallAsync("RecordReceptionRequest", Roles.Acceptance, organisation, new
                {
                    creditCode = codes[index], contactName = "环保负责人", contactPhone = "0512-66668888", category = office is null ? "policy" : "technology", request,
                }, new Dictionary<string, string> { ["id"] = sessionId }, key: $"demo-reception-{number}", cancellationToken: cancellationToken);
                if (office is null)
                    continue;
                var instanceId = recorded.GetProperty("instanceId").GetGuid();
                _clock.Forward(DayAgo(daysAgo - 1, 11));
                var triage = (await _demo.Store.ListTasksAsync(new TaskQuery { InstanceId = instanceId, Status = TaskStatus.Open }, cancellationToken)).Single();
                await _runtime.CompleteTaskAsync(triage.Id, new TaskActor($"{Roles.Acceptance}.{organisation}", organisation, [Roles.Acceptance]), null,
                    new JsonObject { ["office"] = office, ["triageNote"] = "请清洁生产审核处室答复技术路线" }, null,
                    _ => new IdempotentReply(StatusCodes.Status200OK, ""), cancellationToken);
                await FireUntilAsync(instanceId, _now, cancellationToken);
            }
            return requests.Length;
        }
    }
}
