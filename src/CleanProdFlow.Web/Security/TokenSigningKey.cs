using System.Security.Cryptography;
using CleanProdFlow.Data.Database;
using Microsoft.IdentityModel.Tokens;

namespace CleanProdFlow.Web.Security;

/// <summary>
/// The HMAC key that signs API tokens: <c>Auth:SigningKey</c> (base64, at least 32 bytes) when set — every node of
/// a cluster must share it — otherwise a random key created once in the data directory, so tokens survive a restart.
/// </summary>
public sealed class TokenSigningKey
{
    public const string SigningKeyKey = "Auth:SigningKey";
    private const int MinimumBytes = 32;

    private TokenSigningKey(byte[] key) => Key = new SymmetricSecurityKey(key) { KeyId = "cpf-1" };

    public SymmetricSecurityKey Key { get; }

    public static TokenSigningKey Resolve(IConfiguration configuration, ILogger logger)
    {
        var configured = configuration[SigningKeyKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            byte[] bytes;
            try { bytes = Convert.FromBase64String(configured); }
            catch (FormatException) { throw Invalid("it is not base64"); }
            if (bytes.Length < MinimumBytes)
                throw Invalid($"it is {bytes.Length} bytes long");
            return new TokenSigningKey(bytes);
        }

        var file = Path.Combine(DatabaseSettings.DataDirectory(configuration), "token-signing.key");
        try
        {
            if (File.Exists(file))
            {
                var stored = Convert.FromBase64String(File.ReadAllText(file).Trim());
                if (stored.Length >= MinimumBytes)
                    return new TokenSigningKey(stored);
            }
            var fresh = RandomNumberGenerator.GetBytes(64);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, Convert.ToBase64String(fresh));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            logger.LogWarning("Created a token signing key in {File}; set {Setting} to share one key between nodes", file, SigningKeyKey);
            return new TokenSigningKey(fresh);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new StartupException(SigningKeyKey, $"The token signing key file {file} cannot be used: {e.Message}",
                $"make the data directory writable or set {SigningKeyKey} to a base64 key of at least {MinimumBytes} bytes.", e);
        }
    }

    private static StartupException Invalid(string why) =>
        new(SigningKeyKey, $"The token signing key is not usable: {why}.",
            $"set {SigningKeyKey} to a base64 string of at least {MinimumBytes} random bytes (e.g. `openssl rand -base64 48`).");
}
