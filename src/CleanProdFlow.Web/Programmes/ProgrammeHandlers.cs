using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Programmes;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Domain.Programmes;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;

namespace CleanProdFlow.Web.Programmes;

/// <summary>
/// <c>finance.batch.build</c>: builds the green-finance batch of last year (or of the variable <c>year</c>, which must
/// be last year) in the step's transaction and sets <c>clockStartAt</c> for the selection clock. When the year has a
/// batch already it changes nothing and says so in <c>batchExists</c> (<c>batchCreated</c> false), so a second start
/// for a year — by hand or a repeated timer — ends without a second batch.
/// </summary>
public sealed class GreenFinanceBuildHandler(GreenFinanceStore batches) : IServiceTaskHandler
{
    public string Name => "finance.batch.build";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        // The timer and POST /api/v1/programmes/green-finance/batches start it for the province; a city's start through
        // the generic instance API builds nothing (an incident names the way).
        if (context.Organisation != Domain.Access.Organisation.ProvinceCode)
            throw new InvalidOperationException("the green-finance batch is started by its timer or by the province (POST /api/v1/programmes/green-finance/batches)");
        var today = BeijingTime.DateOf(context.Now);
        var year = ProgrammeInput.OptionalYear(context) ?? GreenFinanceBatch.RegisterYearFor(today);
        if (GreenFinanceBatch.RefusalOfYear(year, today) is { } refusal)
            throw new InvalidOperationException(refusal.ToString());
        var startedBy = ProgrammeInput.OptionalText(context, "startedBy") ?? "system:timer";
        var (batch, created) = await batches.BuildAsync(context.Transaction!, year, context.InstanceId, context.Now, startedBy, cancellationToken);
        if (!created)
            return new JsonObject
            {
                ["year"] = year,
                ["batchCreated"] = false,
                ["batchExists"] = $"{year} 年度环保贷/环保担推荐批次已存在（实例 {batch.InstanceId:D}），本次启动未做任何事 / " +
                    $"the {year} batch exists already (instance {batch.InstanceId:D}); this start changed nothing",
            };
        return new JsonObject
        {
            ["year"] = year,
            ["batchCreated"] = true,
            ["clockStartAt"] = batch.ClockStartAt.ToBeijing().ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            ["candidateCount"] = (await batches.CandidatesAsync(year, null, cancellationToken)).Count,
            ["province"] = Domain.Access.Organisation.ProvinceCode,
        };
    }
}

/// <summary>
/// <c>finance.batch.recommend</c>: records the recommendation in the step's transaction — every remaining candidate
/// still active on the register joins the list <c>green-finance-pool</c> through the register; one revoked since the
/// build is dropped with the revocation as its reason.
/// </summary>
public sealed class GreenFinanceRecommendHandler(GreenFinanceStore batches, RegisterStore register) : IServiceTaskHandler
{
    public string Name => "finance.batch.recommend";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var year = ProgrammeInput.OptionalYear(context) ?? throw new InvalidOperationException("the instance has no variable 'year'");
        var by = $"green-finance:{year}";
        var reason = $"{year} 年度清洁生产先进企业，推荐入省环保贷/环保担项目库（{year + 1} 年上半年批次）";
        var result = await batches.RecommendAsync(context.Transaction!, year, context.Now, by,
            code => register.AddToListAsync(context.Transaction!, GreenFinanceBatch.PoolList, code, reason, context.Now, by, cancellationToken),
            cancellationToken);
        return new JsonObject { ["recommendedCount"] = result.Recommended.Count, ["droppedCount"] = result.DroppedRevoked.Count };
    }
}

/// <summary>
/// <c>typical-cases.status</c>, input <c>status</c>: where the year's campaign stands, in the step's transaction; the
/// first call links the campaign to its instance. A campaign starts only through POST /api/v1/programmes/typical-cases.
/// </summary>
public sealed class TypicalCaseStatusHandler(TypicalCaseStore campaigns) : IServiceTaskHandler
{
    public string Name => "typical-cases.status";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var status = context.Input("status");
        if (!TypicalCases.Statuses.Contains(status))
            throw new InvalidOperationException($"'{status}' is not a typical-case campaign status ({string.Join(", ", TypicalCases.Statuses)})");
        var year = ProgrammeInput.OptionalYear(context) ?? throw new InvalidOperationException("the instance has no variable 'year'");
        if (!await campaigns.SetStatusAsync(context.Transaction!, year, context.InstanceId, status, context.Now, cancellationToken))
            throw new InvalidOperationException($"no typical-case campaign {year} belongs to this instance; campaigns start through POST /api/v1/programmes/typical-cases");
        return new JsonObject { ["campaignStatus"] = status };
    }
}

/// <summary>
/// <c>typical-cases.publish</c>: publishes the nominations in the variable <c>selectedNominations</c> (set by
/// POST …/selection, which checks them first and answers 400): at most ten scored nominations of the year. Checked
/// again here, so a task completed another way cannot publish a wrong selection (it becomes an incident instead).
/// </summary>
public sealed class TypicalCasePublishHandler(TypicalCaseStore campaigns) : IServiceTaskHandler
{
    public string Name => "typical-cases.publish";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var year = ProgrammeInput.OptionalYear(context) ?? throw new InvalidOperationException("the instance has no variable 'year'");
        var ids = context.Variables["selectedNominations"] is JsonArray array
            ? array.Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String && Guid.TryParse(v.GetValue<string>(), out var id) ? id : Guid.Empty).ToList()
            : throw new InvalidOperationException("no selection: select the cases through POST /api/v1/programmes/typical-cases/{year}/selection");
        var selection = new Selection(ids).Check(out var errors);
        if (selection is null)
            throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        var refused = Selection.CheckAgainst(selection, year, await campaigns.ScoresAsync(selection, cancellationToken, context.Transaction));
        if (refused.Count > 0)
            throw new InvalidOperationException(string.Join("; ", refused.Select(e => $"{e.Field}: {e.Message}")));
        await campaigns.PublishAsync(context.Transaction!, year, selection, context.Now, cancellationToken);
        return new JsonObject { ["campaignStatus"] = TypicalCases.Published, ["publishedCount"] = selection.Count };
    }
}

internal static class ProgrammeInput
{
    public static int? OptionalYear(ServiceTaskContext context) =>
        context.Variables["year"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var year) => year,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => (int)v.GetValue<double>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, out var year) => year,
            null => null,
            _ => throw new InvalidOperationException("the variable 'year' is not a year"),
        };

    public static string? OptionalText(ServiceTaskContext context, string variable) =>
        context.Variables[variable] is JsonValue v && v.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetValue<string>())
            ? v.GetValue<string>().Trim()
            : null;
}
