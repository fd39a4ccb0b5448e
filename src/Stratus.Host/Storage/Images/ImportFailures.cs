using System.Globalization;
using Stratus.Host.Processes;
using Stratus.XenApi;

namespace Stratus.Host.Storage.Images;

/// <summary>
/// How an import failure leaves the driver: as the XenAPI error a client can act on, and as the reason written into
/// the VDI's unusable mark.
/// </summary>
internal static class ImportFailures
{
    /// <summary>
    /// The exception to throw: XenAPI failures and cancellation as they are; a cut-off stream as
    /// IMPORT_ERROR_PREMATURE_EOF; a full SR as SR_FULL [needed, available]; a failed tool as SR_BACKEND_FAILURE_202.
    /// </summary>
    public static Exception Map(Exception exception, long needed, long available) => exception switch
    {
        XenApiFailure or OperationCanceledException => exception,
        SourceStreamException => new XenApiFailure(XenErrors.ImportErrorPrematureEof),
        _ when StorageFaults.IsNoSpace(exception) => new XenApiFailure(XenErrors.SrFull, Bytes(needed), Bytes(Math.Max(0, available))),
        CommandFailedException failed => SmError.SmGeneral.Failure("import failed", failed.Detail),
        _ => exception,
    };

    /// <summary>The text of the unusable mark: what happened, in one line.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        OperationCanceledException => "import cancelled before it completed",
        SourceStreamException source => $"import cut off: {source.Message}",
        XenApiFailure failure => $"import failed: {failure.Message}",
        _ => $"import failed: {exception.Message}",
    };

    private static string Bytes(long value) => value.ToString(CultureInfo.InvariantCulture);
}
