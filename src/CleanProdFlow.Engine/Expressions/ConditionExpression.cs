using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Acornima;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using JsEngine = Jint.Engine;

namespace CleanProdFlow.Engine.Expressions;

/// <summary>
/// A condition on a gateway's outgoing sequence flow: one JavaScript expression over the instance's variables
/// that must return true or false. Camunda/Flowable's <c>${...}</c> wrapper is accepted and, inside it, JUEL's
/// <c>and or not eq ne</c>.
/// </summary>
/// <remarks>
/// Conditions run in Jint with no access to .NET (interop off, no <c>eval</c>), in strict mode, under statement,
/// time, memory, recursion, array-size and regular-expression limits. Each evaluation gets a fresh engine so
/// one instance's variables can never leak into another's; the parsed script is shared.
/// A condition cannot read the clock (<c>Date.now()</c>, <c>new Date()</c>): the time it compares against must
/// come in as a variable, so that a decision can be replayed.
/// Known gap: a single built-in call (for example <c>Array.prototype.join</c> or <c>String.prototype.repeat</c>)
/// can allocate well beyond the memory limit before Jint checks it at the next step; conditions are written by
/// administrators in process definitions, not by applicants.
/// </remarks>
public sealed class ConditionExpression
{
    private const int MaxStatements = 10_000;
    private const int MaxRecursionDepth = 64;
    private const long MaxMemoryBytes = 4 * 1024 * 1024;
    private const uint MaxArrayLength = 100_000;
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMilliseconds(500);

    // Definitions are loaded and validated repeatedly with the same conditions; parsing is the expensive part.
    // Bounded so that conditions typed into the editor cannot grow it without end.
    private const int MaxCachedScripts = 4096;
    private static readonly ConcurrentDictionary<string, Prepared<Script>> ScriptsByJavaScript = new(StringComparer.Ordinal);

    private static readonly ClockRefusingTimeSystem TimeSystem = new();

    private readonly Prepared<Script> _script;

    private ConditionExpression(string source, Prepared<Script> script)
    {
        Source = source;
        _script = script;
    }

    /// <summary>The condition as written in the definition.</summary>
    public string Source { get; }

    /// <summary>
    /// Parses a condition; null with the reason when it is empty, not valid JavaScript, or not a single expression.
    /// </summary>
    public static ConditionExpression? TryCompile(string source, out ExpressionError? error)
    {
        ArgumentNullException.ThrowIfNull(source);
        var text = source;
        var trimmed = source.Trim();
        var isWrapped = trimmed.StartsWith("${", StringComparison.Ordinal);
        if (isWrapped)
        {
            if (!trimmed.EndsWith('}'))
            {
                error = new ExpressionError(
                    $"The condition '{source}' starts with '${{' but does not end with '}}'.",
                    $"条件表达式“{source}”以“${{”开头，但没有以“}}”结尾。");
                return null;
            }

            // Blank the wrapper out rather than cut it off, so that the parser's positions are the author's.
            var open = source.IndexOf("${", StringComparison.Ordinal);
            var close = source.LastIndexOf('}');
            text = source[..open] + "  " + source[(open + 2)..close] + " " + source[(close + 1)..];
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            error = new ExpressionError("The condition is empty.", "条件表达式为空。");
            return null;
        }

        IReadOnlyList<int> replacedAt = [];
        if (isWrapped)
        {
            (text, replacedAt) = JuelOperators.ToJavaScript(text);
        }

        if (ScriptsByJavaScript.TryGetValue(text, out var cached))
        {
            error = null;
            return new ConditionExpression(source, cached);
        }

        Prepared<Script> script;
        try
        {
            script = JsEngine.PrepareScript(text, source: null, strict: true);
        }
        catch (ScriptPreparationException ex) when (ex.InnerException is ParseErrorException parseError)
        {
            // Positions are the author's: the wrapper is blanked and JUEL words are replaced by padded operators.
            var column = parseError.Column + 1; // Acornima counts from 0, editors from 1
            error = new ExpressionError(
                $"The condition '{source}' is not a valid JavaScript expression: {parseError.Description} "
                + $"(line {parseError.LineNumber}, column {column}).",
                $"条件表达式“{source}”不是有效的 JavaScript 表达式：{parseError.Description}"
                + $"（第 {parseError.LineNumber} 行第 {column} 列）。");
            return null;
        }
        catch (ScriptPreparationException ex)
        {
            error = new ExpressionError(
                $"The condition '{source}' is not a valid JavaScript expression: {ex.Message}",
                $"条件表达式“{source}”不是有效的 JavaScript 表达式：{ex.Message}");
            return null;
        }

        if (script.Program?.Body is not [ExpressionStatement])
        {
            error = new ExpressionError(
                $"The condition '{source}' must be a single expression such as 'amount > 100000', "
                + "not a statement (a loop, a declaration, a block or several statements).",
                $"条件表达式“{source}”必须是单个表达式（例如 amount > 100000），不能是语句（循环、声明、语句块或多条语句）。");
            return null;
        }

        if (replacedAt.Count > 0 && AnyInsideLiteral(script.Program, replacedAt))
        {
            error = new ExpressionError(
                $"The condition '{source}' uses JUEL operators (and, or, not, eq, ne) in a way that cannot be "
                + "translated safely; write it in JavaScript with &&, ||, !, == and !=.",
                $"条件表达式“{source}”中的 JUEL 运算符（and、or、not、eq、ne）无法安全转换；"
                + "请改用 JavaScript 写法：&&、||、!、==、!=。");
            return null;
        }

        if (ScriptsByJavaScript.Count < MaxCachedScripts)
        {
            ScriptsByJavaScript.TryAdd(text, script);
        }

        error = null;
        return new ConditionExpression(source, script);
    }

