using System.Globalization;
using System.Text;
using System.Xml;

namespace Stratus.XenApi.Wire;

/// <summary>
/// Reads XML-RPC calls and responses. Accepts both xapi's untyped values and the typed forms other clients send
/// (<c>&lt;int&gt;</c>, <c>&lt;i4&gt;</c>, <c>&lt;i8&gt;</c>, <c>&lt;string&gt;</c>, <c>&lt;nil/&gt;</c>, <c>&lt;base64&gt;</c>).
/// Ints become <see cref="long"/>; untyped text stays a string and is coerced later by the parameter's declared type.
/// </summary>
public static class XmlRpcReader
{
    private const int MaxDepth = 64;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    public static RpcRequest ReadCall(Stream body)
    {
        try
        {
            using var reader = XmlReader.Create(body, Settings);
            MoveToElement(reader, "methodCall");
            reader.ReadStartElement("methodCall");
            SkipInsignificant(reader);
            var method = reader.ReadElementContentAsString("methodName", "").Trim();
            var parameters = new List<object?>();
            SkipInsignificant(reader);
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "params")
            {
                if (reader.IsEmptyElement)
                {
                    reader.Read();
                }
                else
                {
                    reader.ReadStartElement("params");
                    SkipInsignificant(reader);
                    while (reader.NodeType == XmlNodeType.Element && reader.LocalName == "param")
                    {
                        reader.ReadStartElement("param");
                        SkipInsignificant(reader);
                        parameters.Add(ReadValueElement(reader, 0));
                        SkipInsignificant(reader);
                        reader.ReadEndElement();
                        SkipInsignificant(reader);
                    }

                    reader.ReadEndElement();
                }
            }

            if (method.Length == 0)
            {
                throw new MalformedRequestException("methodName", "an empty method name");
            }

            return new RpcRequest(method, parameters);
        }
        catch (XmlException e)
        {
            throw new MalformedRequestException("methodCall", e.Message);
        }
    }

    /// <summary>
    /// Reads a methodResponse's single value. A standard XML-RPC <c>&lt;fault&gt;</c> (which xapi never sends)
    /// becomes a <see cref="XenApiFailure"/> with code <c>XMLRPC_FAULT</c>.
    /// </summary>
    public static object? ReadResponse(Stream body)
    {
        try
        {
            using var reader = XmlReader.Create(body, Settings);
            MoveToElement(reader, "methodResponse");
            reader.ReadStartElement("methodResponse");
            SkipInsignificant(reader);
            if (reader.LocalName == "fault")
            {
                reader.ReadStartElement("fault");
                SkipInsignificant(reader);
                var fault = ReadValueElement(reader, 0) as IReadOnlyDictionary<string, object?>;
                throw new XenApiFailure("XMLRPC_FAULT",
                    XenValue.ToDbString(fault?.GetValueOrDefault("faultCode")),
                    XenValue.ToDbString(fault?.GetValueOrDefault("faultString")));
            }

            reader.ReadStartElement("params");
            SkipInsignificant(reader);
            reader.ReadStartElement("param");
            SkipInsignificant(reader);
            return ReadValueElement(reader, 0);
        }
        catch (XmlException e)
        {
            throw new MalformedRequestException("methodResponse", e.Message);
        }
    }

    /// <summary>Parses a lone <c>&lt;value&gt;</c> fragment, such as <c>task.result</c>.</summary>
    public static object? ReadValue(string xml)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            MoveToElement(reader, "value");
            return ReadValueElement(reader, 0);
        }
        catch (XmlException e)
        {
            throw new MalformedRequestException("value", e.Message);
        }
    }

    private static void MoveToElement(XmlReader reader, string name)
    {
        if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != name)
        {
            throw new MalformedRequestException(name, reader.EOF ? "an empty body" : $"<{reader.LocalName}>");
        }
    }

    private static void SkipInsignificant(XmlReader reader)
    {
        while (reader.NodeType is XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace or XmlNodeType.XmlDeclaration)
        {
            reader.Read();
        }
    }

    /// <summary>Reads <c>&lt;value&gt;...&lt;/value&gt;</c> and leaves the reader after it.</summary>
    private static object? ReadValueElement(XmlReader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new MalformedRequestException("value", "nesting deeper than 64 levels");
        }

        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "value")
        {
            throw new MalformedRequestException("value", reader.NodeType == XmlNodeType.Element ? $"<{reader.LocalName}>" : reader.NodeType.ToString());
        }

        if (reader.IsEmptyElement)
        {
            reader.Read();
            return "";
        }

        reader.Read();
        StringBuilder? text = null;
        object? typed = null;
        var hasTyped = false;
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    (text ??= new StringBuilder()).Append(reader.Value);
                    reader.Read();
                    break;
                case XmlNodeType.Element:
                    if (hasTyped)
                    {
                        throw new MalformedRequestException("one typed value", $"a second <{reader.LocalName}>");
                    }

                    typed = ReadTyped(reader, depth);
                    hasTyped = true;
                    break;
                case XmlNodeType.None:
                    throw new MalformedRequestException("</value>", "the end of the document");
                default:
                    reader.Read();
                    break;
            }
        }

        reader.Read();
        // Untyped content is a string; whitespace around a typed element is insignificant.
        return hasTyped ? typed : text?.ToString() ?? "";
    }

    private static object? ReadTyped(XmlReader reader, int depth)
    {
        var type = reader.LocalName;
        switch (type)
        {
            case "string":
                return reader.ReadElementContentAsString();
            case "int" or "i4" or "i8":
                {
                    var text = reader.ReadElementContentAsString().Trim();
                    return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                        ? value
                        : throw new MalformedRequestException(type, text);
                }

            case "boolean":
                {
                    var text = reader.ReadElementContentAsString().Trim();
                    return text switch
                    {
                        "1" or "true" => true,
                        "0" or "false" => false,
                        _ => throw new MalformedRequestException("boolean", text),
                    };
                }

            case "double":
                {
                    var text = reader.ReadElementContentAsString().Trim();
                    return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                        ? value
                        : throw new MalformedRequestException("double", text);
                }

            case "dateTime.iso8601":
                {
                    var text = reader.ReadElementContentAsString();
                    return XenValue.TryParseDateTime(text, out var value)
                        ? value
                        : throw new MalformedRequestException("dateTime.iso8601", text);
                }

            case "base64":
                {
                    var text = reader.ReadElementContentAsString();
                    try
                    {
                        return Encoding.UTF8.GetString(Convert.FromBase64String(text.Trim()));
                    }
                    catch (FormatException)
                    {
                        throw new MalformedRequestException("base64", text);
                    }
                }

            case "nil":
                reader.Skip();
                return null;
            case "array":
                return ReadArray(reader, depth);
            case "struct":
                return ReadStruct(reader, depth);
            default:
                throw new MalformedRequestException("an XML-RPC type", $"<{type}>");
        }
    }

    private static List<object?> ReadArray(XmlReader reader, int depth)
    {
        var items = new List<object?>();
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return items;
        }

        reader.ReadStartElement("array");
        SkipInsignificant(reader);
        if (reader.IsEmptyElement && reader.LocalName == "data")
        {
            reader.Read();
        }
        else
        {
            reader.ReadStartElement("data");
            SkipInsignificant(reader);
            while (reader.NodeType == XmlNodeType.Element)
            {
                items.Add(ReadValueElement(reader, depth + 1));
                SkipInsignificant(reader);
            }

            reader.ReadEndElement();
        }

        SkipInsignificant(reader);
        reader.ReadEndElement();
        return items;
    }

    private static Dictionary<string, object?> ReadStruct(XmlReader reader, int depth)
    {
        var members = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return members;
        }

        reader.ReadStartElement("struct");
        SkipInsignificant(reader);
        while (reader.NodeType == XmlNodeType.Element && reader.LocalName == "member")
        {
            reader.ReadStartElement("member");
            SkipInsignificant(reader);
            string? name = null;
            object? value = null;
            var hasValue = false;
            while (reader.NodeType == XmlNodeType.Element)
            {
                if (reader.LocalName == "name")
                {
                    name = reader.ReadElementContentAsString();
                }
                else
                {
                    value = ReadValueElement(reader, depth + 1);
                    hasValue = true;
                }

                SkipInsignificant(reader);
            }

            if (name is null || !hasValue)
            {
                throw new MalformedRequestException("member with name and value", name ?? "a member without a name");
            }

            members[name] = value;
            reader.ReadEndElement();
            SkipInsignificant(reader);
        }

        reader.ReadEndElement();
        return members;
    }
}
