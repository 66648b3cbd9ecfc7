using System.Globalization;
using System.Security.Claims;
using CleanProdFlow.Data.Notifications;
using CleanProdFlow.Data.Users;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Notifications;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Security;

namespace CleanProdFlow.Web.Api.Notifications;

/// <summary>
/// The signed-in user's notifications (issue 13 item 5): newest first, keyset paged, optionally unread only; the
/// unread count; marking one or all read. Another user's notification is a 404 (its existence does not leak). The
/// e-mail address notifications go to is set by the user (/me/email) or an administrator of the user's organisation;
/// administrators see the e-mails not delivered with their last error.
/// </summary>
public static class NotificationEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public sealed record NotificationView(long Id, string Kind, string KindName, string Title, string Body, string TitleZh, string TitleEn, string BodyZh,
        string BodyEn, string Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, string? EmailStatus);

    public sealed record NotificationPage(IReadOnlyList<NotificationView> Notifications, string? Next);

    public sealed record UnreadCount(int Unread);

    public sealed record EmailRequest(string? Email);

    public sealed record EmailView(string Username, string? Email);

    public static void MapNotifications(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/notifications").WithTags("notifications");
        group.MapGet("/", ListAsync).WithName("ListNotifications")
            .WithSummary("My notifications, newest first (keyset: pass 'next' as 'after'; unread=true for unread only)")
            .Produces<NotificationPage>().ProducesValidationProblem();
        group.MapGet("/unread-count", CountAsync).WithName("UnreadNotificationCount").WithSummary("How many of my notifications are unread")
            .Produces<UnreadCount>();
        group.MapPost("/{id:long}/read", ReadAsync).WithName("ReadNotification").WithSummary("Marks one of my notifications read")
            .Produces<NotificationView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/read-all", ReadAllAsync).WithName("ReadAllNotifications").WithSummary("Marks all my notifications read")
            .Produces<UnreadCount>();
        api.MapGet("/me/email", GetMyEmailAsync).WithTags("notifications").WithName("GetMyEmail")
            .WithSummary("Where my e-mail notifications go (null: none)").Produces<EmailView>();
        api.MapPut("/me/email", SetMyEmailAsync).WithTags("notifications").WithName("SetMyEmail")
            .WithSummary("Where my e-mail notifications go (empty or null: none)").Produces<EmailView>().ProducesValidationProblem();
        var admin = api.MapGroup("/admin").RequireAuthorization(SecurityRegistration.AdminPolicy).WithTags("admin");
        admin.MapPut("/users/{username}/email", SetUserEmailAsync).WithName("SetUserEmail")
            .WithSummary("Where a user's e-mail notifications go (administrators of the user's organisation; the province: everyone)")
            .Produces<EmailView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/notification-emails", UndeliveredAsync).WithName("UndeliveredNotificationEmails")
            .WithSummary("Notification e-mails not delivered (due, being sent, or given up) with their attempts and last error")
            .Produces<IReadOnlyList<EmailDelivery>>().ProducesValidationProblem();
    }

    private static IResult NotFound() =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该通知", "No such notification"),
            new("没有该通知，或不是您的通知", "No such notification, or not yours"));

    private static IResult SignedOut() =>
        Problem.Status(StatusCodes.Status401Unauthorized, new("该账号已不存在或已停用", "This account no longer exists or is inactive"));

    public static NotificationView ViewOf(Notification n) => new(n.Id, n.Kind, NotificationKind.NameOf(n.Kind).In(), n.Title.In(), n.Body.In(),
        n.Title.Zh, n.Title.En, n.Body.Zh, n.Body.En, n.Link, n.CreatedAt, n.ReadAt, n.EmailStatus);

    /// <summary>The keyset cursor of a page's last notification: "{created UTC ticks}-{id}".</summary>
    public static string CursorOf(Notification n) => string.Create(CultureInfo.InvariantCulture, $"{n.CreatedAt.UtcTicks}-{n.Id}");

    public static bool TryParseCursor(string? text, out (DateTimeOffset CreatedAt, long Id)? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
            return true;
        var parts = text.Split('-');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return false;
        cursor = (new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal principal, UserStore users, NotificationStore notifications, string? unread, string? after,
        string? limit, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var unreadOnly = false;
        if (!string.IsNullOrEmpty(unread) && !bool.TryParse(unread, out unreadOnly))
            errors.Add(new("unread", new("unread 须为 true 或 false", "unread must be true or false")));
        var size = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
            errors.Add(new("limit", new($"limit 须为 1 至 {MaxLimit} 的整数", $"limit must be a whole number from 1 to {MaxLimit}")));
        if (!TryParseCursor(after, out var cursor))
            errors.Add(new("after", new("after 须为上一页返回的 next 值", "after must be the 'next' value of the previous page")));
        if (errors.Count > 0)
            return Problem.Validation(errors);
        if (await users.FindByUsernameAsync(principal.Username(), cancellationToken) is not { IsActive: true } user)
            return SignedOut();
        var page = await notifications.OfUserAsync(user.Id, unreadOnly, cursor, size + 1, cancellationToken);
        var shown = page.Take(size).ToList();
        return TypedResults.Ok(new NotificationPage(shown.Select(ViewOf).ToList(), page.Count > size ? CursorOf(shown[^1]) : null));
    }

    private static async Task<IResult> CountAsync(ClaimsPrincipal principal, NotificationStore notifications, CancellationToken cancellationToken) =>
        TypedResults.Ok(new UnreadCount(await notifications.UnreadCountOfAsync(principal.Username(), cancellationToken)));

    private static async Task<IResult> ReadAsync(long id, ClaimsPrincipal principal, UserStore users, NotificationStore notifications, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await users.FindByUsernameAsync(principal.Username(), cancellationToken) is not { IsActive: true } user)
            return SignedOut();
        if (!await notifications.MarkReadAsync(user.Id, id, time.GetUtcNow(), cancellationToken))
            return NotFound();
        return TypedResults.Ok(ViewOf((await notifications.FindAsync(id, cancellationToken))!));
    }

    private static async Task<IResult> ReadAllAsync(ClaimsPrincipal principal, UserStore users, NotificationStore notifications, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await users.FindByUsernameAsync(principal.Username(), cancellationToken) is not { IsActive: true } user)
            return SignedOut();
        await notifications.MarkAllReadAsync(user.Id, time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new UnreadCount(await notifications.UnreadCountAsync(user.Id, cancellationToken)));
    }

    /// <summary>A valid address (trimmed), or null to clear; the refusal names the field.</summary>
    public static (string? Email, FieldError? Error) ParseEmail(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return (null, null);
        var email = text.Trim();
        return email.Length <= 254 && email.Count(c => c == '@') == 1 && !email.Contains(' ', StringComparison.Ordinal)
               && MimeKit.MailboxAddress.TryParse(email, out var parsed) && parsed.Address == email && email.IndexOf('@') is > 0 and var at && at < email.Length - 1
            ? (email, null)
            : (null, new FieldError("email", new("email 须为有效的电子邮件地址（如 zhang.san@sthjt.jiangsu.gov.cn），留空则不发邮件",
                "email must be a valid e-mail address (e.g. zhang.san@sthjt.jiangsu.gov.cn), or empty for none")));
    }

    private static async Task<IResult> GetMyEmailAsync(ClaimsPrincipal principal, UserStore users, NotificationStore notifications,
        CancellationToken cancellationToken) =>
        await users.FindByUsernameAsync(principal.Username(), cancellationToken) is { IsActive: true } user
            ? TypedResults.Ok(new EmailView(user.Username, await notifications.EmailOfAsync(user.Id, cancellationToken)))
            : SignedOut();

    private static async Task<IResult> SetMyEmailAsync(EmailRequest request, ClaimsPrincipal principal, UserStore users, NotificationStore notifications,
        CancellationToken cancellationToken)
    {
        var (email, error) = ParseEmail(request.Email);
        if (error is not null)
            return Problem.Validation([error]);
        if (await users.FindByUsernameAsync(principal.Username(), cancellationToken) is not { IsActive: true } user)
            return SignedOut();
        await notifications.SetEmailAsync(user.Id, email, cancellationToken);
        return TypedResults.Ok(new EmailView(user.Username, email));
    }

    private static async Task<IResult> SetUserEmailAsync(string username, EmailRequest request, ClaimsPrincipal principal, UserStore users,
        NotificationStore notifications, CancellationToken cancellationToken)
    {
        var (email, error) = ParseEmail(request.Email);
        if (error is not null)
            return Problem.Validation([error]);
        var admin = await users.FindByUsernameAsync(principal.Username(), cancellationToken);
        var user = await users.FindByUsernameAsync(username, cancellationToken);
        if (admin is null || user is null || !(admin.Organisation.IsProvince || admin.OrganisationCode == user.OrganisationCode))
            return Problem.Status(StatusCodes.Status404NotFound, new("找不到该用户", "No such user"),
                new($"没有用户名为 {username} 的账号（或不属于本单位）", $"No account {username} (or not of your organisation)"));
        if (!admin.MayAdministerUsersOf(user.OrganisationCode))
            return Problem.Status(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"));
        await notifications.SetEmailAsync(user.Id, email, cancellationToken);
        return TypedResults.Ok(new EmailView(user.Username, email));
    }

    private static async Task<IResult> UndeliveredAsync(ClaimsPrincipal principal, UserStore users, NotificationStore notifications, string? limit,
        CancellationToken cancellationToken)
    {
        var size = 100;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 500))
            return Problem.Validation("limit", new("limit 须为 1 至 500 的整数", "limit must be a whole number from 1 to 500"));
        if (await users.FindByUsernameAsync(principal.Username(), cancellationToken) is not { IsActive: true } admin)
            return SignedOut();
        // A city's administrator sees the e-mails of the city's staff; the province's, everyone's.
        var organisations = admin.Organisation.IsProvince ? null : new[] { admin.OrganisationCode };
        return TypedResults.Ok(await notifications.UndeliveredEmailsAsync(organisations, size, cancellationToken));
    }
}
