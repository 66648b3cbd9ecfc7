using System.Globalization;
using CleanProdFlow.Data.Database;
using MailKit.Security;
using MimeKit;

namespace CleanProdFlow.Web.Notifications;

/// <summary>
/// E-mail for notifications (<c>Notifications:Smtp</c>): off while <c>Host</c> is empty (the default), so a fresh
/// installation sends nothing; in-app notifications work either way. A failed sending is retried after each of
/// <c>Notifications:Email:RetryDelaysSeconds</c> until <c>MaxAttempts</c> were made; then it is marked failed with
/// its last error for administrators.
/// </summary>
public sealed record NotificationSettings(string? Host, int Port, SecureSocketOptions Security, string? User, string? Password, MailboxAddress? From,
    TimeSpan Timeout, int MaxAttempts, IReadOnlyList<TimeSpan> RetryDelays)
{
    public const string HostKey = "Notifications:Smtp:Host";
    public const string PortKey = "Notifications:Smtp:Port";
    public const string SecurityKey = "Notifications:Smtp:Security";
    public const string UserKey = "Notifications:Smtp:User";
    public const string PasswordKey = "Notifications:Smtp:Password";
    public const string FromKey = "Notifications:Smtp:From";
    public const string TimeoutKey = "Notifications:Smtp:TimeoutSeconds";
    public const string MaxAttemptsKey = "Notifications:Email:MaxAttempts";
    public const string RetryDelaysKey = "Notifications:Email:RetryDelaysSeconds";

    public bool EmailEnabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The wait before attempt <paramref name="attemptsMade"/> + 1 (the last delay repeats).</summary>
    public TimeSpan DelayAfter(int attemptsMade) => RetryDelays[Math.Clamp(attemptsMade - 1, 0, RetryDelays.Count - 1)];

    public static NotificationSettings Read(IConfiguration configuration)
    {
        var host = configuration[HostKey] is { Length: > 0 } h ? h.Trim() : null;
        var port = Number(configuration, PortKey, 25, 1, 65_535);
        var securityText = configuration[SecurityKey] is { Length: > 0 } s ? s.Trim() : "Auto";
        if (!Enum.TryParse<SecureSocketOptions>(securityText, ignoreCase: true, out var security) || !Enum.IsDefined(security))
            throw new StartupException(SecurityKey, $"'{securityText}' is not an SMTP security mode.",
                $"set {SecurityKey} to None, Auto (default: STARTTLS when offered), StartTls, StartTlsWhenAvailable or SslOnConnect.");
        MailboxAddress? from = null;
        if (host is not null)
        {
            var fromText = configuration[FromKey];
            if (string.IsNullOrWhiteSpace(fromText) || !MailboxAddress.TryParse(fromText.Trim(), out from))
                throw new StartupException(FromKey, $"'{fromText}' is not a sender address.",
                    $"set {FromKey} to the sender, e.g. \"清洁生产审批系统 <cpf@sthjt.jiangsu.gov.cn>\", or clear {HostKey} to send no e-mail.");
        }
        var timeout = Number(configuration, TimeoutKey, 30, 1, 600);
        var attempts = Number(configuration, MaxAttemptsKey, 5, 1, 50);
        var delaysText = configuration[RetryDelaysKey] is { Length: > 0 } d ? d : "60,300,900,3600";
        var delays = new List<TimeSpan>();
        foreach (var part in delaysText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 86_400)
                throw new StartupException(RetryDelaysKey, $"'{delaysText}' is not a list of seconds.",
                    $"set {RetryDelaysKey} to comma-separated waits in seconds (1 to 86400), e.g. \"60,300,900,3600\".");
            delays.Add(TimeSpan.FromSeconds(seconds));
        }
        if (delays.Count == 0)
            delays.Add(TimeSpan.FromSeconds(60));
        return new NotificationSettings(host, port, security, configuration[UserKey] is { Length: > 0 } u ? u : null,
            configuration[PasswordKey] is { Length: > 0 } p ? p : null, from, TimeSpan.FromSeconds(timeout), attempts, delays);
    }

    private static int Number(IConfiguration configuration, string key, int fallback, int min, int max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new StartupException(key, $"'{text}' is not a whole number from {min} to {max}.", $"set {key} to a number from {min} to {max}, or remove it for {fallback}.");
        return value;
    }
}
