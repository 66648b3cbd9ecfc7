using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CleanProdFlow.Engine.Expressions;

namespace CleanProdFlow.Engine.Tests.Expressions;

public sealed class ConditionExpressionTests
{
    private const string Application = """
        {
          "amount": 150000,
          "approved": true,
          "rejected": false,
          "kind": "new",
          "note": null,
          "enterpriseName": "苏州清洁生产有限公司",
          "application": { "kind": "new", "enterprise": { "city": "无锡市", "level": 2 } },
          "attachments": ["环评批复", "审核报告"],
          "scores": [88, 92.5, 59],
          "form": { "and": 1, "or": 2 },
          "金额": 320
        }
        """;

    [Theory]
    [InlineData("amount > 100000", true)]
    [InlineData("amount <= 100000", false)]
    [InlineData("amount / 1000 === 150", true)]
    [InlineData("approved", true)]
    [InlineData("!rejected && approved", true)]
    [InlineData("rejected || !approved", false)]
    [InlineData("kind == 'new'", true)]
    [InlineData("kind === \"renewal\"", false)]
    [InlineData("enterpriseName == '苏州清洁生产有限公司'", true)]
    [InlineData("enterpriseName.startsWith('苏州')", true)]
    [InlineData("enterpriseName.includes('无锡')", false)]
    [InlineData("application.kind == 'new'", true)]
    [InlineData("application.enterprise.city === '无锡市' && application.enterprise.level >= 2", true)]
    [InlineData("application?.missing?.city === undefined", true)]
    [InlineData("attachments.length >= 2", true)]
    [InlineData("attachments.includes('环评批复')", true)]
    [InlineData("attachments[1] == '验收报告'", false)]
    [InlineData("scores.some(s => s < 60)", true)]
    [InlineData("scores.every(s => s >= 60)", false)]
    [InlineData("note === null", true)]
    [InlineData("金额 > 300", true)]
    [InlineData("typeof System === 'undefined'", true)]
    [InlineData("  amount > 1  ;", true)]
    [InlineData("(() => { let total = 0; for (const s of scores) { total += s; } return total > 200; })()", true)]
    public void Evaluates_javascript_expressions_over_the_variables(string source, bool expected)
    {
        var condition = Compile(source);

        Assert.Equal(expected, condition.Evaluate(Variables(Application)));
    }

