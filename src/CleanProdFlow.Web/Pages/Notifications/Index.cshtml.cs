using CleanProdFlow.Data.Notifications;
using CleanProdFlow.Data.Users;
using CleanProdFlow.Web.Api.Notifications;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Notifications;

/// <summary>
/// 通知中心: the signed-in user's notifications, newest first, all or unread only, paged by keyset; each opens the
/// task or case it is about; one or all can be marked read (plain form posts). Only the user's own are ever shown.
/// </summary>
public sealed class IndexModel(UserStore users, NotificationStore notifications, TimeProvider time) : CpfPageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)] public bool Unread { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public IReadOnlyList<Notification> Rows { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public bool CursorWasInvalid { get; private set; }

    public int UnreadCount { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await users.FindByUsernameAsync(Caller.Username, cancellationToken) is not { IsActive: true } user)
            return StatusPage(StatusCodes.Status403Forbidden);
        if (!NotificationEndpoints.TryParseCursor(After, out var cursor))
        {
            CursorWasInvalid = true; // a stale or edited link: the first page, and say so
            cursor = null;
        }
        var page = await notifications.OfUserAsync(user.Id, Unread, cursor, PageSize + 1, cancellationToken);
        Rows = page.Take(PageSize).ToList();
        NextCursor = page.Count > PageSize ? NotificationEndpoints.CursorOf(Rows[^1]) : null;
        UnreadCount = await notifications.UnreadCountAsync(user.Id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostReadAsync(long id, string? returnUrl, CancellationToken cancellationToken)
    {
        if (await users.FindByUsernameAsync(Caller.Username, cancellationToken) is not { IsActive: true } user)
            return StatusPage(StatusCodes.Status403Forbidden);
        if (!await notifications.MarkReadAsync(user.Id, id, time.GetUtcNow(), cancellationToken))
            return StatusPage(StatusCodes.Status404NotFound);
        return LocalRedirect(LocalOr(returnUrl, "/notifications"));
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        if (await users.FindByUsernameAsync(Caller.Username, cancellationToken) is not { IsActive: true } user)
            return StatusPage(StatusCodes.Status403Forbidden);
        var count = await notifications.MarkAllReadAsync(user.Id, time.GetUtcNow(), cancellationToken);
        Flash = Ui.T($"已将 {count} 条通知标为已读", $"{count} notifications marked read");
        return LocalRedirect("/notifications");
    }

    public string Link(bool unread, string? after = null) =>
        "/notifications" + (unread ? "?unread=true" : "") + (after is null ? "" : (unread ? "&" : "?") + "after=" + Uri.EscapeDataString(after));
}
