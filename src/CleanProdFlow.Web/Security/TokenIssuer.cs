using CleanProdFlow.Domain.Access;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CleanProdFlow.Web.Security;

/// <summary>Issues the signed JWTs the API accepts as <c>Authorization: Bearer</c>.</summary>
public sealed class TokenIssuer(TokenSigningKey signingKey, AuthSettings settings, TimeProvider time)
{
    public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

    public IssuedToken Issue(User user)
    {
        var now = time.GetUtcNow();
        var expires = now + settings.TokenLifetime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = UserPrincipal.IdentityOf(user, "Bearer"),
            Issuer = AuthSettings.Issuer,
            Audience = AuthSettings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, expires);
    }
}
