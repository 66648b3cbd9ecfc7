using CleanProdFlow.Data.Users;
using CleanProdFlow.Domain.Access;
using Microsoft.AspNetCore.Identity;

namespace CleanProdFlow.Web.Security;

/// <summary>
/// With <c>Demo:SeedUsers</c> true (the default run), one user per role in the province and in Suzhou,
/// named &lt;role&gt;.&lt;organisation&gt; (e.g. review.suzhou) with the password <c>Demo:Password</c>.
/// Existing users are left alone, so a restart changes nothing.
/// </summary>
public static class DemoUsers
{
    public const string SeedKey = "Demo:SeedUsers";
    public const string PasswordKey = "Demo:Password";
    public const string DefaultPassword = "Demo#2026";
    public static readonly string[] Organisations = [Organisation.ProvinceCode, "suzhou"];

    public static async Task SeedIfEnabledAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        if (!configuration.GetValue(SeedKey, false))
            return;

        var password = configuration[PasswordKey] is { Length: > 0 } configured ? configured : DefaultPassword;
        if (PasswordPolicy.Check(password) is { } problem)
            throw new Data.Database.StartupException(PasswordKey, $"The demo password is refused: {problem.En}.",
                "choose a password of 8+ characters mixing three of upper case, lower case, digits and symbols.");

        var users = services.GetRequiredService<UserStore>();
        var hasher = services.GetRequiredService<IPasswordHasher<User>>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoUsers));
        var created = 0;
        foreach (var organisation in Organisations.Select(code => Organisation.Find(code)!))
        foreach (var role in Roles.All)
        {
            var username = $"{role}.{organisation.Code}";
            if (await users.ExistsAsync(username, cancellationToken))
                continue;
            try
            {
                await users.CreateAsync(username, $"演示用户 {role} ({organisation.NameZh})", organisation.Code, [role],
                    hasher.HashPassword(null!, password), now, "demo-seed", cancellationToken);
                created++;
            }
            catch (DuplicateUsernameException)
            {
                // Another node seeded it at the same moment.
            }
        }
        if (created > 0)
            logger.LogWarning("Created {Count} demo users (<role>.<organisation>, password from {Setting}); turn {Seed} off in production",
                created, PasswordKey, SeedKey);
    }
}
