using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Quota;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Quota;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Web.Quota;

/// <summary><c>quota.offer.list</c>: the reviewer approved the offer; it is listed for matching (its hold stays).</summary>
public sealed class QuotaOfferListHandler(QuotaMarketStore market) : IServiceTaskHandler
{
    public string Name => "quota.offer.list";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var id = QuotaInput.Id(context, "offerId");
        if (!await market.ListOfferAsync(context.Transaction!, id, context.Now, cancellationToken)
            && (await market.FindOfferAsync(id, context.Transaction, cancellationToken))?.Status != QuotaStatus.Listed)
            throw new InvalidOperationException($"quota offer {id} is not under review");
        return new JsonObject { ["offerStatus"] = QuotaStatus.Listed };
    }
}

/// <summary>
/// <c>quota.trade.match</c>: the best open bid for the listed offer, ranked by the buyer's priority computed from the
/// register now (advanced with an EIA case running, advanced, others), then by age. Sets <c>matched</c> and the buyer.
/// </summary>
public sealed class QuotaTradeMatchHandler(QuotaMarketStore market) : IServiceTaskHandler
{
    public string Name => "quota.trade.match";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var offer = await market.FindOfferAsync(QuotaInput.Id(context, "offerId"), context.Transaction, cancellationToken)
            ?? throw new InvalidOperationException("the instance's offer does not exist");
        if (offer.Status != QuotaStatus.Listed)
            throw new InvalidOperationException($"quota offer {offer.Id} is {offer.Status}, not listed");
        var match = offer.BuyerCode is not null
            ? new QuotaMatch(offer.BidId!.Value, offer.BuyerCode, offer.BuyerCity!, offer.BuyerRank ?? QuotaPriority.Other)
            : await market.MatchAsync(context.Transaction!, offer, context.Now, cancellationToken);
        return match is null
            ? new JsonObject { ["matched"] = false }
            : new JsonObject
            {
                ["matched"] = true, ["buyerCode"] = match.BuyerCode, ["buyerCity"] = match.BuyerCity, ["buyerRank"] = match.Rank,
                ["bidId"] = match.BidId.ToString("D"),
            };
    }
}

/// <summary>
/// <c>quota.trade.settle</c>: one ledger entry moves the held amount from the seller to the matched buyer (key
/// <c>trade:{offerId}</c>, so a retried step posts nothing more); the offer is marked settled with it.
/// </summary>
public sealed class QuotaTradeSettleHandler(QuotaMarketStore market, QuotaLedger ledger) : IServiceTaskHandler
{
    public string Name => "quota.trade.settle";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var offer = await market.FindOfferAsync(QuotaInput.Id(context, "offerId"), context.Transaction, cancellationToken)
            ?? throw new InvalidOperationException("the instance's offer does not exist");
        if (offer.BuyerCode is null || offer.BuyerCity is null)
            throw new InvalidOperationException($"quota offer {offer.Id} has no buyer");
        var posted = await ledger.PostAsync(QuotaEntryDraft.Transfer(QuotaEntryDraft.TradeKind, offer.Seller, QuotaHolder.Enterprise(offer.BuyerCode, offer.BuyerCity),
            offer.Pollutant, offer.Amount, $"trade:{offer.Id:D}", offer.Id.ToString("D"), fromHold: true,
            memo: $"{offer.CreditCode} → {offer.BuyerCode}, {QuotaAmount.ToTonnes(offer.Amount)} t/a @ {offer.PriceCents / 100m} 元/吨"),
            $"workflow:{context.InstanceId:D}", context.Now, context.Transaction, cancellationToken);
        if (!posted.Done)
            throw new InvalidOperationException($"quota offer {offer.Id}: the seller's hold does not cover the trade");
        await market.MarkSettledAsync(context.Transaction!, offer.Id, posted.EntryId!.Value, context.Now, cancellationToken);
        return new JsonObject { ["offerStatus"] = QuotaStatus.Settled, ["entryId"] = posted.EntryId.Value.ToString("D") };
    }
}

