using System.Buffers;
using System.Globalization;

namespace Stratus.XenApi.Wire;

/// <summary>
/// Writes XML-RPC the way xapi's marshaller does (ocaml-rpc xmlrpc.ml): strings and 64-bit ints untyped
/// (<c>&lt;value&gt;42&lt;/value&gt;</c>), Int32 as <c>&lt;i4&gt;</c>, bools as <c>&lt;boolean&gt;0|1</c>, doubles as <c>%.16g</c>,
/// datetimes as <c>yyyyMMddTHH:mm:ssZ</c>. Results are wrapped in <c>{Status, Value|ErrorDescription}</c>.
/// </summary>
public static class XmlRpcWriter
{
    private const int MaxDepth = 64;

    /// <summary>A success reply: <c>{Status: Success, Value: v}</c>.</summary>
    public static void WriteSuccess(IBufferWriter<byte> output, object? value)
    {
        Utf8Text.Write(output, "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct><member><name>Status</name><value>Success</value></member><member><name>Value</name>"u8);
        WriteValue(output, value);
        Utf8Text.Write(output, "</member></struct></value></param></params></methodResponse>"u8);
    }

    /// <summary>A failure reply: <c>{Status: Failure, ErrorDescription: [code, params...]}</c> (never an XML-RPC fault).</summary>
    public static void WriteFailure(IBufferWriter<byte> output, IReadOnlyList<string> description)
    {
        Utf8Text.Write(output, "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct><member><name>Status</name><value>Failure</value></member><member><name>ErrorDescription</name><value><array><data>"u8);
        foreach (var item in description)
        {
            WriteValue(output, item);
        }

        Utf8Text.Write(output, "</data></array></value></member></struct></value></param></params></methodResponse>"u8);
    }

    /// <summary>A reply with no Status wrapper, as xapi sends for <c>system.listMethods</c>.</summary>
    public static void WriteBare(IBufferWriter<byte> output, object? value)
    {
        Utf8Text.Write(output, "<?xml version=\"1.0\"?><methodResponse><params><param>"u8);
        WriteValue(output, value);
        Utf8Text.Write(output, "</param></params></methodResponse>"u8);
    }

    public static void WriteCall(IBufferWriter<byte> output, string method, IReadOnlyList<object?> parameters)
    {
        Utf8Text.Write(output, "<?xml version=\"1.0\"?><methodCall><methodName>"u8);
        Utf8Text.WriteXmlEscaped(output, method);
        Utf8Text.Write(output, "</methodName><params>"u8);
        foreach (var parameter in parameters)
        {
            Utf8Text.Write(output, "<param>"u8);
            WriteValue(output, parameter);
            Utf8Text.Write(output, "</param>"u8);
        }

        Utf8Text.Write(output, "</params></methodCall>"u8);
    }

    /// <summary>One <c>&lt;value&gt;</c> element; also the form of <c>task.result</c>.</summary>
    public static void WriteValue(IBufferWriter<byte> output, object? value) => WriteValue(output, value, 0);

    /// <summary>Serialises one value to a string, as xapi stores it in <c>task.result</c>.</summary>
    public static string ToValueString(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteValue(buffer, value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(IBufferWriter<byte> output, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException("XML-RPC value nested too deeply");
        }

        switch (value)
        {
            case null:
                Utf8Text.Write(output, "<value></value>"u8);
                break;
            case string s:
                Utf8Text.Write(output, "<value>"u8);
                Utf8Text.WriteXmlEscaped(output, s);
                Utf8Text.Write(output, "</value>"u8);
                break;
            case long l:
                WriteFormatted(output, "<value>"u8, l, "</value>"u8);
                break;
            case int i:
                WriteFormatted(output, "<value><i4>"u8, i, "</i4></value>"u8);
                break;
            case bool b:
                Utf8Text.Write(output, b ? "<value><boolean>1</boolean></value>"u8 : "<value><boolean>0</boolean></value>"u8);
                break;
            case double d:
                Utf8Text.Write(output, "<value><double>"u8);
                Utf8Text.Write(output, XenValue.FormatDouble(d));
                Utf8Text.Write(output, "</double></value>"u8);
                break;
            case DateTime dt:
                Utf8Text.Write(output, "<value><dateTime.iso8601>"u8);
                Utf8Text.Write(output, XenValue.FormatDateTime(dt));
                Utf8Text.Write(output, "</dateTime.iso8601></value>"u8);
                break;
            case IReadOnlyDictionary<string, object?> map:
                Utf8Text.Write(output, "<value><struct>"u8);
                foreach (var (key, item) in map)
                {
                    Utf8Text.Write(output, "<member><name>"u8);
                    Utf8Text.WriteXmlEscaped(output, key);
                    Utf8Text.Write(output, "</name>"u8);
                    WriteValue(output, item, depth + 1);
                    Utf8Text.Write(output, "</member>"u8);
                }

                Utf8Text.Write(output, "</struct></value>"u8);
                break;
            case IReadOnlyList<object?> list:
                Utf8Text.Write(output, "<value><array><data>"u8);
                for (var i = 0; i < list.Count; i++)
                {
                    WriteValue(output, list[i], depth + 1);
                }

                Utf8Text.Write(output, "</data></array></value>"u8);
                break;
            case IReadOnlyDictionary<string, string> stringMap:
                Utf8Text.Write(output, "<value><struct>"u8);
                foreach (var (key, item) in stringMap)
                {
                    Utf8Text.Write(output, "<member><name>"u8);
                    Utf8Text.WriteXmlEscaped(output, key);
                    Utf8Text.Write(output, "</name>"u8);
                    WriteValue(output, item, depth + 1);
                    Utf8Text.Write(output, "</member>"u8);
                }

                Utf8Text.Write(output, "</struct></value>"u8);
                break;
            default:
                throw new ArgumentException($"Not a XenAPI value: {value.GetType().Name}", nameof(value));
        }
    }

    private static void WriteFormatted(IBufferWriter<byte> output, ReadOnlySpan<byte> open, long number, ReadOnlySpan<byte> close)
    {
        Utf8Text.Write(output, open);
        var span = output.GetSpan(20);
        number.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
        Utf8Text.Write(output, close);
    }
}
