using CleanProdFlow.Domain.Documents;

namespace CleanProdFlow.Domain.Tests.Documents;

public sealed class DocumentTemplateTests
{
    private static readonly DocumentKind Correction = DocumentKind.Find(DocumentKind.CorrectionNotice)!;

    [Fact]
    public void A_number_has_the_prefix_series_year_in_hexagonal_brackets_and_no_leading_zeros()
    {
        Assert.Equal("苏环审〔2026〕123号", DocumentNumber.Of("province", "苏环", "审", 2026, 123).Text);
        Assert.Equal("苏市环补〔2027〕1号", DocumentNumber.Of("suzhou", "苏市环", "补", 2027, 1).Text);
        Assert.Equal("suzhou:补", DocumentNumber.Scope("suzhou", "补"));
    }

    [Fact]
    public void Every_kind_has_a_series_and_approval_and_refusal_share_one()
    {
        Assert.Equal(10, DocumentKind.All.Count);
        Assert.Equal(DocumentKind.Find(DocumentKind.ApprovalDecision)!.Series, DocumentKind.Find(DocumentKind.RefusalDecision)!.Series);
        Assert.Equal(9, DocumentKind.All.Select(k => k.Series).Distinct().Count());
    }

    [Fact]
    public void Every_unknown_field_and_a_missing_title_are_refused_with_their_lines()
    {
        var (template, problems) = DocumentTemplate.Parse(Correction, "# note\n^ {{documentNumber}}\n{{salary}} and {{bonus?}}\n* 固定文字\n{{broken");
        Assert.Null(template);
        Assert.Contains(problems, p => p.Line == 3 && p.MessageEn.Contains("salary", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 3 && p.MessageEn.Contains("bonus", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 4 && p.MessageEn.Contains("list line", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 5 && p.MessageEn.Contains("placeholder", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 0 && p.MessageEn.Contains("title", StringComparison.Ordinal));
    }

    [Fact]
    public void Filling_lists_every_item_and_names_every_missing_value()
    {
        var (template, problems) = DocumentTemplate.Parse(Correction, "= 补正材料通知书\n^ {{documentNumber}}\n- {{enterpriseName}}：\n* {{missingItems}}\n> {{issuedOn}}{{caseNumber?}}");
        Assert.Empty(problems);
        var missing = Assert.Throws<DocumentFieldsMissingException>(() => template!.Fill(new Dictionary<string, string> { ["documentNumber"] = "x" }));
        Assert.Equal(["enterpriseName", "missingItems", "issuedOn"], missing.Fields);

        var layout = template!.Fill(new Dictionary<string, string>
        {
            ["documentNumber"] = "苏市环补〔2026〕1号", ["enterpriseName"] = "甲公司", ["issuedOn"] = "2026年10月12日",
            ["missingItems"] = "1. 报告书\n二、公参说明；(3) 总量来源;  \n\n（四）公章",
        });
        Assert.Equal("补正材料通知书", layout.Title);
        Assert.Equal(["1. 报告书", "2. 公参说明", "3. 总量来源", "4. 公章"], layout.Blocks.Where(b => b.Kind == BlockKind.Item).Select(b => b.Text));
        Assert.Equal(new DocumentBlock(BlockKind.Right, "2026年10月12日"), layout.Blocks[^1]);
    }

    [Fact]
    public void A_date_is_written_as_in_official_documents() =>
        Assert.Equal("2026年1月5日", DocumentTemplate.ChineseDate(new DateOnly(2026, 1, 5)));
}
