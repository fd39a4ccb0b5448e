using Stratus.XenApi;

namespace Stratus.Host.Database.Where;

/// <summary>
/// Parses xapi's filter grammar. As in db_filter_parse.mly, <c>and</c> and <c>or</c> share one precedence and
/// associate to the left (<c>a or b and c</c> is <c>(a or b) and c</c>), and literals are double-quoted with no
/// escapes. <c>not</c> is declared there with a <em>lower</em> precedence than and/or (<c>%right LNOT</c> comes
/// first), so it reaches as far right as the chain goes: <c>not a and b</c> is <c>not (a and b)</c>.
/// A malformed filter fails with <c>INVALID_VALUE [expression, reason]</c>.
/// </summary>
internal sealed class WhereParser
{
    private readonly string _text;
    private int _pos;

    private WhereParser(string text) => _text = text;

    public static WhereExpression Parse(string text)
    {
        var parser = new WhereParser(text);
        var expression = parser.ParseSequence();
        parser.SkipSpace();
        if (parser._pos != text.Length)
        {
            throw parser.Error($"unexpected '{text[parser._pos]}' at offset {parser._pos}");
        }

        return expression;
    }

    private WhereExpression ParseSequence()
    {
        var left = ParseUnary();
        while (true)
        {
            if (TryKeyword("and"))
            {
                left = new WhereExpression.And(left, ParseUnary());
            }
            else if (TryKeyword("or"))
            {
                left = new WhereExpression.Or(left, ParseUnary());
            }
            else
            {
                return left;
            }
        }
    }

    private WhereExpression ParseUnary()
    {
        if (TryKeyword("not"))
        {
            // ocamlyacc shifts and/or over reducing "not expr" because LAND/LOR have the higher precedence.
            return new WhereExpression.Not(ParseSequence());
        }

        if (TryKeyword("true"))
        {
            return new WhereExpression.Constant(true);
        }

        if (TryKeyword("false"))
        {
            return new WhereExpression.Constant(false);
        }

        SkipSpace();
        if (Peek() == '(')
        {
            _pos++;
            var inner = ParseSequence();
            SkipSpace();
            if (Peek() != ')')
            {
                throw Error("missing ')'");
            }

            _pos++;
            return inner;
        }

        var left = ParseOperand();
        SkipSpace();
        if (Peek() != '=')
        {
            throw Error("expected '='");
        }

        _pos++;
        return new WhereExpression.Equal(left, ParseOperand());
    }

    private WhereOperand ParseOperand()
    {
        var isField = TryKeyword("field");
        SkipSpace();
        if (Peek() != '"')
        {
            throw Error(isField ? "expected a quoted field name" : "expected a quoted literal or 'field'");
        }

        var end = _text.IndexOf('"', _pos + 1);
        if (end < 0)
        {
            throw Error("unterminated string");
        }

        var value = _text[(_pos + 1)..end];
        _pos = end + 1;
        return new WhereOperand(value, isField);
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _pos, keyword, 0, keyword.Length) == 0)
        {
            // The OCaml lexer takes the keyword even when a letter follows; so do we.
            _pos += keyword.Length;
            return true;
        }

        return false;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipSpace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n')
        {
            _pos++;
        }
    }

    private XenApiFailure Error(string reason) => new(XenErrors.InvalidValue, _text, reason);
}
