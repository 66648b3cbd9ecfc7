using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using CleanProdFlow.Data.Eia;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Eia;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Eia;

namespace CleanProdFlow.Web.Eia;

/// <summary>
/// Starts the workflow of a recorded EIA application. The application and its start are two transactions, so a
/// node can stop between them (issue 12, seen while writing the reliability harness: a request retried with the same
/// Idempotency-Key was answered 200 with the case, which never ran, and nothing started it later). Every start of a case therefore uses one instance id derived from its case number:
/// the intake, a retried request with the same Idempotency-Key and the recovery at start-up may all try, and the
/// instance row's key lets exactly one of them store it.
/// </summary>
public sealed class EiaWorkflowStart(EiaApplicationStore applications, IWorkflowStore workflows, WorkflowRuntime runtime, ILogger<EiaWorkflowStart> logger)
{
    /// <summary>The instance id of a case: the first 16 bytes of SHA-256("eia-application:" + case number).</summary>
    public static Guid InstanceIdOf(string caseNumber) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("eia-application:" + caseNumber)).AsSpan(0, 16));

    /// <summary>Starts the case's instance, or finds it when another start stored it first. Refusals pass through.</summary>
    public async Task<StartedInstance> StartAsync(string caseNumber, EiaApplicationInput input, string enterpriseName, EiaTrack track, string actor,
        CancellationToken cancellationToken)
    {
        var id = InstanceIdOf(caseNumber);
        if (await workflows.FindInstanceAsync(id, cancellationToken) is { } existing)
            return new StartedInstance(id, existing.State.Status);
        try
        {
            return await runtime.StartAsync(id, track.DefinitionKey, caseNumber, SubmitApplication.Variables(caseNumber, input, enterpriseName, track),
                input.City, actor, cancellationToken);
        }
        catch (DbException)
        {
            // Another start of this case (a retry, the other node, the recovery) stored the instance first.
            if (await workflows.FindInstanceAsync(id, cancellationToken) is { } stored)
                return new StartedInstance(id, stored.State.Status);
            throw;
        }
    }

    /// <summary>Starts a stored application whose workflow did not start (a retried request, the recovery).</summary>
    public Task<StartedInstance> StartAsync(EiaApplication application, CancellationToken cancellationToken) =>
        StartAsync(application.CaseNumber,
            new EiaApplicationInput(application.CreditCode, application.ProjectName, application.Kind, application.DocumentType, application.City,
                application.QuotaNeeds, application.ReceivedAt),
            application.EnterpriseName,
            new EiaTrack(application.Track == "fast", new LocalizedText(application.TrackReasonZh, application.TrackReasonEn), application.Eligibility),
            application.CreatedBy, cancellationToken);

    /// <summary>At start-up: starts every application whose start was cut off.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var unstarted in await applications.UnstartedAsync(cancellationToken))
        {
            try
            {
                var started = await StartAsync(unstarted, cancellationToken);
                logger.LogWarning("EIA application {CaseNumber} had no workflow (its start was cut off); started instance {InstanceId}",
                    unstarted.CaseNumber, started.Id);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Could not start the workflow of EIA application {CaseNumber}; it is tried again at the next start-up", unstarted.CaseNumber);
            }
        }
    }
}
