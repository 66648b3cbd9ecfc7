using CleanProdFlow.Data.Users;
using CleanProdFlow.Domain.Access;
using Microsoft.AspNetCore.Identity;

namespace CleanProdFlow.Web.Security;

/// <summary>Checks a username and password against the stored hash (ASP.NET Core Identity's PBKDF2 hasher).</summary>
public sealed class CredentialCheck(UserStore users, IPasswordHasher<User> hasher, ILogger<CredentialCheck> logger)
{
    // Verifying against this when the user does not exist costs as much as a real check, so response time
    // does not reveal which usernames exist.
    private static readonly string DecoyHash = new PasswordHasher<User>().HashPassword(null!, "decoy-password-never-matches");

    /// <summary>The active user with these credentials, or null (the caller does not learn which part was wrong).</summary>
    public async Task<User?> VerifyAsync(string username, string password, CancellationToken cancellationToken)
    {
        var user = await users.FindByUsernameAsync(username, cancellationToken);
        if (user is null)
        {
            hasher.VerifyHashedPassword(null!, DecoyHash, password);
            logger.LogWarning("Sign-in refused for unknown user {Username}", username);
            return null;
        }
        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed || !user.IsActive)
        {
            logger.LogWarning("Sign-in refused for {Username}: {Reason}", user.Username,
                user.IsActive ? "wrong password" : "account inactive");
            return null;
        }
        logger.LogInformation("{Username} of {Organisation} signed in", user.Username, user.OrganisationCode);
        return user;
    }
}
