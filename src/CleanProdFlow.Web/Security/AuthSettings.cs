using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Web.Security;

/// <summary>Sign-in settings: <c>Auth:TokenLifetimeMinutes</c> for API tokens and page sessions.</summary>
public sealed record AuthSettings(TimeSpan TokenLifetime)
{
    public const string TokenLifetimeKey = "Auth:TokenLifetimeMinutes";
    public const string Issuer = "CleanProdFlow";
    public const string Audience = "CleanProdFlow";

    public static AuthSettings Read(IConfiguration configuration)
    {
        var text = configuration[TokenLifetimeKey];
        if (string.IsNullOrWhiteSpace(text))
            return new AuthSettings(TimeSpan.FromHours(8)); // one working day
        if (!int.TryParse(text, out var minutes) || minutes is < 5 or > 10_080)
            throw new StartupException(TokenLifetimeKey, $"'{text}' is not a token lifetime in minutes.",
                "set a whole number of minutes from 5 to 10080 (one week), or remove it for the default of 480.");
        return new AuthSettings(TimeSpan.FromMinutes(minutes));
    }
}
