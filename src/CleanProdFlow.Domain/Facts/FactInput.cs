using System.Globalization;
using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Facts;

/// <summary>Shared checks of the fact inputs: dates as yyyy-MM-dd not in the future, required bounded text.</summary>
internal static class FactInput
{
    public static DateOnly? Date(string? text, string field, DateOnly today, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new(field, new($"“{field}”不能为空", $"{field} is required")));
            return null;
        }
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(new(field, new($"“{field}”须为 yyyy-MM-dd 格式的日期", $"{field} must be a date as yyyy-MM-dd")));
            return null;
        }
        if (date > today)
        {
            errors.Add(new(field, new($"“{field}”不能晚于今天（{today:yyyy-MM-dd}）", $"{field} cannot be after today ({today:yyyy-MM-dd})")));
            return null;
        }
        return date;
    }

    public static string? Text(string? text, string field, int maxLength, bool required, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
                errors.Add(new(field, new($"“{field}”不能为空", $"{field} is required")));
            return null;
        }
        var trimmed = text.Trim();
        if (trimmed.Length > maxLength)
        {
            errors.Add(new(field, new($"“{field}”不能超过 {maxLength} 个字符", $"{field} must be at most {maxLength} characters")));
            return null;
        }
        return trimmed;
    }
}
