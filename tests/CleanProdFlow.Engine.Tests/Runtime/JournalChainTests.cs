using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Engine.Tests.Runtime;

public sealed class JournalChainTests
{
    private static readonly Guid Instance = Guid.Parse("0193a3c4-1111-7000-8000-000000000001");
    private static readonly DateTimeOffset At = new(2026, 11, 25, 1, 2, 3, TimeSpan.Zero);

    /// <summary>A chain of <paramref name="count"/> rows, optionally after <paramref name="legacy"/> rows written before the chain existed.</summary>
    private static List<JournalRecord> Chain(int count, int legacy = 0)
    {
        var rows = new List<JournalRecord>();
        for (var i = 1; i <= legacy; i++)
            rows.Add(new(i, Instance, At, "system", "old", null, null, i));
        var previous = JournalChain.Genesis;
        for (var i = legacy + 1; i <= legacy + count; i++)
        {
            var row = new JournalRecord(i, Instance, At.AddSeconds(i), "review.suzhou", "task.completed", "check", $$"""{"n":{{i}}}""", i);
            previous = JournalChain.HashOf(previous, row);
            rows.Add(row with { Hash = previous });
        }
        return rows;
    }

    [Fact]
    public void An_untouched_chain_is_intact_in_any_order()
    {
        var rows = Chain(5);
        rows.Reverse();
        var result = JournalChain.Verify(Instance, rows);
        Assert.True(result.Intact);
        Assert.Equal((5, 5, 0), (result.Rows, result.ChainedRows, result.RowsBeforeTheChain));
        Assert.Null(result.BrokenAtPosition);
    }

    [Fact]
    public void Rows_from_before_the_chain_are_counted_and_the_chain_starts_after_them()
    {
        var result = JournalChain.Verify(Instance, Chain(3, legacy: 2));
        Assert.True(result.Intact);
        Assert.Equal((5, 3, 2), (result.Rows, result.ChainedRows, result.RowsBeforeTheChain));
    }

    [Theory]
    [InlineData("data")]
    [InlineData("actor")]
    [InlineData("at")]
    [InlineData("kind")]
    [InlineData("element")]
    public void Any_edited_field_breaks_the_chain_at_its_row(string field)
    {
        var rows = Chain(5);
        rows[2] = field switch
        {
            "data" => rows[2] with { Data = """{"n":99}""" },
            "actor" => rows[2] with { Actor = "someone.else" },
            "at" => rows[2] with { At = rows[2].At.AddTicks(10) },
            "kind" => rows[2] with { Kind = "task.cancelled" },
            _ => rows[2] with { ElementId = null },
        };
        var result = JournalChain.Verify(Instance, rows);
        Assert.False(result.Intact);
        Assert.Equal(3, result.BrokenAtPosition);
    }

    [Fact]
    public void A_removed_row_an_inserted_row_and_a_removed_hash_are_found()
    {
        var removed = Chain(5);
        removed.RemoveAt(1);
        Assert.Equal(2, JournalChain.Verify(Instance, removed).BrokenAtPosition);

        var inserted = Chain(5);
        inserted.Add(inserted[4] with { Sequence = 99 });
        Assert.False(JournalChain.Verify(Instance, inserted).Intact);

        var unhashed = Chain(5);
        unhashed[3] = unhashed[3] with { Hash = null };
        var result = JournalChain.Verify(Instance, unhashed);
        Assert.Equal(4, result.BrokenAtPosition);
        Assert.Contains("lost its hash", result.ReasonEn);
    }

    [Fact]
    public void A_rehashed_edit_still_breaks_at_the_next_row()
    {
        // An editor who recomputes the edited row's own hash cannot fix the next row's link without rewriting all after it.
        var rows = Chain(5);
        var edited = rows[1] with { Actor = "someone.else" };
        rows[1] = edited with { Hash = JournalChain.HashOf(rows[0].Hash!, edited) };
        Assert.Equal(3, JournalChain.Verify(Instance, rows).BrokenAtPosition);
    }
}
