using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Domain.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests.Security;

/// <summary>
/// Issue 12 item 5: every endpoint × every role × own city, another city and the province. The table below has one
/// line per endpoint with its rule; an endpoint missing from it fails the test, so a new endpoint must state who
/// may call it. Requests use ids nobody owns, so the matrix checks the rule (403 where the role may not, never a
/// 401 for a signed-in user, never a 5xx, never a 200 for a guessed id); ID guessing of another city's real data is
/// checked separately below.
/// </summary>
public sealed class AccessMatrixTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private enum Rule
    {
        /// <summary>Anyone, signed in or not (published lists, sign-in, health).</summary>
        Public,
        /// <summary>Any signed-in staff member; the handler answers 403 for a role that may not act and 404 for another city's record.</summary>
        Staff,
        /// <summary>Administrators only (authorization policy): every other role gets 403 whatever the request.</summary>
        Admin,
    }

    /// <summary>One line per endpoint (by its name, or method and route when it has none).</summary>
    private static readonly Dictionary<string, Rule> Table = new(StringComparer.Ordinal)
    {
        ["IssueToken"] = Rule.Public, ["PublicListCsv"] = Rule.Public, ["PublicListJson"] = Rule.Public,
        ["PublicRevokedCertificates"] = Rule.Public, ["PublicTypicalCases"] = Rule.Public,
        ["GET /health/live"] = Rule.Public, ["GET /health/ready"] = Rule.Public, ["GET /openapi/{documentName}.json"] = Rule.Public,
        ["GET /culture/{culture}"] = Rule.Public,
        ["GET /scalar/{documentName?}"] = Rule.Public, ["GET /scalar"] = Rule.Public,
        ["GET /public/advanced-enterprises"] = Rule.Public,
        // Definitions: reading is for staff (the case pages draw them); changing is for administrators.
        ["UploadDefinition"] = Rule.Admin, ["PublishDefinitionVersion"] = Rule.Admin, ["RetireDefinitionVersion"] = Rule.Admin,
        ["ListDefinitions"] = Rule.Staff, ["ListDefinitionVersions"] = Rule.Staff, ["GetDefinitionVersion"] = Rule.Staff,
        // Instances: administration (retry, cancel, migrate) is for administrators.
        ["RetryIncident"] = Rule.Admin, ["CancelInstance"] = Rule.Admin, ["MigrateInstance"] = Rule.Admin,
        ["StartInstance"] = Rule.Staff, ["GetInstance"] = Rule.Staff, ["GetInstanceJournal"] = Rule.Staff, ["CorrelateMessage"] = Rule.Staff,
        ["ListInstanceClocks"] = Rule.Staff, ["ListInstanceBreaches"] = Rule.Staff, ["PauseClock"] = Rule.Staff, ["ResumeClock"] = Rule.Staff,
        ["ExtendClock"] = Rule.Staff,
        // The inbox.
        ["ListTasks"] = Rule.Staff, ["GetTask"] = Rule.Staff, ["ClaimTask"] = Rule.Staff, ["UnclaimTask"] = Rule.Staff, ["CompleteTask"] = Rule.Staff,
        // Users and calendars.
        ["ListUsers"] = Rule.Admin, ["GetUser"] = Rule.Admin, ["CreateUser"] = Rule.Admin, ["LoadCalendarYear"] = Rule.Admin,
        ["GetMe"] = Rule.Staff, ["ComputeDeadline"] = Rule.Staff, ["GetCalendarYear"] = Rule.Staff, ["ListTimeLimits"] = Rule.Staff,
        // Enterprises and their facts (the handler checks role and city).
        ["CreateEnterprise"] = Rule.Staff, ["ListEnterprises"] = Rule.Staff, ["GetEnterprise"] = Rule.Staff, ["GetEligibility"] = Rule.Staff,
        ["GetEligibilityHistory"] = Rule.Staff, ["AddAuditResult"] = Rule.Staff, ["AddPenalty"] = Rule.Staff, ["AnnulPenalty"] = Rule.Staff,
        ["AddAccident"] = Rule.Staff, ["AddComplaint"] = Rule.Staff, ["VerifyComplaint"] = Rule.Staff,
        ["ImportEnterprises"] = Rule.Staff, ["ImportAuditResults"] = Rule.Staff,
        // Register and lists, revocation.
        ["ListRegister"] = Rule.Staff, ["AdmitToRegister"] = Rule.Staff, ["RevokeRegisterEntry"] = Rule.Staff, ["ListIncentiveLists"] = Rule.Staff,
        ["ListMembers"] = Rule.Staff, ["AddListMember"] = Rule.Staff, ["RemoveListMember"] = Rule.Staff,
        ["ListEnterpriseRevocations"] = Rule.Staff, ["GetRevocation"] = Rule.Staff, ["RecordRevocationStatement"] = Rule.Staff,
        // EIA.
        ["SubmitEiaApplication"] = Rule.Staff, ["GetEiaCase"] = Rule.Staff,
        // Quota.
        ["ListQuotaAccounts"] = Rule.Staff, ["ListQuotaMovements"] = Rule.Staff, ["RegisterQuotaReduction"] = Rule.Staff,
        ["PoolQuotaIntoProvincialReserve"] = Rule.Staff, ["WithdrawQuotaBid"] = Rule.Staff, ["ListQuotaBids"] = Rule.Staff, ["PlaceQuotaBid"] = Rule.Staff,
        ["ListQuotaOffers"] = Rule.Staff, ["GetQuotaOffer"] = Rule.Staff, ["CreateQuotaOffer"] = Rule.Staff, ["CancelQuotaOffer"] = Rule.Staff,
        ["ListQuotaTrades"] = Rule.Staff, ["ListQuotaDeposits"] = Rule.Staff, ["GetQuotaDeposit"] = Rule.Staff, ["CreateQuotaDeposit"] = Rule.Staff,
        ["ListQuotaAllocations"] = Rule.Staff,
        // Reception day.
        ["CreateReceptionSession"] = Rule.Staff, ["ListReceptionSessions"] = Rule.Staff, ["GetReceptionSession"] = Rule.Staff,
        ["ExportReceptionSession"] = Rule.Staff, ["RecordReceptionRequest"] = Rule.Staff, ["GetReceptionRequest"] = Rule.Staff,
        // Yearly programmes.
        ["ListGreenFinanceBatches"] = Rule.Staff, ["StartGreenFinanceBatch"] = Rule.Staff, ["GetGreenFinanceBatch"] = Rule.Staff,
        ["ExcludeGreenFinanceCandidate"] = Rule.Staff, ["ListTypicalCaseCampaigns"] = Rule.Staff, ["StartTypicalCaseCampaign"] = Rule.Staff,
        ["GetTypicalCaseCampaign"] = Rule.Staff, ["ListTypicalCaseNominations"] = Rule.Staff, ["NominateTypicalCase"] = Rule.Staff,
        ["ReviewTypicalCaseNomination"] = Rule.Staff, ["SelectTypicalCases"] = Rule.Staff,
        // Audit cycles.
        ["RecordMandatoryAuditList"] = Rule.Staff, ["ListAuditCycles"] = Rule.Staff, ["GetAuditCycle"] = Rule.Staff,
        ["RequestAuditCycleExtension"] = Rule.Staff, ["ListAuditObligations"] = Rule.Staff,
        // The journal's hash chain: read access like the journal.
        ["VerifyInstanceJournal"] = Rule.Staff,
        // Notifications: each user's own; e-mail addresses of others and the undelivered e-mails are for administrators.
        ["ListNotifications"] = Rule.Staff, ["UnreadNotificationCount"] = Rule.Staff, ["ReadNotification"] = Rule.Staff,
        ["ReadAllNotifications"] = Rule.Staff, ["GetMyEmail"] = Rule.Staff, ["SetMyEmail"] = Rule.Staff,
        ["SetUserEmail"] = Rule.Admin, ["UndeliveredNotificationEmails"] = Rule.Admin,
        // Official documents: read with the case (404 across cities); voiding checks role and organisation on the found
        // document; templates are maintained by the province's administrators (role checked first).
        ["ListCaseDocuments"] = Rule.Staff, ["ListEnterpriseDocuments"] = Rule.Staff, ["GetDocument"] = Rule.Staff,
        ["DownloadDocumentPdf"] = Rule.Staff, ["DownloadDocumentDocx"] = Rule.Staff, ["VoidDocument"] = Rule.Staff,
        ["ListDocumentTemplates"] = Rule.Staff, ["GetDocumentTemplate"] = Rule.Staff, ["GetDocumentTemplateVersion"] = Rule.Staff,
        ["AddDocumentTemplateVersion"] = Rule.Staff,
        // The virtual clock (test installations only; not mapped with the system clock).
        ["GetClock"] = Rule.Staff, ["AdvanceClock"] = Rule.Admin,
    };

    /// <summary>
    /// Staff endpoints where the role is checked before anything is looked up: only these roles may act (any other
    /// gets 403 in every organisation; these never get 403 in their own city).
    /// </summary>
    private static readonly Dictionary<string, string[]> Actors = new(StringComparer.Ordinal)
    {
        ["CreateQuotaDeposit"] = [Roles.QuotaOfficer, Roles.Admin],
        ["CreateQuotaOffer"] = [Roles.QuotaOfficer, Roles.Admin],
        ["PlaceQuotaBid"] = [Roles.QuotaOfficer, Roles.Admin],
        ["RegisterQuotaReduction"] = [Roles.AuditOfficer, Roles.Admin],
        ["RecordMandatoryAuditList"] = [Roles.AuditOfficer, Roles.Admin],
        ["ImportAuditResults"] = [Roles.AuditOfficer, Roles.Admin],
        ["ImportEnterprises"] = [Roles.Acceptance, Roles.AuditOfficer, Roles.Enforcement, Roles.Admin],
        ["CreateReceptionSession"] = [Roles.Acceptance, Roles.Admin],
        ["SubmitEiaApplication"] = [Roles.Acceptance, Roles.Admin],
        ["NominateTypicalCase"] = [Roles.AuditOfficer],
        // Auditors read everything and change nothing.
        ["StartInstance"] = [.. Roles.All.Where(r => r != Roles.Auditor)],
        ["CorrelateMessage"] = [.. Roles.All.Where(r => r != Roles.Auditor)],
        ["ClaimTask"] = [.. Roles.All.Where(r => r != Roles.Auditor)],
        ["UnclaimTask"] = [.. Roles.All.Where(r => r != Roles.Auditor)],
        ["CompleteTask"] = [.. Roles.All.Where(r => r != Roles.Auditor)],
    };

    /// <summary>Decisions of the province: every city user gets 403, whatever the role.</summary>
    private static readonly HashSet<string> ProvinceOnly =
    [
        "AdmitToRegister", "RevokeRegisterEntry", "PoolQuotaIntoProvincialReserve", "StartGreenFinanceBatch", "ExcludeGreenFinanceCandidate",
        "StartTypicalCaseCampaign", "ReviewTypicalCaseNomination", "SelectTypicalCases", "AddDocumentTemplateVersion",
    ];

    private static string KeyOf(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
        ?? $"{endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET"} /{endpoint.RoutePattern.RawText!.TrimStart('/')}";

    private List<RouteEndpoint> Endpoints() =>
        host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is null && e.RoutePattern.RawText is not null
                        && !e.RoutePattern.RawText.TrimStart('/').StartsWith("hangfire", StringComparison.Ordinal)
                        && !e.RoutePattern.RawText.TrimStart('/').StartsWith("scalar/", StringComparison.Ordinal))
            .ToList();

    private static string PathOf(RouteEndpoint endpoint) =>
        "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { ParameterPolicies.Count: > 0 } p when p.ParameterPolicies.Any(x => x.Content == "int") => "2031",
            RoutePatternParameterPart { ParameterPolicies.Count: > 0 } p when p.ParameterPolicies.Any(x => x.Content == "long") => "987654",
            RoutePatternParameterPart p when p.Name is "creditCode" => CreditCodes.Make(99_991, "320200"),
            _ => "0b5f6c1e-3a7d-4c2b-9e8f-1a2b3c4d5e6f",
        }))));

    [Fact]
    public void Every_endpoint_has_a_line_in_the_table_and_the_admin_lines_match_the_policy()
    {
        var endpoints = Endpoints();
        var missing = endpoints.Select(KeyOf).Where(k => !Table.ContainsKey(k)).Distinct().ToList();
        Assert.True(missing.Count == 0, "endpoints without a line in the access table: " + string.Join(", ", missing));

        foreach (var endpoint in endpoints)
        {
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var rule = Table[KeyOf(endpoint)];
            if (KeyOf(endpoint) is "AdvanceClock" or "GetClock" or "LoadCalendarYear" or "ListUsers" or "GetUser" or "CreateUser")
                continue; // role checked in the handler or by a group policy: covered by the matrix below
            Assert.True(rule == Rule.Admin == policies.Contains(CleanProdFlow.Web.Security.SecurityRegistration.AdminPolicy), $"{KeyOf(endpoint)}: table says {rule}, policies {string.Join(",", policies)}");
            Assert.True(rule == Rule.Public == anonymous, $"{KeyOf(endpoint)}: table says {rule}, anonymous {anonymous}");
        }
    }

    public static TheoryData<string> Organisations => ["suzhou", "wuxi", "province"];

    private async Task<HttpClient> UserAsync(string role, string organisation)
    {
        var username = $"{role}.{organisation}";
        if (organisation == "wuxi")
        {
            username = $"m-{role}.wuxi";
            var admin = await host.Factory.SignedInAsync("admin.province");
            var created = await admin.PostAsJsonAsync("/api/v1/admin/users",
                new { username, displayName = "矩阵 " + role, organisation, roles = new[] { role }, password = "Secret#2026" });
            Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
            var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false });
            client.DefaultRequestHeaders.Authorization = new("Bearer", await client.TokenAsync(username, "Secret#2026"));
            return client;
        }
        var signedIn = host.Factory.CreateClient(new() { AllowAutoRedirect = false });
        signedIn.DefaultRequestHeaders.Authorization = new("Bearer", await signedIn.TokenAsync(username));
        return signedIn;
    }

    [Theory]
    [MemberData(nameof(Organisations))]
    public async Task Every_endpoint_for_every_role_answers_by_its_rule(string organisation)
    {
        var failures = new List<string>();
        var tried = 0;
        foreach (var role in Roles.All)
        {
            var client = await UserAsync(role, organisation);
            foreach (var endpoint in Endpoints())
            {
                var rule = Table[KeyOf(endpoint)];
                var path = PathOf(endpoint);
                foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                {
                    var request = new HttpRequestMessage(new HttpMethod(method), path);
                    if (method != "GET")
                        request.Content = JsonContent.Create(new { });
                    var response = await client.SendAsync(request);
                    tried++;
                    var status = (int)response.StatusCode;
                    var guessedId = path.Contains("0b5f6c1e", StringComparison.Ordinal) || path.Contains("987654", StringComparison.Ordinal) || path.Contains("2031", StringComparison.Ordinal)
                                    || path.Contains(CreditCodes.Make(99_991, "320200"), StringComparison.Ordinal);
                    string? fault = status switch
                    {
                        >= 500 => "server error",
                        401 => "401 for a signed-in user",
                        _ when rule == Rule.Admin && role != Roles.Admin && status != 403 => $"{status}, expected 403 (administrators only)",
                        _ when rule == Rule.Admin && role == Roles.Admin && status == 403 => "403 for an administrator",
                        _ when Actors.TryGetValue(KeyOf(endpoint), out var actors) && !actors.Contains(role) && status != 403 => $"{status}, expected 403 (only {string.Join(", ", actors)})",
                        _ when Actors.TryGetValue(KeyOf(endpoint), out var actors) && actors.Contains(role) && organisation != "province" && status == 403 => "403 for a role that may act",
                        _ when ProvinceOnly.Contains(KeyOf(endpoint)) && organisation != "province" && status != 403 => $"{status}, expected 403 (the province decides)",
                        200 when guessedId && method == "GET" && rule != Rule.Public => "200 for an id nobody owns",
                        _ => null,
                    };
                    if (fault is not null)
                        failures.Add($"{role}@{organisation} {method} {path} ({KeyOf(endpoint)}): {fault}");
                }
            }
        }

        Assert.True(tried > 800, $"only {tried} requests");
        Assert.True(failures.Count == 0, $"{failures.Count} of {tried}:\n" + string.Join("\n", failures.Take(60)));
    }

    [Fact]
    public async Task Guessing_the_credit_code_of_another_citys_enterprise_reveals_nothing()
    {
        var code = CreditCodes.Make(71_401);
        var acceptance = await host.Factory.SignedInAsync("acceptance.suzhou");
        var created = await acceptance.PostAsJsonAsync("/api/v1/enterprises", new
        {
            creditCode = code, name = "城市隔离测试有限公司", city = "suzhou", county = "工业园区", industry = "化工", address = "苏州市工业园区星湖街9号", onlineMonitoring = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string[] reads = [$"/api/v1/enterprises/{code}", $"/api/v1/enterprises/{code}/eligibility", $"/api/v1/enterprises/{code}/eligibility/history",
            $"/api/v1/enterprises/{code}/revocations"];

        foreach (var role in new[] { Roles.Acceptance, Roles.Review, Roles.Enforcement, Roles.Admin })
        {
            var other = await UserAsync(role, "wuxi");
            foreach (var path in reads)
            {
                var response = await other.GetAsync(path);
                Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{role}.wuxi GET {path}: {(int)response.StatusCode}");
                Assert.DoesNotContain("城市隔离测试", await response.Content.ReadAsStringAsync());
            }
            var penalty = await other.PostAsJsonAsync($"/api/v1/enterprises/{code}/penalties",
                new { decisionNumber = "锡环罚〔2026〕1号", decidedOn = "2026-03-01", authority = "无锡市生态环境局", ecoEnvironmental = true });
            Assert.True(penalty.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{role}.wuxi penalty: {(int)penalty.StatusCode}");
        }
        foreach (var (username, expected) in new[] { ("review.suzhou", HttpStatusCode.OK), ("review.province", HttpStatusCode.OK) })
            Assert.Equal(expected, (await (await host.Factory.SignedInAsync(username)).GetAsync(reads[0])).StatusCode);

        // Auditors read everything and change nothing (DESIGN §6), in every city, as in the workflow API.
        var auditor = await UserAsync(Roles.Auditor, "wuxi");
        foreach (var path in reads)
            Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(path)).StatusCode);
        var byAuditor = await auditor.PostAsJsonAsync($"/api/v1/enterprises/{code}/penalties",
            new { decisionNumber = "锡环罚〔2026〕2号", decidedOn = "2026-03-01", authority = "无锡市生态环境局", ecoEnvironmental = true });
        Assert.True(byAuditor.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"auditor.wuxi penalty: {(int)byAuditor.StatusCode}");
    }

    [Fact]
    public async Task Guessing_the_ids_of_another_citys_instance_and_task_reveals_nothing_and_changes_nothing()
    {
        const string key = "matrix-city-task";
        var admin = await host.Factory.SignedInAsync("admin.province");
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cpf="https://cleanprodflow.example/schema/1.0" id="D">
              <process id="{key}" isExecutable="true"><startEvent id="S"/><userTask id="T" name="城市隔离审查" cpf:candidateGroups="review"/><endEvent id="E"/>
                <sequenceFlow id="F1" sourceRef="S" targetRef="T"/><sequenceFlow id="F2" sourceRef="T" targetRef="E"/></process>
            </definitions>
            """;
        var uploaded = await admin.PostAsync("/api/v1/definitions", new StringContent(xml, System.Text.Encoding.UTF8, "application/xml"));
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/definitions/{key}/versions/{(await uploaded.JsonAsync()).GetProperty("version").GetInt32()}/publish", null)).StatusCode);
        var suzhou = await host.Factory.SignedInAsync("review.suzhou");
        var started = await suzhou.PostAsJsonAsync("/api/v1/instances", new { definitionKey = key, businessKey = "城市隔离-1" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var instanceId = (await started.JsonAsync()).GetProperty("id").GetGuid();
        var task = Assert.Single((await (await suzhou.GetAsync($"/api/v1/tasks?instanceId={instanceId}")).JsonAsync()).EnumerateArray());
        var taskId = task.GetProperty("id").GetGuid();

        // Auditors (督查/审计) read every instance whatever their organisation (DESIGN §6, WorkflowCaller); they still change nothing.
        var auditor = await UserAsync(Roles.Auditor, "wuxi");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/instances/{instanceId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync($"/api/v1/tasks/{taskId}/claim", new { })).StatusCode);

        foreach (var role in new[] { Roles.Review, Roles.Approver, Roles.Admin, Roles.Acceptance })
        {
            var other = await UserAsync(role, "wuxi");
            foreach (var path in new[] { $"/api/v1/instances/{instanceId}", $"/api/v1/instances/{instanceId}/journal", $"/api/v1/tasks/{taskId}",
                         $"/api/v1/instances/{instanceId}/clocks" })
            {
                var response = await other.GetAsync(path);
                Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{role}.wuxi GET {path}: {(int)response.StatusCode}");
                Assert.DoesNotContain("城市隔离", await response.Content.ReadAsStringAsync());
            }
            Assert.DoesNotContain("城市隔离", await (await other.GetAsync($"/api/v1/tasks?instanceId={instanceId}")).Content.ReadAsStringAsync());
            foreach (var action in new[] { "claim", "complete" })
            {
                var response = await other.PostAsJsonAsync($"/api/v1/tasks/{taskId}/{action}", new { outcome = (string?)null });
                Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{role}.wuxi {action}: {(int)response.StatusCode}");
            }
        }

        var after = await (await suzhou.GetAsync($"/api/v1/tasks/{taskId}")).JsonAsync();
        Assert.Equal("open", after.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.GetProperty("assignee").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await (await host.Factory.SignedInAsync("auditor.province")).GetAsync($"/api/v1/tasks/{taskId}")).StatusCode);
    }
}
