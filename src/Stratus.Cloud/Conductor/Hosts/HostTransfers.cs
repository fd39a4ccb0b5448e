using System.Globalization;
using System.Net.Http.Headers;
using Stratus.Cloud.Conductor.Build;
using Stratus.XenApi;
using Stratus.XenApi.Client;

namespace Stratus.Cloud.Conductor.Hosts;

/// <summary>
/// The HTTP handlers beside the XenAPI: <c>PUT /import_raw_vdi</c> (xapi's, any SR type: the host writes the VDI
/// through its own storage layer) under a client task, as nova's vdi_remote_stream did, and Stratus's
/// <c>GET /console_log</c>. Bodies stream; the request id goes along as X-Request-Id.
/// </summary>
internal static class HostTransfers
{
    /// <summary>Streams <paramref name="content"/> into <paramref name="vdiRef"/>; fails with the host's own error.</summary>
    public static async Task ImportAsync(HostLink link, string vdiRef, string format, Stream content, long? length, CancellationToken cancellationToken)
    {
        var session = await link.SessionAsync(cancellationToken);
        var task = XenValue.ToDbString(await link.CallAsync("task.create", cancellationToken, $"Import into {vdiRef}", "stratus controller"));
        try
        {
            var query = $"import_raw_vdi?session_id={Uri.EscapeDataString(session.Ref)}&task_id={Uri.EscapeDataString(task)}&vdi={Uri.EscapeDataString(vdiRef)}&format={format}";
            using var body = new StreamContent(content, 81920);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            if (length is { } n)
            {
                body.Headers.ContentLength = n;
            }

            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(link.Url, query)) { Content = body };
            AddRequestId(request);
            using var response = await link.Transfers.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new TransferFailedException("import_raw_vdi", (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            }

            // xapi finishes the task once the data is written; a failed task carries the storage error.
            var record = XenRecord.AsRecord(await link.CallAsync("task.get_record", cancellationToken, task));
            for (var wait = 0; record.String("status") == "pending" && wait < 600; wait++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
                record = XenRecord.AsRecord(await link.CallAsync("task.get_record", cancellationToken, task));
            }

            if (record.String("status") is not "success")
            {
                var error = record.Refs("error_info");
                throw new XenApiFailure(error.Count > 0 ? error[0] : XenErrors.InternalError, [.. error.Skip(1)]);
            }
        }
        finally
        {
            await ForgetTaskAsync(link, task);
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of a VM's serial console (the Stratus agent's <c>/console_log</c>).</summary>
    public static async Task<string?> ConsoleLogAsync(HostLink link, string vmRef, int? lines, CancellationToken cancellationToken)
    {
        var session = await link.SessionAsync(cancellationToken);
        var query = $"console_log?vm={Uri.EscapeDataString(vmRef)}&session_id={Uri.EscapeDataString(session.Ref)}"
            + (lines is { } n ? "&lines=" + n.ToString(CultureInfo.InvariantCulture) : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(link.Url, query));
        AddRequestId(request);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(HostLink.CallTimeout);
        using var response = await link.Transfers.SendAsync(request, bounded.Token);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(bounded.Token);
            if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.MethodNotAllowed
                && !text.Contains(XenErrors.HandleInvalid, StringComparison.Ordinal))
            {
                // Not a Stratus agent: a real XenServer has no /console_log.
                return null;
            }

            throw new TransferFailedException("console_log", (int)response.StatusCode, text);
        }

        return await response.Content.ReadAsStringAsync(bounded.Token);
    }

    private static void AddRequestId(HttpRequestMessage request)
    {
        if (XenRequestId.Current is { Length: > 0 } id)
        {
            request.Headers.TryAddWithoutValidation(XenRequestId.Header, id);
        }
    }

    private static async Task ForgetTaskAsync(HostLink link, string task)
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await link.CallAsync("task.destroy", quick.Token, task);
        }
        catch (Exception e) when (e is XenApiFailure or HttpRequestException or OperationCanceledException or TimeoutException)
        {
            // The host collects finished tasks itself; a leftover task record harms nothing.
        }
    }
}