    /// <summary>
    /// Evaluates the condition with each variable as a global. Throws <see cref="ConditionException"/> when the
    /// condition fails, references a variable that is not given, exceeds a limit, or does not return a boolean.
    /// </summary>
    public bool Evaluate(IReadOnlyDictionary<string, JsonNode?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        JsValue result;
        try
        {
            var engine = new JsEngine(ConfigureSandbox);
            var json = new JsonParser(engine);
            foreach (var (name, value) in variables)
            {
                // Through JSON text, so the script only ever sees plain JavaScript values, never .NET objects.
                engine.SetValue(name, value is null ? JsValue.Null : json.Parse(value.ToJsonString()));
            }

            result = engine.Evaluate(in _script);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            throw new ConditionException($"Condition '{Source}' {DescribeFailure(ex)}.", ex);
        }

        if (result.IsBoolean())
        {
            return result.AsBoolean();
        }

        throw new ConditionException($"Condition '{Source}' returned {DescribeValue(result)}, not true or false.");
    }

    public override string ToString() => Source;

    private static void ConfigureSandbox(Options options)
    {
        options.Strict();
        options.MaxStatements(MaxStatements);
        options.TimeoutInterval(MaxDuration);
        options.LimitMemory(MaxMemoryBytes);
        options.LimitRecursion(MaxRecursionDepth);
        options.DisableStringCompilation(); // no eval or Function("...") to build code at run time
        options.Interop.Enabled = false; // nothing from .NET is exposed; AllowClr is never called
        options.Constraints.MaxArraySize = MaxArrayLength;
        options.Constraints.RegexTimeout = MaxDuration;
        options.TimeSystem = TimeSystem;
    }

    private static string DescribeFailure(Exception ex) => ex switch
    {
        JavaScriptException js => $"failed: {DescribeJavaScriptError(js)}",
        StatementsCountOverflowException =>
            $"was stopped after {MaxStatements} steps (a condition must not loop without end)",
        RegexMatchTimeoutException =>
            $"was stopped: a regular expression ran longer than {(int)MaxDuration.TotalMilliseconds} ms",
        TimeoutException => $"was stopped after running for {(int)MaxDuration.TotalMilliseconds} ms",
        MemoryLimitExceededException memory => $"was stopped for using too much memory ({memory.Message})",
        RecursionDepthOverflowException => $"was stopped: function calls nested deeper than {MaxRecursionDepth}",
        ClockReadException => "read the clock; conditions must not (pass the time in as a variable)",
        _ => $"failed: {ex.Message}",
    };

    private static string DescribeJavaScriptError(JavaScriptException ex)
    {
        if (ex.Error is ObjectInstance error && error.Get("name") is JsString name)
        {
            return $"{name}: {ex.Message}";
        }

        return $"threw {DescribeValue(ex.Error)}";
    }

    private static string DescribeValue(JsValue value)
    {
        var text = value.IsString() ? value.AsString() : value.ToString();
        if (text.Length > 100)
        {
            text = text[..100] + "…";
        }

        var kind = value switch
        {
            _ when value.IsString() => " (a string)",
            _ when value.IsNumber() => " (a number)",
            _ when value.IsArray() => " (an array)",
            _ when value.IsObject() => " (an object)",
            _ => "",
        };
        return $"'{text}'{kind}";
    }

    private static bool AnyInsideLiteral(Node root, IReadOnlyList<int> positions)
    {
        var pending = new Stack<Node>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            if (node is Literal or TemplateElement
                && positions.Any(position => position >= node.Start && position < node.End))
            {
                return true;
            }

            foreach (var child in node.ChildNodes)
            {
                pending.Push(child);
            }
        }

        return false;
    }

    /// <summary>Thrown from inside the engine when a condition asks for the current time.</summary>
    private sealed class ClockReadException() : Exception("A condition read the current time.");

    /// <summary>
    /// Dates inside a condition are Beijing time (not the host's zone), and the current time is not available:
    /// the engine's clock is the only one that would bypass <see cref="TimeProvider"/>.
    /// </summary>
    private sealed class ClockRefusingTimeSystem : ITimeSystem
    {
        private readonly DefaultTimeSystem _calendar = new(FixedBeijingZone.Instance, CultureInfo.InvariantCulture);

        public TimeZoneInfo DefaultTimeZone => _calendar.DefaultTimeZone;

        public DateTimeOffset GetUtcNow() => throw new ClockReadException();

        public bool TryParse(string date, out long epochMilliseconds) => _calendar.TryParse(date, out epochMilliseconds);

        public TimeSpan GetUtcOffset(long epochMilliseconds) => _calendar.GetUtcOffset(epochMilliseconds);
    }
}
