using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CleanProdFlow.Web.UiTests;

/// <summary>
/// What the administrators' UI tests set up through the API: a case on a 60-working-day statutory clock (so its due
/// date lies in 2027) and an official 2027 calendar document that moves it. Its own definition key, so nothing of
/// the staff tests' definition changes.
/// </summary>
public static class AdminScenario
{
    public const string ClockKey = "ui-admin-clock";

    public const string ClockDefinition = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:cpf="https://cleanprodflow.example/schema/1.0"
                          id="ui-admin-clock-definitions" targetNamespace="https://cleanprodflow.example/tests">
          <bpmn:process id="ui-admin-clock" name="界面测试：报告书审批（60 个工作日）" isExecutable="true">
            <bpmn:startEvent id="start"/>
            <bpmn:serviceTask id="start-clock" name="开始审批计时" cpf:handler="clock.start">
              <bpmn:extensionElements><cpf:input name="clock" value="decision"/><cpf:input name="rule" value="eia.decision.report"/></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:userTask id="decide" name="审批决定" cpf:candidateGroups="approver" cpf:clock="decision"/>
            <bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="start-clock"/>
            <bpmn:sequenceFlow id="f2" sourceRef="start-clock" targetRef="decide"/>
            <bpmn:sequenceFlow id="f3" sourceRef="decide" targetRef="end"/>
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>
    /// A made-up "official" 2027 for the tests: the regulation's holidays as whole blocks, and a make-up working day on
    /// Saturday 2027-01-23, which brings a 60-working-day limit started on Monday 2026-11-02 one day earlier
    /// (2027-01-26 → 2027-01-25).
    /// </summary>
    public const string Official2027 = """
        {
          "year": 2027,
          "source": { "title": "国务院办公厅关于2027年部分节假日安排的通知（界面测试）", "documentNumber": "国办发明电〔2026〕测试", "date": "2026-11-01" },
          "daysOff": ["2027-01-01", "2027-01-02", "2027-01-03",
                      "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12",
                      "2027-04-03", "2027-04-04", "2027-04-05",
                      "2027-05-01", "2027-05-02", "2027-05-03", "2027-05-04", "2027-05-05",
                      "2027-06-09",
                      "2027-09-15",
                      "2027-10-01", "2027-10-02", "2027-10-03", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07"],
          "makeUpWorkdays": ["2027-01-23", "2027-02-20", "2027-04-25", "2027-10-09"]
        }
        """;

    private static readonly SemaphoreSlim Deploying = new(1, 1);
    private static bool _deployed;

    /// <summary>Uploads and publishes the clock definition once per host.</summary>
    public static async Task DeployClockDefinitionAsync(WebApp app)
    {
        await Deploying.WaitAsync();
        try
        {
            if (_deployed)
                return;
            using var admin = await app.ApiAsync("admin.province");
            var upload = await admin.PostAsync("/api/v1/definitions", new StringContent(ClockDefinition, Encoding.UTF8, "application/xml"));
            Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
            var version = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
            var publish = await admin.PostAsync($"/api/v1/definitions/{ClockKey}/versions/{version}/publish", null);
            Assert.True(publish.StatusCode == HttpStatusCode.OK, await publish.Content.ReadAsStringAsync());
            _deployed = true;
        }
        finally
        {
            Deploying.Release();
        }
    }

    /// <summary>Starts a Suzhou case on the clock definition; returns its id and the clock's due date (yyyy-MM-dd).</summary>
    public static async Task<(Guid Id, string DueDate)> StartClockCaseAsync(WebApp app, string caseNumber)
    {
        await DeployClockDefinitionAsync(app);
        using var staff = await app.ApiAsync("acceptance.suzhou");
        var started = await staff.PostAsJsonAsync("/api/v1/instances", new { definitionKey = ClockKey, businessKey = caseNumber, variables = new { fastTrack = false } });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var clocks = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/instances/{id}/clocks");
        return (id, clocks.EnumerateArray().Single().GetProperty("dueDate").GetString()!);
    }
}
