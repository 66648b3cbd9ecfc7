namespace CleanProdFlow.Engine.Expressions;

/// <summary>
/// Rewrites JUEL's word operators (<c>and or not eq ne</c>) inside a Camunda/Flowable <c>${...}</c> condition to
/// their JavaScript spelling, so definitions written for those engines run here unchanged.
/// </summary>
/// <remarks>
/// Words are only replaced outside string, template and regular-expression literals and comments, and never
/// after a dot (<c>form.and</c> is a property). Each replacement is padded with spaces to the word's length so
/// that parser positions still point into the text the author wrote. <see cref="ConditionExpression"/> checks
/// the replaced positions against the parsed literals once more and refuses the condition if one ever fell
/// inside a literal.
/// </remarks>
internal static class JuelOperators
{
    private static readonly Dictionary<string, string> JavaScriptByWord = new(StringComparer.Ordinal)
    {
        ["and"] = "&& ",
        ["or"] = "||",
        ["not"] = "!  ",
        ["eq"] = "==",
        ["ne"] = "!=",
    };

    // After these words an operand follows, so a '/' there starts a regular expression, not a division.
    private static readonly HashSet<string> WordsBeforeOperand = new(StringComparer.Ordinal)
    {
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else",
        "yield", "await",
    };

    /// <summary>The rewritten text (same length as <paramref name="expression"/>) and where words were replaced.</summary>
    public static (string JavaScript, IReadOnlyList<int> ReplacedAt) ToJavaScript(string expression)
    {
        var text = expression.ToCharArray();
        var replacedAt = new List<int>();
        // For each open '{': true when it opened a template substitution "${", whose '}' resumes the template.
        var openBraces = new Stack<bool>();
        var previousEndsOperand = false;
        var previousWasDot = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '/' && At(text, i + 1) == '/')
            {
                while (i < text.Length && text[i] != '\n' && text[i] != '\r')
                {
                    i++;
                }

                continue;
            }

            if (c == '/' && At(text, i + 1) == '*')
            {
                var end = expression.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
                continue;
            }

            var isDot = false;
            if (c is '\'' or '"')
            {
                i = SkipQuoted(text, i);
                previousEndsOperand = true;
            }
            else if (c == '`')
            {
                i = SkipTemplate(text, i + 1, openBraces);
                previousEndsOperand = true;
            }
            else if (c == '}' && openBraces.TryPeek(out var closesSubstitution) && closesSubstitution)
            {
                openBraces.Pop();
                i = SkipTemplate(text, i + 1, openBraces);
                previousEndsOperand = true;
            }
            else if (c == '/' && !previousEndsOperand)
            {
                i = SkipRegularExpression(text, i);
                previousEndsOperand = true;
            }
            else if (IsIdentifierStart(c))
            {
                var start = i;
                while (i < text.Length && IsIdentifierPart(text[i]))
                {
                    i++;
                }

                var word = expression[start..i];
                if (!previousWasDot && JavaScriptByWord.TryGetValue(word, out var replacement))
                {
                    replacement.CopyTo(0, text, start, replacement.Length);
                    replacedAt.Add(start);
                    previousEndsOperand = false;
                }
                else
                {
                    previousEndsOperand = !WordsBeforeOperand.Contains(word);
                }
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(At(text, i + 1))))
            {
                // Numbers, including 1e5, 0x1F and 1_000; a sign after 'e' is read as an operator, which is harmless.
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '_'))
                {
                    i++;
                }

                previousEndsOperand = true;
            }
            else
            {
                switch (c)
                {
                    case '{':
                        openBraces.Push(false);
                        break;
                    case '}':
                        openBraces.TryPop(out _);
                        break;
                }

                isDot = c == '.';
                previousEndsOperand = c is ')' or ']' or '}';
                i++;
            }

            previousWasDot = isDot;
        }

        return (new string(text), replacedAt);
    }

    private static char At(char[] text, int index) => index < text.Length ? text[index] : '\0';

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c is '_' or '$' or '\\';

    private static bool IsIdentifierPart(char c) =>
        char.IsLetterOrDigit(c) || c is '_' or '$' or '\\' or '\u200C' or '\u200D';

    private static int SkipQuoted(char[] text, int start)
    {
        var quote = text[start];
        var i = start + 1;
        while (i < text.Length && text[i] != quote)
        {
            i += text[i] == '\\' ? 2 : 1;
        }

        return i + 1;
    }

    /// <summary>Skips template text up to its closing backtick or to a "${", whose brace is then pushed.</summary>
    private static int SkipTemplate(char[] text, int i, Stack<bool> openBraces)
    {
        while (i < text.Length)
        {
            switch (text[i])
            {
                case '\\':
                    i += 2;
                    continue;
                case '`':
                    return i + 1;
                case '$' when At(text, i + 1) == '{':
                    openBraces.Push(true);
                    return i + 2;
                default:
                    i++;
                    continue;
            }
        }

        return i;
    }

    private static int SkipRegularExpression(char[] text, int start)
    {
        var i = start + 1;
        var inClass = false;
        while (i < text.Length && text[i] is not ('\n' or '\r'))
        {
            var c = text[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }
            else if (c == '/' && !inClass)
            {
                i++;
                break;
            }

            i++;
        }

        while (i < text.Length && IsIdentifierPart(text[i]))
        {
            i++; // flags
        }

        return i;
    }
}