    [Theory]
    [InlineData("${approved == true}", true)]
    [InlineData("${ approved == false }", false)]
    [InlineData("${amount > 100000 and approved}", true)]
    [InlineData("${amount > 200000 or rejected}", false)]
    [InlineData("${not rejected}", true)]
    [InlineData("${not(rejected) and not(note != null)}", true)]
    [InlineData("${kind eq 'new' or kind eq 'renewal'}", true)]
    [InlineData("${kind ne 'new'}", false)]
    [InlineData("${application.enterprise.city eq '无锡市'}", true)]
    // The words are operators only outside literals and property names.
    [InlineData("${'this and that' == 'this and that' and approved}", true)]
    [InlineData("${\"not eq\".length == 6}", true)]
    [InlineData("${`${kind} or ${amount}` == 'new or 150000'}", true)]
    [InlineData("${/ and /.test('cats and dogs') and /^or$/.test('or')}", true)]
    [InlineData("${form.and == 1 and form . or == 2}", true)]
    [InlineData("${amount /* and or not */ > 1 // eq\n}", true)]
    [InlineData("  ${amount > 1}  ", true)]
    public void Accepts_the_camunda_wrapper_with_juel_word_operators(string source, bool expected)
    {
        var condition = Compile(source);

        Assert.Equal(expected, condition.Evaluate(Variables(Application)));
        Assert.Equal(source, condition.Source);
        Assert.Equal(source, condition.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("${}")]
    [InlineData("${   }")]
    public void Refuses_an_empty_condition(string source)
    {
        var error = Refuse(source);

        Assert.Equal("The condition is empty.", error.Message);
        Assert.Equal("条件表达式为空。", error.MessageZh);
    }

    [Theory]
    [InlineData("amount >")]
    [InlineData("amount > > 1")]
    [InlineData("kind == 'new")]
    [InlineData("${amount > 1 and}")]
    [InlineData("${amount > 1}}")]
    [InlineData("/(/.test(kind)")]
    [InlineData("kind == 'new' && x++ ++")]
    // Outside the ${...} wrapper the JUEL words are not operators.
    [InlineData("approved and rejected")]
    public void Refuses_a_syntax_error_with_its_position(string source)
    {
        var error = Refuse(source);

        Assert.Contains("is not a valid JavaScript expression", error.Message);
        Assert.Contains("column", error.Message);
        Assert.Contains(source, error.Message);
        Assert.Contains("不是有效的 JavaScript 表达式", error.MessageZh);
    }

    [Theory]
    [InlineData("amount > )", "line 1, column 10")]
    [InlineData("  amount > )", "line 1, column 12")]
    [InlineData("amount > 1 &&\n  kind == )", "line 2, column 11")]
    // The wrapper is blanked and "and"/"not" become "&& "/"!  ", so positions stay those of the author's text.
    [InlineData("${not approved and amount > )}", "line 1, column 29")]
    [InlineData(" ${ kind eq 'new' and\n not approved ) }", "line 2, column 15")]
    public void Reports_the_position_in_the_authors_text(string source, string expected)
    {
        var error = Refuse(source);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Refuses_a_wrapper_that_is_not_closed()
    {
        var error = Refuse("${approved == true");

        Assert.Contains("does not end with '}'", error.Message);
        Assert.Contains("没有以“}”结尾", error.MessageZh);
    }

    [Theory]
    [InlineData("while(true){}")]
    [InlineData("for(;;){}")]
    [InlineData("var x = 1")]
    [InlineData("let approved = true")]
    [InlineData("function f() { return true; }")]
    [InlineData("if (approved) { true }")]
    [InlineData("{}")]
    [InlineData("approved; rejected")]
    [InlineData("${approved; rejected}")]
    public void Refuses_statements_that_are_not_a_single_expression(string source)
    {
        var error = Refuse(source);

        Assert.Contains("must be a single expression", error.Message);
        Assert.Contains("必须是单个表达式", error.MessageZh);
    }

    [Theory]
    [InlineData("amount", "returned '150000' (a number), not true or false")]
    [InlineData("kind", "returned 'new' (a string), not true or false")]
    [InlineData("note", "returned 'null', not true or false")]
    [InlineData("application.missing", "returned 'undefined', not true or false")]
    [InlineData("attachments", "(an array), not true or false")]
    [InlineData("application", "(an object), not true or false")]
    // JavaScript's && gives its last operand, where JUEL's 'and' would give a boolean.
    [InlineData("${approved and kind}", "returned 'new' (a string), not true or false")]
    public void A_result_that_is_not_a_boolean_is_an_error(string source, string expected)
    {
        var condition = Compile(source);

        var error = Assert.Throws<ConditionException>(() => condition.Evaluate(Variables(Application)));

        Assert.StartsWith($"Condition '{source}' ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Referencing_an_unknown_variable_is_an_error()
    {
        var condition = Compile("amount > 1 && missingVariable == 'x'");

        var error = Assert.Throws<ConditionException>(() => condition.Evaluate(Variables(Application)));

        Assert.Equal(
            "Condition 'amount > 1 && missingVariable == 'x'' failed: ReferenceError: missingVariable is not defined.",
            error.Message);
    }

    [Fact]
    public void An_error_thrown_by_the_condition_is_reported()
    {
        var condition = Compile("(() => { throw new TypeError('bad input'); })()");

        var error = Assert.Throws<ConditionException>(() => condition.Evaluate(Variables(Application)));

        Assert.Contains("failed: TypeError: bad input", error.Message);
    }

    [Fact]
    public void A_thrown_value_that_is_not_an_error_is_reported()
    {
        var condition = Compile("(() => { throw 'nope'; })()");

        var error = Assert.Throws<ConditionException>(() => condition.Evaluate(Variables(Application)));

        Assert.Contains("threw 'nope' (a string)", error.Message);
    }

    [Theory]
    [InlineData("(()=>{while(true){}})()")]
    [InlineData("(() => { for (;;) { } })()")]
    [InlineData("Array.from({ length: 100000 }, () => Array.from({ length: 100000 }, () => 0).length).length > 0")]
    public void An_endless_loop_inside_an_expression_compiles_but_is_stopped_at_run_time(string source)
    {
        var condition = Compile(source);

        var error = Assert.Throws<ConditionException>(() => condition.Evaluate(Variables(Application)));

        Assert.Contains("was stopped after 10000 steps", error.Message);
    }

    [Theory]
    [InlineData("(() => { const a = []; while (true) { a.push(new Array(1000).fill(0)); } })()")]
    [InlineData("(() => { let s = 'x'; while (true) { s += s; } })()")]
    [InlineData("'x'.padEnd(1e8).length > 0")]
    [InlineData("new Array(1e9).fill(0).length > 0")]
    public void A_memory_bomb_is_stopped(string source)
    {
        var condition = Compile(source);

        var error = Assert.Throws<ConditionException>(() => condition.Evaluate(Variables(Application)));

        // Usually the memory limit; on a loaded machine the time limit can come first. Either way it is stopped.
        Assert.Matches("was stopped (for using too much memory|after running for)", error.Message);
    }

    [Theory]
    [InlineData("(() => { try { while (true) { } } catch (e) { return true; } })()", "was stopped after 10000 steps")]
    [InlineData("(() => { try { return Date.now() > 0; } catch (e) { return true; } })()", "read the clock")]
    public void A_condition_cannot_catch_a_limit_or_the_clock_refusal(string source, string expected)
    {
        var condition = Compile(source);

        var error = Assert.Throws<ConditionException>(() => condition.Evaluate(Variables(Application)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_refusal_of_eval_is_an_ordinary_javascript_error()
    {
        // Unlike the sandbox's stops, this one may be caught by the condition; eval still does not run.
        var condition = Compile("(() => { try { return eval('true'); } catch (e) { return false; } })()");

        Assert.False(condition.Evaluate(Variables(Application)));
    }

    [Fact]
    public void Deep_recursion_is_stopped()
    {
        var condition = Compile("(function f(n) { return f(n + 1); })(0)");

        var error = Assert.Throws<ConditionException>(() => condition.Evaluate(Variables(Application)));

        Assert.Contains("function calls nested deeper than 64", error.Message);
    }

    [Fact]
    public void A_catastrophic_regular_expression_is_stopped()
    {
        var condition = Compile("/(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab')");

        var error = Assert.Throws<ConditionException>(() => condition.Evaluate(Variables(Application)));

        Assert.Contains("a regular expression ran longer than 500 ms", error.Message);
    }

    [Theory]
    [InlineData("System.IO.File.Exists('/etc/passwd')", "ReferenceError: System is not defined")]
    [InlineData("importNamespace('System.IO') != null", "ReferenceError: importNamespace is not defined")]
    [InlineData("clrType != null", "ReferenceError: clrType is not defined")]
    [InlineData("host != null", "ReferenceError: host is not defined")]
    [InlineData("eval('true')", "String compilation has been disabled")]
    [InlineData("Function('return true')()", "String compilation has been disabled")]
    [InlineData("[].constructor.constructor('return true')()", "String compilation has been disabled")]
    public void Has_no_access_to_dotnet_or_to_code_built_from_strings(string source, string expected)
    {
        var condition = Compile(source);

        var error = Assert.Throws<ConditionException>(() => condition.Evaluate(Variables(Application)));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("Date.now() > 0")]
    [InlineData("new Date() > new Date('2026-01-01')")]
    public void Cannot_read_the_clock(string source)
    {
        var condition = Compile(source);

        var error = Assert.Throws<ConditionException>(() => condition.Evaluate(Variables(Application)));

        Assert.Contains("read the clock; conditions must not (pass the time in as a variable)", error.Message);
    }

    [Theory]
    [InlineData("new Date('2026-10-12T01:00:00Z').getHours() === 9")]
    [InlineData("new Date(deadline).getDate() === 13")]
    [InlineData("new Date(decidedAt) <= new Date(deadline)")]
    public void Dates_are_read_in_beijing_time(string source)
    {
        var condition = Compile(source);
        var variables = Variables("""{ "deadline": "2026-10-12T16:30:00Z", "decidedAt": "2026-10-12T09:00:00+08:00" }""");

        Assert.True(condition.Evaluate(variables));
    }

    [Fact]
    public void Each_evaluation_starts_from_the_given_variables()
    {
        // Assigning to a variable inside the condition must not leak into the next evaluation or the caller's data.
        var condition = Compile("(counter = counter + 1) === 2");
        var variables = Variables("""{ "counter": 1 }""");

        Assert.True(condition.Evaluate(variables));
        Assert.True(condition.Evaluate(variables));
        Assert.Equal(1, variables["counter"]!.GetValue<int>());
    }

    [Fact]
    public void Variables_may_be_given_as_null_nodes()
    {
        var condition = Compile("remark === null && typeof remark === 'object'");
        var variables = new Dictionary<string, JsonNode?> { ["remark"] = null };

        Assert.True(condition.Evaluate(variables));
    }

    [Fact]
    public void Compiling_the_same_source_twice_gives_equivalent_conditions()
    {
        var first = Compile("${amount > 100000 and approved}");
        var second = Compile("${amount > 100000 and approved}");

        Assert.True(first.Evaluate(Variables(Application)));
        Assert.True(second.Evaluate(Variables(Application)));
    }

    [Fact]
    public void Evaluates_concurrently_from_several_threads()
    {
        var shared = Compile("${application.enterprise.level >= threshold and kind eq 'new'}");
        var failures = new ConcurrentBag<string>();

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var level = i % 5;
            var variables = Variables(
                $$"""{ "kind": "new", "threshold": 2, "application": { "enterprise": { "level": {{level}} } } }""");
            // Half the threads compile their own copy, which goes through the shared script cache.
            var condition = i % 2 == 0 ? shared : Compile("${application.enterprise.level >= threshold and kind eq 'new'}");
            if (condition.Evaluate(variables) != level >= 2)
            {
                failures.Add($"level {level}");
            }

            var looping = Compile("(()=>{while(true){}})()");
            try
            {
                looping.Evaluate(variables);
                failures.Add("the endless loop finished");
            }
            catch (ConditionException)
            {
                // expected: the limit is per evaluation, on every thread
            }
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void Refuses_a_null_source_or_null_variables()
    {
        Assert.Throws<ArgumentNullException>(() => ConditionExpression.TryCompile(null!, out _));
        Assert.Throws<ArgumentNullException>(() => Compile("approved").Evaluate(null!));
    }

    private static ConditionExpression Compile(string source)
    {
        var condition = ConditionExpression.TryCompile(source, out var error);
        Assert.True(condition is not null, $"'{source}' was refused: {error?.Message}");
        Assert.Null(error);
        return condition;
    }

    private static ExpressionError Refuse(string source)
    {
        var condition = ConditionExpression.TryCompile(source, out var error);
        Assert.Null(condition);
        Assert.NotNull(error);
        return error;
    }

    private static Dictionary<string, JsonNode?> Variables(string json) =>
        JsonNode.Parse(json)!.AsObject().ToDictionary(pair => pair.Key, pair => pair.Value?.DeepClone());
}
