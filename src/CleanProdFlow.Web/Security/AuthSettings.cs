using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Web.Security;

/// <summary>
/// Sign-in settings: <c>Auth:TokenLifetimeMinutes</c> for API tokens and page sessions; <c>Auth:LockoutThreshold</c>
/// wrong passwords in a row lock an account for <c>Auth:LockoutMinutes</c>.
/// </summary>
public sealed record AuthSettings(TimeSpan TokenLifetime, int LockoutThreshold, TimeSpan LockoutDuration)
{
    public const string TokenLifetimeKey = "Auth:TokenLifetimeMinutes";
    public const string LockoutThresholdKey = "Auth:LockoutThreshold";
    public const string LockoutMinutesKey = "Auth:LockoutMinutes";
    public const string Issuer = "CleanProdFlow";
    public const string Audience = "CleanProdFlow";

    public static AuthSettings Read(IConfiguration configuration) =>
        new(TimeSpan.FromMinutes(ReadWholeNumber(configuration, TokenLifetimeKey, 480, 5, 10_080, "minutes")),
            ReadWholeNumber(configuration, LockoutThresholdKey, 5, 3, 100, "wrong passwords"),
            TimeSpan.FromMinutes(ReadWholeNumber(configuration, LockoutMinutesKey, 15, 1, 1_440, "minutes")));

    private static int ReadWholeNumber(IConfiguration configuration, string key, int fallback, int min, int max, string unit)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (!int.TryParse(text, out var value) || value < min || value > max)
            throw new StartupException(key, $"'{text}' is not a whole number of {unit} from {min} to {max}.",
                $"set {key} to a whole number from {min} to {max}, or remove it for the default of {fallback}.");
        return value;
    }
}