/// <summary><c>quota.offer.close</c>, input <c>status</c> rejected | cancelled: closes the offer before settlement and releases its hold.</summary>
public sealed class QuotaOfferCloseHandler(QuotaMarketStore market) : IServiceTaskHandler
{
    public string Name => "quota.offer.close";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var status = context.Input("status");
        if (status is not (QuotaStatus.Rejected or QuotaStatus.Cancelled))
            throw new InvalidOperationException($"'{status}' is not a closing status of an offer (rejected, cancelled)");
        var released = await market.CloseOfferAsync(context.Transaction!, QuotaInput.Id(context, "offerId"), status, context.Now, cancellationToken);
        return new JsonObject { ["offerStatus"] = status, ["released"] = released };
    }
}

/// <summary><c>quota.deposit.settle</c>: one ledger entry moves the held amount into the city reserve (收储); the deposit is closed with it.</summary>
public sealed class QuotaDepositSettleHandler(QuotaMarketStore market, QuotaLedger ledger) : IServiceTaskHandler
{
    public string Name => "quota.deposit.settle";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var deposit = await market.FindDepositAsync(QuotaInput.Id(context, "depositId"), context.Transaction, cancellationToken)
            ?? throw new InvalidOperationException("the instance's deposit does not exist");
        var posted = await ledger.PostAsync(QuotaEntryDraft.Transfer(QuotaEntryDraft.DepositKind, deposit.Depositor, QuotaHolder.CityReserve(deposit.City),
            deposit.Pollutant, deposit.Amount, $"deposit:{deposit.Id:D}", deposit.Id.ToString("D"), fromHold: true,
            memo: $"收储 {QuotaAmount.ToTonnes(deposit.Amount)} t/a @ {deposit.PriceCents / 100m} 元/吨"),
            $"workflow:{context.InstanceId:D}", context.Now, context.Transaction, cancellationToken);
        if (!posted.Done)
            throw new InvalidOperationException($"quota deposit {deposit.Id}: the enterprise's hold does not cover it");
        await market.CloseDepositAsync(context.Transaction!, deposit.Id, QuotaStatus.Deposited, posted.EntryId, context.Now, cancellationToken);
        return new JsonObject { ["depositStatus"] = QuotaStatus.Deposited, ["entryId"] = posted.EntryId!.Value.ToString("D") };
    }
}

/// <summary><c>quota.deposit.reject</c>: the reserve manager refused the deposit; its hold is released.</summary>
public sealed class QuotaDepositRejectHandler(QuotaMarketStore market) : IServiceTaskHandler
{
    public string Name => "quota.deposit.reject";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        await market.CloseDepositAsync(context.Transaction!, QuotaInput.Id(context, "depositId"), QuotaStatus.Rejected, null, context.Now, cancellationToken);
        return new JsonObject { ["depositStatus"] = QuotaStatus.Rejected };
    }
}

/// <summary>
/// <c>quota.allocate</c> on the EIA green channel (priority allocation, measure 8), input <c>source</c>:
/// <list type="bullet">
/// <item><c>city</c> — records one request per pollutant of <c>quotaNeeds</c> (priority = the enterprise is advanced
/// now, read from the register) and, for an advanced enterprise, allocates each pollutant the city reserve can cover
/// (one entry each, key <c>allocation:{case}:{pollutant}</c>). <c>quotaAllocated</c> is true when nothing is left.</item>
/// <item><c>named</c> — after the province's decision: allocates what is left from the reserve it named in
/// <c>reserve</c> ("province" or a city code); <c>quotaShort</c> when that reserve cannot cover it (the task comes
/// back to the province). A blank <c>reserve</c> means a source outside the ledger.</item>
/// <item><c>close</c> — requests still waiting are recorded as balanced outside the ledger (the officer's <c>source</c>).</item>
/// </list>
/// </summary>
public sealed class QuotaAllocateHandler(QuotaAllocationStore allocations, QuotaLedger ledger) : IServiceTaskHandler
{
    public string Name => "quota.allocate";

