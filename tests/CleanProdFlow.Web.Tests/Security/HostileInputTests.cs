using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.TestSupport.Hostile;
using CsCheck;
using Dapper;

namespace CleanProdFlow.Web.Tests.Security;

/// <summary>
/// Issue 12 item 4 through HTTP: hostile API bodies and hostile BPMN uploads get a 4xx problem+json, never a 500,
/// and store nothing (every table's row count is the same before and after).
/// </summary>
public sealed class HostileInputTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private static readonly string Code = CreditCodes.Make(71_201);

    /// <summary>Every row of every product table, per table (the database is otherwise idle during these tests).</summary>
    private async Task<Dictionary<string, long>> RowCountsAsync()
    {
        await using var connection = await host.Factory.Database.Database.OpenAsync();
        var tables = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'schemaversions'");
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{table}\"");
        return counts;
    }

    private async Task<HttpClient> WriterAsync()
    {
        // One province user holding every role that writes, so that a refusal is about the body, not the role.
        var admin = await host.Factory.SignedInAsync("admin.province");
        var roles = Roles.All.Where(r => r != Roles.Auditor).ToArray();
        var created = await admin.PostAsJsonAsync("/api/v1/admin/users",
            new { username = "hostile.province", displayName = "测试 hostile", organisation = "province", roles, password = "Secret#2026" });
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        var client = host.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await client.TokenAsync("hostile.province", "Secret#2026"));
        if ((await client.GetAsync($"/api/v1/enterprises/{Code}")).StatusCode == HttpStatusCode.NotFound)
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/enterprises", new
            {
                creditCode = Code, name = "敌意输入测试有限公司", city = "suzhou", county = "工业园区", industry = "化工", address = "苏州市工业园区星湖街1号", onlineMonitoring = true,
            })).StatusCode);
        return client;
    }

    /// <summary>The write endpoints (<see cref="HostileEndpoints.Writes"/>), with this class's enterprise.</summary>
    private static IEnumerable<HostileEndpoint> WriteEndpoints() => HostileEndpoints.Writes(Code, CreditCodes.Make(71_202));

    [Fact]
    public async Task Hostile_bodies_on_every_write_endpoint_get_a_4xx_problem_naming_the_field_and_store_nothing()
    {
        var client = await WriterAsync();
        var before = await RowCountsAsync();

        var summary = await HostileRequests.RunAsync(client, WriteEndpoints());

        Assert.True(summary.Tried > 300, $"only {summary.Tried} hostile requests");
        Assert.True(summary.Faults.Count == 0, $"{summary.Faults.Count} of {summary.Tried}:\n" + string.Join("\n", summary.Faults.Take(40)));
        Assert.Equal(0, summary.ServerErrors);
        Assert.Equal(before, await RowCountsAsync());
    }

    // ------------------------------------------------------------------------------------- BPMN uploads

    private static string ShippedWorkflow(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "workflows")))
            directory = directory.Parent;
        return File.ReadAllText(Path.Combine(directory!.FullName, "workflows", name));
    }

    private static StringContent Xml(string xml) => new(xml, Encoding.UTF8, "application/xml");

    [Theory]
    [InlineData("malformed", "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><process id=\"P\">", "XML")]
    [InlineData("xxe file", "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><process id=\"P\" name=\"&x;\"/></definitions>", "DOCTYPE")]
    [InlineData("xxe http", "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"http://127.0.0.1:9/secret\">]><definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><process id=\"P\" name=\"&x;\"/></definitions>", "DOCTYPE")]
    [InlineData("billion laughs", "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><process id=\"P\" name=\"&c;\"/></definitions>", "DOCTYPE")]
    [InlineData("plain dtd", "<?xml version=\"1.0\"?><!DOCTYPE definitions SYSTEM \"bpmn.dtd\"><definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"/>", "DOCTYPE")]
    public async Task A_hostile_bpmn_upload_is_a_400_problem_and_nothing_is_stored(string what, string xml, string reason)
    {
        var admin = await host.Factory.SignedInAsync("admin.province");
        var before = await RowCountsAsync();

        var response = await admin.PostAsync("/api/v1/definitions", Xml(xml));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(reason, body);
        Assert.DoesNotContain("root:", body);
        Assert.Equal(before, await RowCountsAsync());
    }

    [Fact]
    public async Task Deep_nesting_is_a_400_problem_and_nothing_is_stored()
    {
        var admin = await host.Factory.SignedInAsync("admin.province");
        var deep = "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">" + string.Concat(Enumerable.Repeat("<a>", 100_000))
                   + string.Concat(Enumerable.Repeat("</a>", 100_000)) + "</definitions>";
        var before = await RowCountsAsync();

        var response = await admin.PostAsync("/api/v1/definitions", Xml(deep));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("100", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await RowCountsAsync());
    }

    [Fact]
    public async Task A_file_over_the_configured_limit_is_a_413_problem_before_it_is_parsed()
    {
        await using var small = await CpfWebFactory.StartAsync(settings: new Dictionary<string, string?> { ["Workflows:MaxDefinitionBytes"] = "131072" });
        var admin = await small.SignedInAsync("admin.province");
        var valid = ShippedWorkflow("quota-reserve.bpmn");
        var large = valid.Replace("</bpmn:process>", "<bpmn:documentation>" + new string('x', 131_072) + "</bpmn:documentation></bpmn:process>");
        Assert.NotEqual(valid, large);

        var refused = await admin.PostAsync("/api/v1/definitions", Xml(large));
        var accepted = await admin.PostAsync("/api/v1/definitions", Xml(valid));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains("128 KB", Assert.Single(await refused.FieldErrorsAsync("body")));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task Random_mutations_of_a_shipped_workflow_uploaded_never_get_a_500_and_store_only_valid_files()
    {
        var admin = await host.Factory.SignedInAsync("admin.province");
        var original = ShippedWorkflow("quota-reserve.bpmn");
        var statuses = new List<HttpStatusCode>();

        await Gen.Select(Gen.Int[0, 3], Gen.Double[0, 0.999], Gen.Char.Array[1, 12], Gen.Int[1, 6]).SampleAsync(async (kind, where, garbage, count) =>
        {
            var at = (int)(where * original.Length);
            var mutated = kind switch
            {
                0 => original[..at],
                1 => original.Insert(at, new string(garbage)),
                2 => original.Remove(at, Math.Min(count * 7, original.Length - at)),
                _ => original.Insert(at, string.Concat(Enumerable.Repeat(original.Substring(at, Math.Min(80, original.Length - at)), count))),
            };
            var definitions = (await RowCountsAsync())["workflow_definitions"];

            var response = await admin.PostAsync("/api/v1/definitions", Xml(mutated));

            statuses.Add(response.StatusCode);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest,
                $"{(int)response.StatusCode} for a mutation ({kind} at {at}): {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(definitions, (await RowCountsAsync())["workflow_definitions"]);
            }
        }, iter: 150, threads: 1);

        Assert.Contains(HttpStatusCode.BadRequest, statuses);
    }

    // ------------------------------------------------------------------------------------- hostile definitions at run time

    private static string Process(string key, string body) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cpf="https://cleanprodflow.example/schema/1.0" id="D_{key}">
          <process id="{key}" isExecutable="true">{body}</process>
        </definitions>
        """;

    private async Task<HttpResponseMessage> PublishAndStartAsync(HttpClient admin, string key, string xml)
    {
        var uploaded = await admin.PostAsync("/api/v1/definitions", Xml(xml));
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync());
        var version = (await uploaded.JsonAsync()).GetProperty("version").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/definitions/{key}/versions/{version}/publish", null)).StatusCode);
        return await admin.PostAsJsonAsync("/api/v1/instances", new { definitionKey = key, businessKey = key });
    }

    [Fact]
    public async Task A_cycle_without_a_wait_state_is_stopped_with_a_4xx_and_leaves_no_instance()
    {
        var admin = await host.Factory.SignedInAsync("admin.province");
        var xml = Process("hostile-cycle", """
            <startEvent id="S"/><exclusiveGateway id="A"/><exclusiveGateway id="B" default="Back"/><endEvent id="E"/>
            <sequenceFlow id="F1" sourceRef="S" targetRef="A"/><sequenceFlow id="F2" sourceRef="A" targetRef="B"/>
            <sequenceFlow id="Back" sourceRef="B" targetRef="A"/>
            <sequenceFlow id="Out" sourceRef="B" targetRef="E"><conditionExpression>${1 == 2}</conditionExpression></sequenceFlow>
            """);
        var before = (await RowCountsAsync())["workflow_instances"];

        var started = await PublishAndStartAsync(admin, "hostile-cycle", xml);

        Assert.True((int)started.StatusCode is >= 400 and < 500, $"{(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", started.Content.Headers.ContentType?.MediaType);
        var refusal = await started.Content.ReadAsStringAsync();
        Assert.True(refusal.Contains("without waiting", StringComparison.Ordinal) || refusal.Contains("等待", StringComparison.Ordinal), refusal);
        Assert.Equal(before, (await RowCountsAsync())["workflow_instances"]);
    }

    [Theory]
    [InlineData("hostile-endless", "(() => { while (true) { } })()")]
    [InlineData("hostile-allocating", "(() => { let s = 'x'; while (true) { s += s; } })()")]
    [InlineData("hostile-recursing", "(function f(n) { return f(n + 1); })(0)")]
    public async Task A_condition_that_loops_allocates_or_recurses_is_stopped_as_an_incident_not_a_hung_worker(string key, string condition)
    {
        var admin = await host.Factory.SignedInAsync("admin.province");
        var xml = Process(key, $"""
            <startEvent id="S"/><exclusiveGateway id="X" default="Other"/><endEvent id="E1"/><endEvent id="E2"/>
            <sequenceFlow id="F1" sourceRef="S" targetRef="X"/>
            <sequenceFlow id="Hostile" sourceRef="X" targetRef="E1"><conditionExpression>${"{"}{condition}{"}"}</conditionExpression></sequenceFlow>
            <sequenceFlow id="Other" sourceRef="X" targetRef="E2"/>
            """);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var started = await PublishAndStartAsync(admin, key, xml);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        Assert.True((int)started.StatusCode < 500, $"{(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
        if (started.StatusCode == HttpStatusCode.Created)
        {
            var id = (await started.JsonAsync()).GetProperty("id").GetGuid();
            var instance = await (await admin.GetAsync($"/api/v1/instances/{id}")).JsonAsync();
            Assert.Equal("X", Assert.Single(instance.GetProperty("incidents").EnumerateArray()).GetProperty("elementId").GetString());
        }
        // The host still answers at once.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/me")).StatusCode);
    }
}
