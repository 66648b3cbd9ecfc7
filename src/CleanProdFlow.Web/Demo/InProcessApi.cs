using System.Security.Claims;
using System.Text.Json;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Eia;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Imports;
using CleanProdFlow.Web.Api.Reception;
using CleanProdFlow.Web.Api.Register;
using CleanProdFlow.Web.Clocks;
using CleanProdFlow.Web.Security;

namespace CleanProdFlow.Web.Demo;

/// <summary>
/// The product's own API endpoints, called in process: the demo data (and the register's import page) go through
/// exactly the code an integrator's request runs (checks, numbering, the workflow start), with a user as the caller. The endpoints are mapped
/// onto a private route builder (the host's own are mapped only after start-up preparation); each call runs an
/// endpoint's request delegate on a fresh HttpContext whose services answer with the seed's clock and runtime, so a
/// case can be recorded on the day it arrived, weeks ago.
/// </summary>
public sealed class InProcessApi
{
    private readonly Dictionary<string, RouteEndpoint> _endpoints;

    public InProcessApi(IServiceProvider services)
    {
        var builder = new Builder(services);
        var api = builder.MapGroup("/api/v1");
        api.MapEnterprises();
        api.MapEia();
        api.MapImports();
        builder.MapRegister(api);
        api.MapReception();
        _endpoints = builder.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, StringComparer.Ordinal);
    }

    /// <summary>A caller as a signed-in user of that organisation and role would be.</summary>
    public static ClaimsPrincipal User(string role, string organisation) =>
        new(new ClaimsIdentity(
        [
            new Claim(UserPrincipal.UsernameClaim, $"{role}.{organisation}"), new Claim(UserPrincipal.DisplayNameClaim, $"{role}.{organisation}"),
            new Claim(UserPrincipal.OrganisationClaim, organisation), new Claim(UserPrincipal.RoleClaim, role),
        ], "demo-seed", UserPrincipal.UsernameClaim, UserPrincipal.RoleClaim));

    /// <summary>Calls the endpoint named <paramref name="name"/>; returns the status and the JSON answer (if any).</summary>
    public Task<(int Status, JsonElement Body)> CallAsync(string name, ClaimsPrincipal user, IServiceProvider services, object? body = null,
        IReadOnlyDictionary<string, string>? route = null, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync(name, user, services, body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web),
            "application/json; charset=utf-8", route, idempotencyKey, cancellationToken);

    /// <summary>Calls the endpoint with a body of its own content type (e.g. multipart/form-data with a file).</summary>
    public async Task<(int Status, JsonElement Body)> SendAsync(string name, ClaimsPrincipal user, IServiceProvider services, byte[]? body,
        string contentType, IReadOnlyDictionary<string, string>? route = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var endpoint = _endpoints[name];
        var context = new DefaultHttpContext { RequestServices = services, User = user };
        context.Request.Method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? HttpMethods.Post;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = endpoint.RoutePattern.RawText ?? "/";
        foreach (var (key, value) in route ?? new Dictionary<string, string>())
            context.Request.RouteValues[key] = value;
        context.Request.Headers.Accept = "application/json";
        if (idempotencyKey is not null)
            context.Request.Headers["Idempotency-Key"] = idempotencyKey;
        if (body is not null)
        {
            context.Request.ContentType = contentType;
            context.Request.ContentLength = body.Length;
            context.Request.Body = new MemoryStream(body);
            context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>(new HasBody());
        }
        var answer = new MemoryStream();
        context.Response.Body = answer;
        context.RequestAborted = cancellationToken;
        await endpoint.RequestDelegate!(context);
        using var document = answer.Length == 0 ? JsonDocument.Parse("null") : JsonDocument.Parse(answer.ToArray());
        return (context.Response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Tells the endpoint that the request carries a body (a server sets it from the request's headers).</summary>
    private sealed class HasBody : Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    /// <summary>A route builder of our own: the endpoints it maps serve only these calls.</summary>
    private sealed class Builder(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;

        public ICollection<EndpointDataSource> DataSources { get; } = [];

        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}

/// <summary>
/// The services of a demo call: the host's, except the clock and what must read it — the workflow runtime (its
/// commands stamp the journal, tasks and timers) and the staff clock actions.
/// </summary>
public sealed class SeedServices(IServiceProvider inner, TimeProvider time, WorkflowRuntime runtime, ClockActions clockActions) : IServiceProvider
{
    public object? GetService(Type serviceType) =>
        serviceType == typeof(TimeProvider) ? time
        : serviceType == typeof(WorkflowRuntime) ? runtime
        : serviceType == typeof(ClockActions) ? clockActions
        : serviceType == typeof(IServiceProvider) ? this
        : inner.GetService(serviceType);
}

/// <summary>The seed's clock: moved forward by the seed through each case's history, one case at a time.</summary>
public sealed class SeedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Sets the clock (a case's history starts earlier than the last one ended).</summary>
    public void Set(DateTimeOffset at) => _now = at.ToUniversalTime();

    /// <summary>Moves forward only (within a case, nothing may happen before what already happened).</summary>
    public void Forward(DateTimeOffset at)
    {
        if (at > _now)
            _now = at.ToUniversalTime();
    }
}

/// <summary>Timers of the seed's runtime are not handed to Hangfire: the seed fires them itself at their due instants.</summary>
public sealed class NoTimerScheduler : ITimerScheduler
{
    public void Schedule(Guid timerId, DateTimeOffset dueAt)
    {
    }
}
