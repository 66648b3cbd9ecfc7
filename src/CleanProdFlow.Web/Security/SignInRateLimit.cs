using System.Globalization;
using System.Threading.RateLimiting;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Web.Api.Problems;
using Microsoft.AspNetCore.RateLimiting;

namespace CleanProdFlow.Web.Security;

/// <summary>
/// Sign-in attempts (POST /api/v1/auth/token and POST /account/login) are limited per client address to
/// <c>Auth:SignInAttemptsPerMinute</c> (default 30): the lockout stops guessing one account's password, this stops
/// one address from trying many accounts. A refused attempt is a 429 problem with Retry-After, before the password
/// is checked (so it neither counts towards nor reveals a lockout).
/// </summary>
public static class SignInRateLimit
{
    public const string AttemptsPerMinuteKey = "Auth:SignInAttemptsPerMinute";
    public const int DefaultAttemptsPerMinute = 30;

    public static readonly LocalizedText TooMany = new("登录尝试过于频繁", "Too many sign-in attempts");

    public static readonly LocalizedText TryLater = new("同一地址的登录尝试过多，请一分钟后再试", "too many sign-in attempts from this address; try again in a minute");

    public static void AddSignInRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var permits = AttemptsPerMinute(configuration);
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context.Request)
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(""));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = "60";
                await Problem.Status(StatusCodes.Status429TooManyRequests, TooMany, TryLater).ExecuteAsync(rejected.HttpContext);
            };
        });
    }

    private static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals("/api/v1/auth/token", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase));

    /// <summary>The setting, checked at start-up like the other sign-in settings.</summary>
    public static int AttemptsPerMinute(IConfiguration configuration)
    {
        var text = configuration[AttemptsPerMinuteKey];
        if (string.IsNullOrWhiteSpace(text))
            return DefaultAttemptsPerMinute;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > 100_000)
            throw new CleanProdFlow.Data.Database.StartupException(AttemptsPerMinuteKey, $"'{text}' is not a whole number of attempts from 1 to 100000.",
                $"set {AttemptsPerMinuteKey} to a whole number from 1 to 100000, or remove it for the default of {DefaultAttemptsPerMinute}.");
        return value;
    }
}
