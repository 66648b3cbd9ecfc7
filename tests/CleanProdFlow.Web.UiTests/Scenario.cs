using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CleanProdFlow.Web.UiTests;

/// <summary>
/// What the UI tests set up through the API, as an integrator would: a small approval definition (acceptance, then
/// publicity, technical assessment and review in parallel on a statutory decision clock, then the decision), cases
/// of Suzhou and Nanjing.
/// </summary>
public static class Scenario
{
    public const string Key = "ui-approval";

    public const string Definition = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                          xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
                          xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                          xmlns:cpf="https://cleanprodflow.example/schema/1.0"
                          id="ui-approval-definitions" targetNamespace="https://cleanprodflow.example/tests">
          <bpmn:process id="ui-approval" name="界面测试：建设项目审批" isExecutable="true">
            <bpmn:startEvent id="start" name="申请已提交"/>
            <bpmn:userTask id="accept" name="受理审查" cpf:candidateGroups="acceptance" cpf:outcomes="accept,reject"
                           cpf:timeLimit="eia.acceptance.correction-notice">
              <bpmn:extensionElements>
                <cpf:form>
                  <cpf:field name="opinion" type="text" label="受理意见" required="true"/>
                  <cpf:field name="documentType" type="enum" label="文件类型" required="true" options="report,form"/>
                  <cpf:field name="pages" type="number" label="材料页数"/>
                  <cpf:field name="receivedOn" type="date" label="收件日期"/>
                  <cpf:field name="complete" type="boolean" label="材料齐全" required="true"/>
                </cpf:form>
              </bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:exclusiveGateway id="accepted" name="是否受理？"/>
            <bpmn:serviceTask id="start-clock" name="开始审批计时" cpf:handler="clock.start">
              <bpmn:extensionElements><cpf:input name="clock" value="decision"/><cpf:input name="rule" value="eia.decision.form"/></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:parallelGateway id="fork"/>
            <bpmn:userTask id="publicity" name="受理公示" cpf:candidateGroups="publicity" cpf:clock="decision"/>
            <bpmn:userTask id="assessment" name="技术评估" cpf:candidateGroups="assessment" cpf:clock="decision"/>
            <bpmn:userTask id="review" name="审查" cpf:candidateGroups="review" cpf:clock="decision">
              <bpmn:extensionElements>
                <cpf:form><cpf:field name="reviewOpinion" type="text" label="审查意见" required="true"/></cpf:form>
              </bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:parallelGateway id="join"/>
            <bpmn:userTask id="decide" name="审批决定" cpf:candidateGroups="approver" cpf:clock="decision" cpf:outcomes="approve,reject"/>
            <bpmn:serviceTask id="stop-clock" name="停止计时" cpf:handler="clock.stop">
              <bpmn:extensionElements><cpf:input name="clock" value="decision"/></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:endEvent id="decided" name="已作出决定"/>
            <bpmn:endEvent id="rejected" name="不予受理"/>
            <bpmn:sequenceFlow id="f-start" sourceRef="start" targetRef="accept"/>
            <bpmn:sequenceFlow id="f-accept" sourceRef="accept" targetRef="accepted"/>
            <bpmn:sequenceFlow id="f-accepted" name="受理" sourceRef="accepted" targetRef="start-clock">
              <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${outcome == 'accept'}</bpmn:conditionExpression>
            </bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="f-rejected" name="不予受理" sourceRef="accepted" targetRef="rejected">
              <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${outcome == 'reject'}</bpmn:conditionExpression>
            </bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="f-clock" sourceRef="start-clock" targetRef="fork"/>
            <bpmn:sequenceFlow id="f-fork-publicity" sourceRef="fork" targetRef="publicity"/>
            <bpmn:sequenceFlow id="f-fork-assessment" sourceRef="fork" targetRef="assessment"/>
            <bpmn:sequenceFlow id="f-fork-review" sourceRef="fork" targetRef="review"/>
            <bpmn:sequenceFlow id="f-publicity-join" sourceRef="publicity" targetRef="join"/>
            <bpmn:sequenceFlow id="f-assessment-join" sourceRef="assessment" targetRef="join"/>
            <bpmn:sequenceFlow id="f-review-join" sourceRef="review" targetRef="join"/>
            <bpmn:sequenceFlow id="f-join" sourceRef="join" targetRef="decide"/>
            <bpmn:sequenceFlow id="f-decide" sourceRef="decide" targetRef="stop-clock"/>
            <bpmn:sequenceFlow id="f-stop" sourceRef="stop-clock" targetRef="decided"/>
          </bpmn:process>
          <bpmndi:BPMNDiagram id="ui-approval-diagram">
            <bpmndi:BPMNPlane id="ui-approval-plane" bpmnElement="ui-approval">
              <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="112" y="202" width="36" height="36"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="accept_di" bpmnElement="accept"><dc:Bounds x="190" y="180" width="100" height="80"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="accepted_di" bpmnElement="accepted" isMarkerVisible="true"><dc:Bounds x="330" y="195" width="50" height="50"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="start-clock_di" bpmnElement="start-clock"><dc:Bounds x="420" y="180" width="100" height="80"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="fork_di" bpmnElement="fork"><dc:Bounds x="560" y="195" width="50" height="50"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="publicity_di" bpmnElement="publicity"><dc:Bounds x="650" y="60" width="100" height="80"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="assessment_di" bpmnElement="assessment"><dc:Bounds x="650" y="180" width="100" height="80"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="650" y="300" width="100" height="80"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="join_di" bpmnElement="join"><dc:Bounds x="800" y="195" width="50" height="50"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="decide_di" bpmnElement="decide"><dc:Bounds x="890" y="180" width="100" height="80"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="stop-clock_di" bpmnElement="stop-clock"><dc:Bounds x="1030" y="180" width="100" height="80"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="decided_di" bpmnElement="decided"><dc:Bounds x="1172" y="202" width="36" height="36"/></bpmndi:BPMNShape>
              <bpmndi:BPMNShape id="rejected_di" bpmnElement="rejected"><dc:Bounds x="337" y="362" width="36" height="36"/></bpmndi:BPMNShape>
              <bpmndi:BPMNEdge id="f-start_di" bpmnElement="f-start"><di:waypoint x="148" y="220"/><di:waypoint x="190" y="220"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-accept_di" bpmnElement="f-accept"><di:waypoint x="290" y="220"/><di:waypoint x="330" y="220"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-accepted_di" bpmnElement="f-accepted"><di:waypoint x="380" y="220"/><di:waypoint x="420" y="220"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-rejected_di" bpmnElement="f-rejected"><di:waypoint x="355" y="245"/><di:waypoint x="355" y="362"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-clock_di" bpmnElement="f-clock"><di:waypoint x="520" y="220"/><di:waypoint x="560" y="220"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-fork-publicity_di" bpmnElement="f-fork-publicity"><di:waypoint x="585" y="195"/><di:waypoint x="585" y="100"/><di:waypoint x="650" y="100"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-fork-assessment_di" bpmnElement="f-fork-assessment"><di:waypoint x="610" y="220"/><di:waypoint x="650" y="220"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-fork-review_di" bpmnElement="f-fork-review"><di:waypoint x="585" y="245"/><di:waypoint x="585" y="340"/><di:waypoint x="650" y="340"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-publicity-join_di" bpmnElement="f-publicity-join"><di:waypoint x="750" y="100"/><di:waypoint x="825" y="100"/><di:waypoint x="825" y="195"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-assessment-join_di" bpmnElement="f-assessment-join"><di:waypoint x="750" y="220"/><di:waypoint x="800" y="220"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-review-join_di" bpmnElement="f-review-join"><di:waypoint x="750" y="340"/><di:waypoint x="825" y="340"/><di:waypoint x="825" y="245"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-join_di" bpmnElement="f-join"><di:waypoint x="850" y="220"/><di:waypoint x="890" y="220"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-decide_di" bpmnElement="f-decide"><di:waypoint x="990" y="220"/><di:waypoint x="1030" y="220"/></bpmndi:BPMNEdge>
              <bpmndi:BPMNEdge id="f-stop_di" bpmnElement="f-stop"><di:waypoint x="1130" y="220"/><di:waypoint x="1172" y="220"/></bpmndi:BPMNEdge>
            </bpmndi:BPMNPlane>
          </bpmndi:BPMNDiagram>
        </bpmn:definitions>
        """;

    /// <summary>Fails with the answer's status and body unless <paramref name="call"/> succeeded.</summary>
    public static async Task OkAsync(Task<HttpResponseMessage> call, string what)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A Suzhou enterprise with online monitoring, registered with a Level Ⅱ audit accepted on 2025-06-30 under <paramref name="auditNumber"/>.</summary>
    public static async Task RegisterAuditedAsync(WebApp app, string creditCode, string name, string county, string industry, string address,
        string auditNumber)
    {
        using (var acceptance = await app.ApiAsync("acceptance.suzhou"))
            await OkAsync(acceptance.PostAsJsonAsync("/api/v1/enterprises", new
            {
                creditCode, name, city = "suzhou", county, industry, address, onlineMonitoring = true,
            }), "register");
        using var auditOfficer = await app.ApiAsync("audit-officer.suzhou");
        await OkAsync(auditOfficer.PostAsJsonAsync($"/api/v1/enterprises/{creditCode}/audit-results",
            new { acceptedOn = "2025-06-30", level = "Ⅱ", authority = "苏州市生态环境局", documentNumber = auditNumber }), "audit");
    }

    private static readonly SemaphoreSlim Deploying = new(1, 1);
    private static bool _deployed;

    /// <summary>Uploads and publishes the definition once per host (as admin.province).</summary>
    public static async Task DeployAsync(WebApp app)
    {
        await Deploying.WaitAsync();
        try
        {
            if (_deployed)
                return;
            using var admin = await app.ApiAsync("admin.province");
            var upload = await admin.PostAsync("/api/v1/definitions", new StringContent(Definition, Encoding.UTF8, "application/xml"));
            Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
            var version = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
            var publish = await admin.PostAsync($"/api/v1/definitions/{Key}/versions/{version}/publish", null);
            Assert.True(publish.StatusCode == HttpStatusCode.OK, await publish.Content.ReadAsStringAsync());
            _deployed = true;
        }
        finally
        {
            Deploying.Release();
        }
    }

    /// <summary>Starts a case of the caller's organisation; returns its id.</summary>
    public static async Task<Guid> StartCaseAsync(HttpClient staff, string caseNumber, string enterpriseName, string creditCode)
    {
        var response = await staff.PostAsJsonAsync("/api/v1/instances", new
        {
            definitionKey = Key,
            businessKey = caseNumber,
            variables = new { creditCode, enterpriseName, fastTrack = true },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A staff account of another city (the demo users are the province's and Suzhou's only).</summary>
    public static async Task<HttpClient> StaffOfAsync(WebApp app, string username, string organisation, params string[] roles)
    {
        using var admin = await app.ApiAsync("admin.province");
        var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            username, displayName = username, organisation, roles, password = WebApp.Password,
        });
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
        return await app.ApiAsync(username);
    }

    /// <summary>The open tasks of a case as the caller sees them through the API: element id → candidate groups.</summary>
    public static async Task<Dictionary<string, string[]>> OpenTasksAsync(HttpClient staff, Guid instanceId)
    {
        var tasks = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/tasks?instanceId={instanceId}");
        return tasks.EnumerateArray().ToDictionary(t => t.GetProperty("elementId").GetString()!,
            t => t.GetProperty("candidateGroups").EnumerateArray().Select(g => g.GetString()!).ToArray());
    }
}
