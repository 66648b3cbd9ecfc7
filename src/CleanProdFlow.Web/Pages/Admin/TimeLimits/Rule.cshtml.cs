using System.Globalization;
using System.Text.Json;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Timing.Rules;
using CleanProdFlow.Web.Timing;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Admin.TimeLimits;

/// <summary>One recorded version of a rule, read back, with the fields that differ from the version before it.</summary>
public sealed record RuleHistoryEntry(TimeLimitRuleVersion Version, TimeLimitRule Rule, IReadOnlySet<string> Changed);

/// <summary>The values of the edit form as typed (kept when the change is refused).</summary>
public sealed class RuleForm
{
    public string? NameZh { get; set; }
    public string? NameEn { get; set; }
    public string? Limit { get; set; }
    public string? Unit { get; set; }
    public bool Halvable { get; set; }
    public string? Rounding { get; set; }
    public string? LegalBasis { get; set; }
    public bool Verified { get; set; }
    public string? Note { get; set; }
    public string? Reason { get; set; }
    public int ExpectedVersion { get; set; }
}

/// <summary>
/// One time-limit rule: change it with a reason (recorded as its next version by <see cref="StatutoryTime"/>, which
/// checks it and puts it in force) and its whole history, each version with who recorded it, when and why.
/// </summary>
public sealed class RuleModel(StatutoryTime statutory, TimeLimitRuleStore store) : CpfPageModel
{
    public TimeLimitRule Rule { get; private set; } = null!;

    public IReadOnlyList<RuleHistoryEntry> History { get; private set; } = [];

    [BindProperty]
    public RuleForm Form { get; set; } = new();

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? Refusal { get; private set; }

    public string? ErrorOf(string field) => Errors.GetValueOrDefault(field);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } missing)
            return missing;
        Form = new RuleForm
        {
            NameZh = Rule.NameZh, NameEn = Rule.NameEn, Limit = Rule.Limit.ToString(CultureInfo.InvariantCulture), Unit = Rule.Unit.JsonName(),
            Halvable = Rule.Halvable, Rounding = HalfRoundings.JsonNames[(int)Rule.Rounding], LegalBasis = Rule.LegalBasis,
            Verified = Rule.Verified, Note = Rule.Note, ExpectedVersion = History.Count == 0 ? 0 : History[^1].Version.Version,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } missing)
            return missing;

        // Only the typing is checked here (a number, a known word); the rule itself is checked by StatutoryTime.
        int? limit = int.TryParse(Form.Limit?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        if (limit is null)
            Errors["limit"] = Ui.T($"时限须为 1–{TimeLimit.MaxAmount} 的整数", $"the limit must be a whole number from 1 to {TimeLimit.MaxAmount}");
        if (!PeriodUnits.TryParse(Form.Unit ?? "", out var unit))
            Errors["unit"] = Ui.T("请选择计算单位", "choose a unit");
        if (!HalfRoundings.TryParse(Form.Rounding ?? "", out var rounding))
            Errors["rounding"] = Ui.T("请选择减半时的取整方式", "choose how a halved limit rounds");
        var changed = Rule with
        {
            NameZh = Form.NameZh?.Trim() ?? "", NameEn = Form.NameEn?.Trim() ?? "", Limit = limit ?? 0, Unit = unit, Halvable = Form.Halvable,
            Rounding = rounding, LegalBasis = Form.LegalBasis?.Trim() ?? "", Verified = Form.Verified,
            Note = string.IsNullOrWhiteSpace(Form.Note) ? null : Form.Note.Trim(),
        };
        if (Errors.Count == 0)
        {
            var result = await statutory.ChangeRuleAsync(changed, Form.ExpectedVersion, Caller.Username, Form.Reason, cancellationToken);
            if (result.Succeeded)
            {
                Flash = Ui.T($"已保存为版本 {result.Recorded!.Version}，新计算的期限即按此规则", $"Saved as version {result.Recorded!.Version}; new deadlines use it");
                return LocalRedirect($"/admin/time-limits/{Uri.EscapeDataString(id)}");
            }
            if (result.Conflict)
            {
                Refusal = Ui.T("该规则已被他人修改：请查看下方最新版本后重新修改", "Someone else changed this rule meanwhile: see its newest version below and edit again");
                Response.StatusCode = StatusCodes.Status409Conflict;
                Form.ExpectedVersion = History.Count == 0 ? 0 : History[^1].Version.Version;
                return Page();
            }
            foreach (var error in result.Errors)
                Errors.TryAdd(error.Field, Ui.T(error.MessageZh, error.MessageEn));
        }
        else if (string.IsNullOrWhiteSpace(Form.Reason))
        {
            Errors["reason"] = Ui.T("须填写修改理由", "a reason for the change is required");
        }
        Refusal = Errors.GetValueOrDefault("") ?? Ui.T("修改未保存：请更正标出的内容", "Not saved: correct the marked fields");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (!statutory.Rules.TryGet(id, out var rule))
            return StatusPage(StatusCodes.Status404NotFound);
        Rule = rule;
        var versions = await store.HistoryAsync(id, cancellationToken);
        var entries = new List<RuleHistoryEntry>();
        TimeLimitRule? previous = null;
        foreach (var version in versions)
        {
            var read = JsonSerializer.Deserialize<TimeLimitRule>(version.Definition, TimingJson.Options)!;
            entries.Add(new RuleHistoryEntry(version, read, previous is null ? new HashSet<string>() : ChangedFields(previous, read)));
            previous = read;
        }
        History = entries;
        return null;
    }

    private static HashSet<string> ChangedFields(TimeLimitRule before, TimeLimitRule after)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        if (before.NameZh != after.NameZh || before.NameEn != after.NameEn) changed.Add("name");
        if (before.Limit != after.Limit || before.Unit != after.Unit) changed.Add("limit");
        if (before.Halvable != after.Halvable) changed.Add("halvable");
        if (before.Rounding != after.Rounding) changed.Add("rounding");
        if (before.LegalBasis != after.LegalBasis) changed.Add("legalBasis");
        if (before.Verified != after.Verified) changed.Add("verified");
        if (before.Note != after.Note) changed.Add("note");
        return changed;
    }
}
