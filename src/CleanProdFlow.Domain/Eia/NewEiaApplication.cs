using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Timing;
using FieldError = CleanProdFlow.Domain.Common.FieldError;

namespace CleanProdFlow.Domain.Eia;

/// <summary>A checked EIA application, ready to be stored and started.</summary>
public sealed record EiaApplicationInput(string CreditCode, string ProjectName, string Kind, string DocumentType, string City,
    IReadOnlyDictionary<string, decimal> QuotaNeeds, DateTimeOffset ReceivedAt)
{
    /// <summary>The acceptance date: the Beijing date of receipt. Eligibility (and so the track) is judged as of it.</summary>
    public DateOnly AcceptanceDate => BeijingTime.DateOf(ReceivedAt);
}

/// <summary>
/// An EIA application as submitted to <c>POST /api/v1/eia/applications</c>, checked field by field; every refused
/// field is named with its reason in both languages.
/// </summary>
public sealed partial record NewEiaApplication(string? CreditCode, string? ProjectName, string? Kind, string? DocumentType, string? City,
    JsonObject? QuotaNeeds, string? ReceivedAt)
{
    public const int MaxProjectNameLength = 200;
    public const int MaxPollutants = 20;
    public const decimal MaxTonnesPerYear = 1_000_000m;

    /// <summary>How far a receipt time may lie ahead of the server's clock (a counter PC whose clock runs fast).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How late an application may be recorded. The decision clock counts from the receipt itself (clock.start reads
    /// the variable receivedAt), so a late record never gives the authority extra days; beyond this it needs a check.
    /// </summary>
    public const int MaxRecordingDelayDays = 30;

    [GeneratedRegex("^[A-Za-z0-9\\p{IsCJKUnifiedIdeographs}][A-Za-z0-9\\p{IsCJKUnifiedIdeographs}._()（）\\- ]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex PollutantName();

    /// <summary>ISO-8601 with date, time and an explicit offset (Z or ±hh:mm): a receipt without its offset is ambiguous.</summary>
    [GeneratedRegex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,7})?)?(Z|[+-]\\d{2}:\\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantWithOffset();

    /// <summary>
    /// The problems of the application as of <paramref name="now"/>. The receipt must be today (Beijing date) and not
    /// in the future: the statutory clock starts when the application is recorded and counts from the next working
    /// day, so recording it on another day than it arrived would shift the legal due date.
    /// </summary>
    public IReadOnlyList<FieldError> Validate(DateTimeOffset now)
    {
        Check(now, out var problems);
        return problems;
    }

    /// <summary>The checked application; null (and the problems) when a field is refused.</summary>
    public EiaApplicationInput? Check(DateTimeOffset now, out IReadOnlyList<FieldError> problems)
    {
        var errors = new List<FieldError>();
        if (UnifiedSocialCreditCode.Check(CreditCode) is { } codeProblem)
            errors.Add(new("creditCode", codeProblem));

        var projectName = ProjectName?.Trim();
        if (string.IsNullOrEmpty(projectName))
            errors.Add(new("projectName", new("须填写建设项目名称", "projectName is required")));
        else if (projectName.Length > MaxProjectNameLength)
            errors.Add(new("projectName", new($"建设项目名称不能超过 {MaxProjectNameLength} 个字符", $"projectName must be at most {MaxProjectNameLength} characters")));

        var kind = Kind?.Trim();
        if (string.IsNullOrEmpty(kind))
            errors.Add(new("kind", new("须说明建设性质：new（新建）、rebuild（改建）或 expand（扩建）", "kind is required: new, rebuild or expand")));
        else if (!EiaTerms.Kinds.ContainsKey(kind))
            errors.Add(new("kind", new($"建设性质“{kind}”无效，须为 new（新建）、rebuild（改建）或 expand（扩建）", $"kind '{kind}' must be new, rebuild or expand")));

        var documentType = DocumentType?.Trim();
        if (string.IsNullOrEmpty(documentType))
            errors.Add(new("documentType", new("须说明环评文件类型：report（报告书）或 form（报告表）", "documentType is required: report or form")));
        else if (!EiaTerms.DocumentTypes.ContainsKey(documentType))
            errors.Add(new("documentType", new($"环评文件类型“{documentType}”无效，须为 report（报告书）或 form（报告表）；登记表实行备案，不经审批",
                $"documentType '{documentType}' must be report or form (a registration form is filed, not approved)")));

        var city = City?.Trim();
        if (string.IsNullOrEmpty(city))
            errors.Add(new("city", new("须指定审批所在设区市（city）", "city is required")));
        else if (city == Organisation.ProvinceCode || Organisation.Find(city) is null)
            errors.Add(new("city", new($"设区市“{city}”无效，须为 13 个设区市之一", $"city '{city}' is not one of the 13 cities")));

        var quota = CheckQuota(errors);

        DateTimeOffset? receivedAt = null;
        var receivedText = ReceivedAt?.Trim();
        if (string.IsNullOrEmpty(receivedText))
            errors.Add(new("receivedAt", new("须填写收件时间（带时区的 ISO-8601 时刻，如 2026-09-28T09:30:00+08:00）",
                "receivedAt is required (an ISO-8601 instant with its offset, e.g. 2026-09-28T09:30:00+08:00)")));
        else if (!InstantWithOffset().IsMatch(receivedText)
                 || !DateTimeOffset.TryParse(receivedText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            errors.Add(new("receivedAt", new($"收件时间“{receivedText}”不是带时区的 ISO-8601 时刻（如 2026-09-28T09:30:00+08:00）",
                $"receivedAt '{receivedText}' is not an ISO-8601 instant with its offset (e.g. 2026-09-28T09:30:00+08:00)")));
        else if (parsed > now + FutureTolerance)
            errors.Add(new("receivedAt", new($"收件时间 {Beijing(parsed)} 晚于当前时间 {Beijing(now)}（北京时间）",
                $"receivedAt {Beijing(parsed)} is later than now, {Beijing(now)} (Beijing time)")));
        else if (BeijingDate(parsed) < BeijingDate(now).AddDays(-MaxRecordingDelayDays))
            errors.Add(new("receivedAt", new($"收件时间 {Beijing(parsed)} 早于 {MaxRecordingDelayDays} 天前：逾期登记的申请请联系管理员核实",
                $"receivedAt {Beijing(parsed)} is more than {MaxRecordingDelayDays} days ago: an application recorded that late needs an administrator's check")));
        else
            receivedAt = parsed;

        problems = errors;
        return errors.Count > 0
            ? null
            : new EiaApplicationInput(UnifiedSocialCreditCode.Normalise(CreditCode!), projectName!, kind!, documentType!, city!, quota!, receivedAt!.Value);
    }

    /// <summary>Pollutant → tonnes per year, each a number from 0; absent or empty means the project needs no quota.</summary>
    private Dictionary<string, decimal>? CheckQuota(List<FieldError> errors)
    {
        var quota = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (QuotaNeeds is null)
            return quota;
        if (QuotaNeeds.Count > MaxPollutants)
        {
            errors.Add(new("quotaNeeds", new($"总量指标最多列 {MaxPollutants} 项污染物", $"quotaNeeds lists at most {MaxPollutants} pollutants")));
            return null;
        }
        var ok = true;
        foreach (var (name, value) in QuotaNeeds)
        {
            var field = $"quotaNeeds.{name}";
            if (!PollutantName().IsMatch(name))
            {
                errors.Add(new(field, new($"污染物名称“{name}”无效（1–32 个字母、数字或汉字，如 COD、NH3-N、颗粒物）",
                    $"pollutant name '{name}' is not valid (1–32 letters, digits or Chinese characters, e.g. COD, NH3-N)")));
                ok = false;
                continue;
            }
            // Read from the JSON text: a value built in code (a double) does not convert through TryGetValue<decimal>.
            if (value is not JsonValue number || number.GetValueKind() != JsonValueKind.Number
                || !decimal.TryParse(number.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var tonnes))
            {
                errors.Add(new(field, new($"“{name}”的需求量须为数字（吨/年）", $"the amount for '{name}' must be a number (tonnes per year)")));
                ok = false;
                continue;
            }
            if (tonnes < 0 || tonnes > MaxTonnesPerYear)
            {
                errors.Add(new(field, new($"“{name}”的需求量须在 0 至 {MaxTonnesPerYear:0} 吨/年之间", $"the amount for '{name}' must be from 0 to {MaxTonnesPerYear:0} tonnes per year")));
                ok = false;
                continue;
            }
            quota[name] = tonnes;
        }
        return ok ? quota : null;
    }

    private static DateOnly BeijingDate(DateTimeOffset instant) => BeijingTime.DateOf(instant);

    private static string Beijing(DateTimeOffset instant) => BeijingTime.Format(instant);
}
