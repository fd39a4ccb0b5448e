using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Stratus.Host.Database;
using Stratus.Host.Sessions;
using Stratus.XenApi;
using Stratus.XenApi.Schema;

namespace Stratus.Host.Api;

/// <summary>
/// xapi's console handler: <c>CONNECT /console?uuid=&lt;console uuid&gt;&amp;session_id=…</c> (or <c>ref=&lt;console
/// or VM ref&gt;</c>, as nova's XenAPI driver sends it). After <c>200 OK</c> the connection carries raw RFB, relayed
/// to the VM's VNC server (QEMU's unix socket).
/// <para>
/// Kestrel hands an HTTP/1.1 CONNECT to no endpoint as a raw stream (only HTTP/2's extended CONNECT), so this sits
/// in front of HTTP as connection middleware: a connection whose first byte is <c>C</c> (no other HTTP method starts
/// with it) is read here; every other connection goes on to HTTP untouched. As with xapi's clients, a console
/// connection carries only its CONNECT.
/// </para>
/// </summary>
internal sealed partial class ConsoleConnections(ObjectDatabase db, SessionService sessions, ILogger<ConsoleConnections> logger)
{
    private const int MaxHeaderBytes = 16 * 1024;

    /// <summary>As Kestrel's default RequestHeadersTimeout: a connection that sends nothing is closed.</summary>
    private static readonly TimeSpan FirstByteTimeout = TimeSpan.FromSeconds(30);

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        ReadResult first;
        using (var firstByte = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            // Kestrel's own header timeout starts only once HTTP has the connection: bound the wait here as it would.
            firstByte.CancelAfter(FirstByteTimeout);
            try
            {
                first = await input.ReadAsync(firstByte.Token);
            }
            catch (OperationCanceledException)
            {
                connection.Abort(new ConnectionAbortedException("no request within " + FirstByteTimeout));
                return;
            }
        }

        var isConnect = first.Buffer.Length > 0 && first.Buffer.FirstSpan[0] == (byte)'C';
        // Nothing consumed or examined: the HTTP parser (or the reader below) sees the same bytes again.
        input.AdvanceTo(first.Buffer.Start);
        if (!isConnect)
        {
            await next(connection);
            return;
        }

        try
        {
            await RelayAsync(connection, connection.ConnectionClosed);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ConnectionResetException)
        {
            LogClosed(logger, connection.ConnectionId, e.Message);
        }
    }

    private async Task RelayAsync(ConnectionContext connection, CancellationToken cancellationToken)
    {
        var head = await ReadHeadAsync(connection.Transport.Input, cancellationToken);
        var output = connection.Transport.Output;
        if (head is null)
        {
            await RespondAsync(output, 400, "Bad Request", "a CONNECT request line and headers, at most 16 KiB", cancellationToken);
            return;
        }

        var parts = head.Split(' ');
        var target = parts.Length == 3 && parts[0] == "CONNECT" && parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal)
            ? new Uri(new Uri("http://console/"), parts[1])
            : null;
        if (target is null || target.AbsolutePath != "/console")
        {
            await RespondAsync(output, 404, "Not Found", "only CONNECT /console?uuid=…&session_id=… is served here", cancellationToken);
            return;
        }

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(target.Query);
        var session = query.TryGetValue("session_id", out var s) ? s.ToString() : "";
        if (session.Length == 0 || !sessions.IsLive(session))
        {
            await RespondAsync(output, 403, "Forbidden", $"{XenErrors.SessionInvalid}\n{session}", cancellationToken);
            return;
        }

        string address;
        try
        {
            address = db.Read(tx => VncAddress(tx, query.TryGetValue("uuid", out var u) ? u.ToString() : "", query.TryGetValue("ref", out var r) ? r.ToString() : ""));
        }
        catch (XenApiFailure failure)
        {
            await RespondAsync(output, 404, "Not Found", string.Join("\n", failure.Description), cancellationToken);
            return;
        }

        using var vnc = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await vnc.ConnectAsync(new UnixDomainSocketEndPoint(address["unix:".Length..]), cancellationToken);
        }
        catch (SocketException e)
        {
            await RespondAsync(output, 503, "Service Unavailable", $"the VM's VNC server does not answer: {e.Message}", cancellationToken);
            return;
        }

        await output.WriteAsync("HTTP/1.1 200 OK\r\n\r\n"u8.ToArray(), cancellationToken);
        await using var guest = new NetworkStream(vnc, ownsSocket: false);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Either side closing ends the relay: RFB has no half-close worth keeping.
        var toGuest = connection.Transport.Input.CopyToAsync(guest, done.Token);
        var toClient = guest.CopyToAsync(output, done.Token);
        await Task.WhenAny(toGuest, toClient);
        await done.CancelAsync();
        try
        {
            await Task.WhenAll(toGuest, toClient);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // One side closed and the other copy was cancelled: the normal end of a console session.
        }
    }

    /// <summary>The request line, once the whole head (up to the blank line) has arrived and been consumed; null if it is too long or cut off.</summary>
    private static async Task<string?> ReadHeadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            var end = new SequenceReader<byte>(buffer);
            if (end.TryReadTo(out ReadOnlySequence<byte> headBytes, "\r\n\r\n"u8))
            {
                var head = Encoding.ASCII.GetString(headBytes);
                input.AdvanceTo(end.Position);
                return head.Split("\r\n")[0];
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted || buffer.Length > MaxHeaderBytes)
            {
                return null;
            }
        }
    }

    private static async Task RespondAsync(PipeWriter output, int status, string reason, string body, CancellationToken cancellationToken)
    {
        var text = body + "\n";
        await output.WriteAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.UTF8.GetByteCount(text)}\r\nConnection: close\r\n\r\n{text}"), cancellationToken);
    }

    /// <summary>The VNC address of the console named by uuid, or by ref (a console's, or a VM's: its rfb console).</summary>
    private static string VncAddress(DbTransaction tx, string uuid, string reference)
    {
        var console = uuid.Length > 0
            ? tx.FindByUuid(XenModel.Console, uuid) ?? throw new XenApiFailure(XenErrors.UuidInvalid, "console", uuid)
            : tx.Find(XenModel.Console, reference) ?? RfbConsoleOf(tx, reference);
        return console.Map("other_config").GetValueOrDefault("vnc_address") is string address && address.StartsWith("unix:", StringComparison.Ordinal)
            ? address
            : throw new XenApiFailure(XenErrors.HandleInvalid, "console", console.Ref);
    }

    private static Row RfbConsoleOf(DbTransaction tx, string vmRef) =>
        tx.Find(XenModel.VM, vmRef)?.Set("consoles").Select(c => tx.Get(XenModel.Console, (string)c!)).FirstOrDefault(c => c.String("protocol") == "rfb")
        ?? throw new XenApiFailure(XenErrors.HandleInvalid, "console", vmRef);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Debug, Message = "Console connection {ConnectionId} ended: {Reason}")]
    private static partial void LogClosed(ILogger logger, string connectionId, string reason);
}
