using System.Globalization;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Quota;
using CleanProdFlow.Domain.Quota;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Hosting;

namespace CleanProdFlow.Web.Quota;

/// <summary>
/// Starts <c>quota-trade</c> for a recorded offer and <c>quota-reserve</c> for a recorded deposit, after the
/// record and its hold committed (the runtime starts an instance in a transaction of its own). A start that fails
/// leaves the record under review without an instance; it is retried at the next start-up.
/// </summary>
public sealed class QuotaWorkflows(QuotaMarketStore market, WorkflowRuntime runtime, ILogger<QuotaWorkflows> logger)
{
    public const string TradeDefinition = "quota-trade";
    public const string ReserveDefinition = "quota-reserve";

    public async Task StartTradeAsync(QuotaOffer offer, string enterpriseName, string by, CancellationToken cancellationToken)
    {
        try
        {
            var started = await runtime.StartAsync(TradeDefinition, offer.Id.ToString("D"), new JsonObject
            {
                ["offerId"] = offer.Id.ToString("D"),
                ["creditCode"] = offer.CreditCode,
                ["enterpriseName"] = enterpriseName,
                ["city"] = offer.City,
                ["sellerCity"] = offer.City,
                ["buyerCity"] = offer.City,
                ["pollutant"] = offer.Pollutant,
                ["amountTonnes"] = QuotaAmount.ToTonnes(offer.Amount).ToString(CultureInfo.InvariantCulture),
                ["priceYuanPerTonne"] = (offer.PriceCents / 100m).ToString(CultureInfo.InvariantCulture),
                ["matched"] = false,
            }, offer.City, by, cancellationToken);
            await market.LinkOfferInstanceAsync(offer.Id, started.Id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not start {Definition} for quota offer {OfferId}; it is retried at the next start-up", TradeDefinition, offer.Id);
        }
    }

    public async Task StartReserveAsync(QuotaDeposit deposit, string enterpriseName, string by, CancellationToken cancellationToken)
    {
        try
        {
            var started = await runtime.StartAsync(ReserveDefinition, deposit.Id.ToString("D"), new JsonObject
            {
                ["depositId"] = deposit.Id.ToString("D"),
                ["creditCode"] = deposit.CreditCode,
                ["enterpriseName"] = enterpriseName,
                ["city"] = deposit.City,
                ["pollutant"] = deposit.Pollutant,
                ["amountTonnes"] = QuotaAmount.ToTonnes(deposit.Amount).ToString(CultureInfo.InvariantCulture),
                ["priceYuanPerTonne"] = (deposit.PriceCents / 100m).ToString(CultureInfo.InvariantCulture),
            }, deposit.City, by, cancellationToken);
            await market.LinkDepositInstanceAsync(deposit.Id, started.Id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not start {Definition} for quota deposit {DepositId}; it is retried at the next start-up", ReserveDefinition, deposit.Id);
        }
    }

    /// <summary>At start-up: starts the offers and deposits whose start failed.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var offer in await market.UnstartedOffersAsync(cancellationToken))
            await StartTradeAsync(offer, offer.CreditCode, offer.CreatedBy, cancellationToken);
        foreach (var deposit in await market.UnstartedDepositsAsync(cancellationToken))
            await StartReserveAsync(deposit, deposit.CreditCode, deposit.CreatedBy, cancellationToken);
    }
}

public static class QuotaRegistration
{
    /// <summary>Total-emission quota (issue 10): the ledger, the market and allocation stores, the handlers and the start-up recovery.</summary>
    public static void AddQuotaLedger(this IServiceCollection services)
    {
        services.AddSingleton<QuotaLedger>();
        services.AddSingleton<QuotaMarketStore>();
        services.AddSingleton<QuotaAllocationStore>();
        services.AddSingleton<QuotaReductionStore>();
        services.AddSingleton<QuotaWorkflows>();
        services.AddSingleton<IServiceTaskHandler, QuotaOfferListHandler>();
        services.AddSingleton<IServiceTaskHandler, QuotaTradeMatchHandler>();
        services.AddSingleton<IServiceTaskHandler, QuotaTradeSettleHandler>();
        services.AddSingleton<IServiceTaskHandler, QuotaOfferCloseHandler>();
        services.AddSingleton<IServiceTaskHandler, QuotaDepositSettleHandler>();
        services.AddSingleton<IServiceTaskHandler, QuotaDepositRejectHandler>();
        services.AddSingleton<IServiceTaskHandler, QuotaAllocateHandler>();
        services.AddRecoveryAtStart("Quota", "unstarted offers and deposits wait for the next start",
            (provider, stopping) => provider.GetRequiredService<QuotaWorkflows>().RecoverAsync(stopping));
    }
}
