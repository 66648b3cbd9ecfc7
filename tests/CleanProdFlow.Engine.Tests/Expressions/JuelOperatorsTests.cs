using CleanProdFlow.Engine.Expressions;

namespace CleanProdFlow.Engine.Tests.Expressions;

public sealed class JuelOperatorsTests
{
    [Theory]
    [InlineData("a and b", "a &&  b")]
    [InlineData("a or b", "a || b")]
    [InlineData("not a", "!   a")]
    [InlineData("not(a)", "!  (a)")]
    [InlineData("a eq 1 and b ne 2", "a == 1 &&  b != 2")]
    [InlineData("x.and eq y?.or", "x.and == y?.or")]
    [InlineData("'a and b' eq \"or\"", "'a and b' == \"or\"")]
    [InlineData("'it\\'s and' eq s", "'it\\'s and' == s")]
    [InlineData("`${a and b} or ${`not`}` eq t", "`${a &&  b} or ${`not`}` == t")]
    [InlineData("/ and [/] or /i.test(s) and t", "/ and [/] or /i.test(s) &&  t")]
    [InlineData("a / 2 and b / 2", "a / 2 &&  b / 2")]
    [InlineData("(a) / 2 or b", "(a) / 2 || b")]
    [InlineData("typeof /or/ eq 'object'", "typeof /or/ == 'object'")]
    [InlineData("a /* and */ or // not\n b", "a /* and */ || // not\n b")]
    [InlineData("android or orange and notary", "android || orange &&  notary")]
    [InlineData("金额 gt 5 and 审批 eq true", "金额 gt 5 &&  审批 == true")]
    public void Replaces_word_operators_only_in_code_and_keeps_positions(string juel, string expected)
    {
        var (javaScript, replacedAt) = JuelOperators.ToJavaScript(juel);

        Assert.Equal(expected, javaScript);
        Assert.Equal(juel.Length, javaScript.Length);
        Assert.All(replacedAt, position => Assert.NotEqual(juel[position], javaScript[position]));
    }
}
