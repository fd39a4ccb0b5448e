namespace Stratus.Cloud.Conductor.Build;

/// <summary>An HTTP handler beside the XenAPI (/import_raw_vdi, /console_log) refused: its status and the XenAPI error it wrote.</summary>
internal sealed class TransferFailedException(string operation, int status, string body)
    : Exception($"{operation} answered HTTP {status}: {body.Trim().Replace('\n', ' ')}")
{
    public int Status { get; } = status;

    public string Body { get; } = body;
}
