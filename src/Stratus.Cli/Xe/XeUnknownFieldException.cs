namespace Stratus.Cli.Xe;

/// <summary>
/// records.ml <c>CLI_failed_to_find_param</c>: a param-name that is not a field of the record. xapi reports it as a
/// server error with the code "Missing parameter", which no datamodel entry documents, so xe prints the generic form.
/// </summary>
internal sealed class XeUnknownFieldException(string name) : Exception($"Missing parameter: {name}")
{
    public string Name { get; } = name;
}
