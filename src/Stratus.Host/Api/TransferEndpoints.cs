using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Stratus.Host.Api.Messages.Storage;
using Stratus.Host.Backends;
using Stratus.Host.Database;
using Stratus.Host.Sessions;
using Stratus.Host.Storage;
using Stratus.Host.Tasks;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api;

/// <summary>
/// The HTTP handlers beside the XenAPI (xapi's /import_raw_vdi, /export_raw_vdi; Stratus's /console_log; CONNECT /console is ConsoleConnections). They
/// take the session in the query string, run under a task (the client's <c>task_id</c> or a new one) that shows
/// progress and the outcome, and stream: an image never sits in memory. They work the same for every SR type.
/// Errors are 4xx with the XenAPI error in the body, and the task records the failure. Services are [FromServices]
/// from the request's container, so a farm (one app, one agent container per port) serves them per host too.
/// </summary>
internal static partial class TransferEndpoints
{
    public static IEndpointRouteBuilder MapTransfers(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut("/import_raw_vdi", ImportAsync);
        endpoints.MapGet("/export_raw_vdi", ExportAsync);
        endpoints.MapGet("/console_log", ConsoleLogAsync);
        return endpoints;
    }

    private static async Task<IResult> ImportAsync(HttpContext http, [FromServices] ObjectDatabase db, [FromServices] SessionService sessions, [FromServices] TaskService tasks, [FromServices] SrContexts storage, [FromServices] ILoggerFactory loggers)
    {
        if (Authorize(http, sessions) is { } denied)
        {
            return denied;
        }

        if (!TryFormat(http.Request.Query["format"], out var format))
        {
            return Failure(400, new XenApiFailure(XenErrors.InvalidValue, "format", http.Request.Query["format"].ToString()));
        }

        var vdiRef = http.Request.Query["vdi"].ToString();
        ISrDriver driver;
        SrContext context;
        string location;
        try
        {
            (driver, context, location) = db.Read(tx =>
            {
                var vdi = tx.Get(XenModel.VDI, vdiRef);
                VdiOperations.AssertNotAttached(tx, vdi, "import");
                var sr = tx.Get(XenModel.SR, vdi.String("SR"));
                return (storage.Driver(sr.String("type")), storage.Plugged(tx, sr), vdi.String("location"));
            });
        }
        catch (XenApiFailure failure)
        {
            return Failure(failure.Code is XenErrors.HandleInvalid ? 404 : 409, failure);
        }

        var task = TaskFor(http, tasks, $"VDI import into {vdiRef}");
        var expected = http.Request.ContentLength;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, tasks.Track(task).Token);
        try
        {
            var progress = new Progress<long>(done =>
            {
                if (expected is > 0)
                {
                    tasks.Progress(task, (double)done / expected.Value);
                }
            });
            await driver.ImportAsync(context, location, http.Request.Body, format, progress, cancellation.Token);
            var capacity = await driver.GetCapacityAsync(context, CancellationToken.None);
            var scanned = (await driver.ScanAsync(context, CancellationToken.None)).FirstOrDefault(v => v.Location == location);
            db.Write(tx =>
            {
                var vdi = tx.Get(XenModel.VDI, vdiRef);
                tx.Update(XenModel.VDI, vdiRef, ("other_config", VdiOperations.WithUnusable(vdi.Map("other_config"), null)),
                    ("physical_utilisation", scanned?.PhysicalUtilisation ?? vdi.Int("physical_utilisation")));
                VdiOperations.UpdateSr(tx, vdi.String("SR"), capacity);
            });
            tasks.Succeed(task, null);
            return Results.Ok();
        }
        catch (Exception e) when (e is XenApiFailure or IOException or OperationCanceledException or BadHttpRequestException)
        {
            // Whatever reached the disk is incomplete: say so on the VDI rather than leave a silently truncated disk.
            var failure = e as XenApiFailure ?? new XenApiFailure(XenErrors.VdiNotAvailable, vdiRef, $"the import stopped: {e.Message}");
            db.Write(tx =>
            {
                if (tx.Find(XenModel.VDI, vdiRef) is { } vdi)
                {
                    tx.Update(XenModel.VDI, vdiRef, ("other_config", VdiOperations.WithUnusable(vdi.Map("other_config"), failure.Message)));
                }
            });
            tasks.Fail(task, failure);
            LogImportFailed(loggers.CreateLogger("Stratus.Host.Api.Transfers"), vdiRef, failure.Message);
            return Failure(failure.Code == XenErrors.SrFull ? 507 : 400, failure);
        }
    }

    private static async Task<IResult> ExportAsync(HttpContext http, [FromServices] ObjectDatabase db, [FromServices] SessionService sessions, [FromServices] TaskService tasks, [FromServices] SrContexts storage)
    {
        if (Authorize(http, sessions) is { } denied)
        {
            return denied;
        }

        if (!TryFormat(http.Request.Query["format"], out var format))
        {
            return Failure(400, new XenApiFailure(XenErrors.InvalidValue, "format", http.Request.Query["format"].ToString()));
        }

        var vdiRef = http.Request.Query["vdi"].ToString();
        ISrDriver driver;
        SrContext context;
        string location;
        try
        {
            (driver, context, location) = db.Read(tx =>
            {
                var vdi = tx.Get(XenModel.VDI, vdiRef);
                var sr = tx.Get(XenModel.SR, vdi.String("SR"));
                return (storage.Driver(sr.String("type")), storage.Plugged(tx, sr), vdi.String("location"));
            });
        }
        catch (XenApiFailure failure)
        {
            return Failure(failure.Code is XenErrors.HandleInvalid ? 404 : 409, failure);
        }

        var task = TaskFor(http, tasks, $"VDI export of {vdiRef}");
        http.Response.ContentType = "application/octet-stream";
        try
        {
            await driver.ExportAsync(context, location, http.Response.Body, format, http.RequestAborted);
            tasks.Succeed(task, null);
        }
        catch (Exception e) when (e is XenApiFailure or IOException or OperationCanceledException)
        {
            tasks.Fail(task, e as XenApiFailure ?? new XenApiFailure(XenErrors.InternalError, e.Message));
            if (!http.Response.HasStarted)
            {
                return Failure(400, e as XenApiFailure ?? new XenApiFailure(XenErrors.InternalError, e.Message));
            }

            http.Abort();
        }

        return Results.Empty;
    }

    /// <summary>The last <c>lines</c> lines (all when absent) of a VM's serial console log, as plain text.</summary>
    private static async Task<IResult> ConsoleLogAsync(HttpContext http, [FromServices] ObjectDatabase db, [FromServices] SessionService sessions, [FromServices] IVmBackend backend)
    {
        if (Authorize(http, sessions) is { } denied)
        {
            return denied;
        }

        int? lines = null;
        if (http.Request.Query.TryGetValue("lines", out var text) && text.ToString().Length > 0)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return Failure(400, new XenApiFailure(XenErrors.InvalidValue, "lines", text.ToString()));
            }

            lines = n;
        }

        string uuid;
        try
        {
            uuid = db.Read(tx => tx.Get(XenModel.VM, http.Request.Query["vm"].ToString()).Uuid);
        }
        catch (XenApiFailure failure)
        {
            return Failure(404, failure);
        }

        var log = await backend.ReadConsoleAsync(uuid, lines, http.RequestAborted);
        return Results.Text(log, "text/plain");
    }

    private static IResult? Authorize(HttpContext http, SessionService sessions)
    {
        var session = http.Request.Query["session_id"].ToString();
        if (session.Length == 0 || !sessions.IsLive(session))
        {
            return Failure(403, new XenApiFailure(XenErrors.SessionInvalid, session));
        }

        return null;
    }

    private static string TaskFor(HttpContext http, TaskService tasks, string label) =>
        http.Request.Query["task_id"].ToString() is { Length: > 0 } given ? given : tasks.Create(label, "", http.Request.Query["session_id"].ToString());

    private static bool TryFormat(string? text, out ImageFormat format)
    {
        format = ImageFormat.Raw;
        switch (string.IsNullOrEmpty(text) ? "raw" : text.ToLowerInvariant())
        {
            case "raw":
                return true;
            case "vhd":
                format = ImageFormat.Vhd;
                return true;
            case "qcow2" or "qcow":
                format = ImageFormat.Qcow2;
                return true;
            default:
                return false;
        }
    }

    private static IResult Failure(int status, XenApiFailure failure) =>
        Results.Text(string.Join("\n", failure.Description) + "\n", "text/plain", statusCode: status);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Import into {Vdi} failed: {Reason}")]
    private static partial void LogImportFailed(ILogger logger, string vdi, string reason);
}
