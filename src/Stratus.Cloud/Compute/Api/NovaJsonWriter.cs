using System.Globalization;
using System.Text.Json;

namespace Stratus.Cloud.Compute.Api;

/// <summary>Small additions to <see cref="Utf8JsonWriter"/> for the shapes nova writes.</summary>
internal static class NovaJsonWriter
{
    /// <summary>A float as Python's json module writes it: <c>1.0</c>, never <c>1</c> (rxtx_factor).</summary>
    public static void WritePyFloat(this Utf8JsonWriter writer, string name, double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal))
        {
            text = text.Replace("E", "e", StringComparison.Ordinal);
        }
        else if (!text.Contains('.', StringComparison.Ordinal))
        {
            text += ".0";
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(text, skipInputValidation: true);
    }

    public static void WriteStringOrNull(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary><c>[{"rel": "self", "href": ...}, {"rel": "bookmark", "href": ...}]</c>.</summary>
    public static void WriteLinks(this Utf8JsonWriter writer, string self, string bookmark)
    {
        writer.WriteStartArray("links");
        writer.WriteStartObject();
        writer.WriteString("rel", "self");
        writer.WriteString("href", self);
        writer.WriteEndObject();
        writer.WriteStartObject();
        writer.WriteString("rel", "bookmark");
        writer.WriteString("href", bookmark);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary><c>"&lt;collection&gt;_links": [{"rel": "next", "href": ...}]</c> when there is a next page.</summary>
    public static void WriteNextLink(this Utf8JsonWriter writer, string name, string? next)
    {
        if (next is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        writer.WriteStartObject();
        writer.WriteString("rel", "next");
        writer.WriteString("href", next);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    public static void WriteStringMap(this Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> values)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }
}
