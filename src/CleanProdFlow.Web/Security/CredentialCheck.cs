using CleanProdFlow.Data.Users;
using CleanProdFlow.Domain.Access;
using Microsoft.AspNetCore.Identity;

namespace CleanProdFlow.Web.Security;

/// <summary>The outcome of a sign-in: the user, or nobody, or an account locked until a time.</summary>
public sealed record SignInOutcome(User? User, DateTimeOffset? LockedUntil)
{
    public static readonly SignInOutcome Refused = new(null, null);
}

/// <summary>
/// Checks a username and password against the stored hash (ASP.NET Core Identity's PBKDF2 hasher). Wrong passwords
/// in a row lock the account for a while; a locked account is refused even with the right password.
/// </summary>
public sealed class CredentialCheck(
    UserStore users, IPasswordHasher<User> hasher, AuthSettings settings, TimeProvider time, ILogger<CredentialCheck> logger)
{
    // Verifying against this when the user does not exist costs as much as a real check, so response time
    // does not reveal which usernames exist.
    private static readonly string DecoyHash = new PasswordHasher<User>().HashPassword(null!, "decoy-password-never-matches");

    public async Task<SignInOutcome> VerifyAsync(string username, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var user = await users.FindByUsernameAsync(username, cancellationToken);
        if (user is null)
        {
            hasher.VerifyHashedPassword(null!, DecoyHash, password);
            logger.LogWarning("Sign-in refused for unknown user {Username}", username);
            return SignInOutcome.Refused;
        }
        if (user.IsLockedAt(now))
        {
            logger.LogWarning("Sign-in refused for {Username}: locked until {LockedUntil}", user.Username, user.LockedUntil);
            return new SignInOutcome(null, user.LockedUntil);
        }

        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            var after = await users.RecordFailedSignInAsync(user.Username, settings.LockoutThreshold, now + settings.LockoutDuration, cancellationToken);
            logger.LogWarning("Sign-in refused for {Username}: wrong password ({Failures} in a row)", user.Username, after?.FailedSignIns);
            return after is not null && after.IsLockedAt(now) ? new SignInOutcome(null, after.LockedUntil) : SignInOutcome.Refused;
        }
        if (!user.IsActive)
        {
            logger.LogWarning("Sign-in refused for {Username}: account inactive", user.Username);
            return SignInOutcome.Refused;
        }

        await users.RecordSuccessfulSignInAsync(user.Username, cancellationToken);
        logger.LogInformation("{Username} of {Organisation} signed in", user.Username, user.OrganisationCode);
        return new SignInOutcome(user, null);
    }
}