    public async Task<JsonObject?> ExecuteAsync(ServiceTaskContext context, CancellationToken cancellationToken)
    {
        var tx = context.Transaction!;
        var caseNumber = QuotaInput.Text(context, "caseNumber");
        switch (context.Input("source"))
        {
            case "city":
            {
                var creditCode = QuotaInput.Text(context, "creditCode");
                var city = QuotaInput.Text(context, "city");
                var advanced = await allocations.IsAdvancedAsync(tx, creditCode, cancellationToken);
                foreach (var (pollutant, milli) in Needs(context))
                    await allocations.RequestAsync(tx, caseNumber, creditCode, city, pollutant, milli, advanced, context.InstanceId, context.Now, cancellationToken);
                if (advanced)
                    await AllocateAsync(context, caseNumber, QuotaHolder.CityReserve(city), cancellationToken);
                var left = await WaitingAsync(tx, caseNumber, cancellationToken);
                return new JsonObject { ["quotaAllocated"] = left.Count == 0, ["quotaShort"] = false, ["quotaPriority"] = advanced };
            }
            case "named":
            {
                var named = context.Variables["reserve"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>().Trim() : "";
                if (named.Length == 0)
                    return new JsonObject { ["quotaShort"] = false };
                var reserve = named == Organisation.ProvinceCode ? QuotaHolder.ProvinceReserve
                    : Organisation.Find(named) is { IsProvince: false } ? QuotaHolder.CityReserve(named) : null;
                if (reserve is null)
                    return new JsonObject { ["quotaShort"] = true, ["quotaShortReason"] = $"“{named}”不是储备库（province 或设区市代码）" };
                await AllocateAsync(context, caseNumber, reserve, cancellationToken);
                var left = await WaitingAsync(tx, caseNumber, cancellationToken);
                return new JsonObject
                {
                    ["quotaShort"] = left.Count > 0,
                    ["quotaShortReason"] = left.Count > 0 ? $"{named} 储备库不足：{string.Join("、", left.Select(a => $"{a.Pollutant} {QuotaAmount.ToTonnes(a.Amount)} t/a"))}" : null,
                };
            }
            case "close":
            {
                foreach (var waiting in await WaitingAsync(tx, caseNumber, cancellationToken))
                    await allocations.SetAsync(tx, waiting.Id, QuotaStatus.Outside, QuotaStatus.Outside, null, null, context.Now, cancellationToken);
                return new JsonObject { ["quotaClosed"] = true };
            }
            default:
                throw new InvalidOperationException($"quota.allocate: source '{context.Input("source")}' is not city, named or close");
        }
    }

    private async Task AllocateAsync(ServiceTaskContext context, string caseNumber, QuotaHolder reserve, CancellationToken cancellationToken)
    {
        foreach (var waiting in await WaitingAsync(context.Transaction!, caseNumber, cancellationToken))
        {
            if (!Pollutant.Names.ContainsKey(waiting.Pollutant))
                continue; // a pollutant the ledger does not keep is balanced outside it
            var posted = await ledger.PostAsync(QuotaEntryDraft.Transfer(QuotaEntryDraft.AllocationKind, reserve, QuotaHolder.Enterprise(waiting.CreditCode, waiting.City),
                waiting.Pollutant, waiting.Amount, $"allocation:{caseNumber}:{waiting.Pollutant}", caseNumber), $"workflow:{context.InstanceId:D}", context.Now,
                context.Transaction, cancellationToken);
            if (posted.Done)
                await allocations.SetAsync(context.Transaction!, waiting.Id, QuotaStatus.Allocated, reserve.Kind, reserve.Id, posted.EntryId, context.Now, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<QuotaAllocation>> WaitingAsync(System.Data.Common.DbTransaction tx, string caseNumber, CancellationToken cancellationToken) =>
        (await allocations.OfCaseAsync(tx, caseNumber, cancellationToken)).Where(a => a.Status == QuotaStatus.Waiting).ToList();

    /// <summary>The case's needs above zero as ledger pollutant codes (or the name given) and milli-tonnes, rounded up to 3 decimals.</summary>
    private static IEnumerable<(string Pollutant, long Milli)> Needs(ServiceTaskContext context)
    {
        if (context.Variables["quotaNeeds"] is not JsonObject needs)
            yield break;
        foreach (var (name, value) in needs)
        {
            if (value is not JsonValue number || !decimal.TryParse(number.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var tonnes) || tonnes <= 0)
                continue;
            yield return (Pollutant.Normalise(name) ?? name, (long)decimal.Ceiling(tonnes * 1000m));
        }
    }
}

internal static class QuotaInput
{
    public static Guid Id(ServiceTaskContext context, string variable) =>
        Guid.TryParse(Text(context, variable), out var id) ? id : throw new InvalidOperationException($"the variable {variable} is not an id");

    public static string Text(ServiceTaskContext context, string variable) =>
        context.Variables[variable] is JsonValue v && v.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetValue<string>())
            ? v.GetValue<string>().Trim()
            : throw new InvalidOperationException($"the instance has no variable '{variable}'");
}
