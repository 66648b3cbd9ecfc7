using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CleanProdFlow.Engine.Runtime;

/// <summary>
/// The journal's tamper evidence (issue 12): each row's hash is SHA-256 over the previous row's hash and the row's own
/// content, so editing, inserting or removing a row changes every hash after it. The text hashed is fixed here and
/// must never change (stored hashes depend on it): fields joined by U+001F, the instant as UTC ticks.
/// </summary>
public static class JournalChain
{
    /// <summary>The "previous hash" of an instance's first chained row.</summary>
    public const string Genesis = "";

    public static string HashOf(string previousHash, int position, Guid instanceId, DateTimeOffset at, string actor, string kind,
        string? elementId, string? data)
    {
        var text = string.Join('\u001f',
            previousHash, position.ToString(CultureInfo.InvariantCulture), instanceId.ToString("D"),
            at.UtcTicks.ToString(CultureInfo.InvariantCulture), actor, kind, elementId ?? "\u0000", data ?? "\u0000");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static string HashOf(string previousHash, JournalRecord row) =>
        HashOf(previousHash, row.Position ?? 0, row.InstanceId, row.At, row.Actor, row.Kind, row.ElementId, row.Data);

    /// <summary>
    /// Recomputes the chain of one instance's journal (rows in any order). Intact when the positions run 1…n without
    /// gap or repeat, rows written before the chain existed (no hash) come only first, and every hash matches.
    /// </summary>
    public static JournalVerification Verify(Guid instanceId, IReadOnlyList<JournalRecord> journal)
    {
        var rows = journal.OrderBy(r => r.Position ?? int.MaxValue).ThenBy(r => r.Sequence).ToList();
        var previous = Genesis;
        var chained = 0;
        var legacy = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var expectedPosition = i + 1;
            if (row.Position != expectedPosition)
                return JournalVerification.Broken(instanceId, rows.Count, chained, legacy, expectedPosition,
                    row.Position is null
                        ? new("第 {0} 行没有序号", "row {0} has no position")
                        : new("第 {0} 行缺失或重复（该位置的行序号为 {1}）", "row {0} is missing or repeated (the row there has position {1})"),
                    row.Position);
            if (row.Hash is null)
            {
                if (chained > 0)
                    return JournalVerification.Broken(instanceId, rows.Count, chained, legacy, expectedPosition,
                        new("第 {0} 行的哈希被删除", "row {0} lost its hash"), null);
                legacy++;
                continue;
            }
            var expected = HashOf(previous, row);
            if (!string.Equals(expected, row.Hash, StringComparison.Ordinal))
                return JournalVerification.Broken(instanceId, rows.Count, chained, legacy, expectedPosition,
                    new("第 {0} 行的内容或其前一行已被改动（哈希不符）", "row {0} or the row before it was altered (the hash does not match)"), null);
            previous = row.Hash;
            chained++;
        }
        return new JournalVerification(instanceId, true, rows.Count, chained, legacy, null, null, null);
    }
}

/// <summary>A reason with a {0} for the position and an optional {1}.</summary>
public sealed record JournalBreakReason(string Zh, string En);

/// <summary>The result of <see cref="JournalChain.Verify"/>; when broken, where and why.</summary>
public sealed record JournalVerification(Guid InstanceId, bool Intact, int Rows, int ChainedRows, int RowsBeforeTheChain,
    int? BrokenAtPosition, string? ReasonZh, string? ReasonEn)
{
    internal static JournalVerification Broken(Guid instanceId, int rows, int chained, int legacy, int position, JournalBreakReason reason,
        int? found) =>
        new(instanceId, false, rows, chained, legacy, position,
            string.Format(CultureInfo.InvariantCulture, reason.Zh, position, found),
            string.Format(CultureInfo.InvariantCulture, reason.En, position, found));
}
