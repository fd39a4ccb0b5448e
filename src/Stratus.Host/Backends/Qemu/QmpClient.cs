using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Stratus.Host.Backends.Qemu;

/// <summary>
/// A client of the QEMU Machine Protocol over a unix socket (docs/interop/qmp-spec.rst): reads the greeting
/// (<c>{"QMP": {"version": ..., "capabilities": [...]}}</c>), leaves capabilities negotiation mode with
/// <c>qmp_capabilities</c>, then sends <c>{"execute", "arguments", "id"}</c> commands and matches each
/// <c>{"return"|"error", "id"}</c> reply by id while asynchronous events go to <see cref="Events"/>.
/// One reader task owns the socket's input; writers are serialised. When the connection ends (QEMU exited,
/// or <see cref="DisposeAsync"/>) pending commands fail with <see cref="IOException"/>, <see cref="Events"/>
/// completes and so does <see cref="Completion"/>.
/// </summary>
internal sealed class QmpClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, (string Command, TaskCompletionSource<JsonElement> Reply)> _pending = new();
    private readonly Channel<QmpEvent> _events = Channel.CreateUnbounded<QmpEvent>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });
    private readonly CancellationTokenSource _closing = new();
    private Task _readLoop = Task.CompletedTask;
    private long _nextId;
    private int _disposed;

    private QmpClient(Socket socket, JsonElement greeting)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
        Greeting = greeting;
    }

    /// <summary>The greeting's QMP object (version, capabilities).</summary>
    public JsonElement Greeting { get; private set; }

    /// <summary>QEMU's version from the greeting, e.g. 7.2.22.</summary>
    public string Version =>
        Greeting.TryGetProperty("version", out var v) && v.TryGetProperty("qemu", out var q)
            ? $"{q.GetProperty("major").GetInt32()}.{q.GetProperty("minor").GetInt32()}.{q.GetProperty("micro").GetInt32()}"
            : "unknown";

    public ChannelReader<QmpEvent> Events => _events.Reader;

    /// <summary>Completes when the connection has ended, for whatever reason.</summary>
    public Task Completion => _readLoop;

    /// <summary>Connects, reads the greeting and negotiates capabilities (none requested).</summary>
    public static async Task<QmpClient> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        QmpClient? client = null;
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            client = new QmpClient(socket, default);
            var line = await client._reader.ReadLineAsync(cancellationToken)
                ?? throw new IOException($"QMP socket {socketPath} closed before the greeting");
            using (var greeting = JsonDocument.Parse(line))
            {
                if (!greeting.RootElement.TryGetProperty("QMP", out var qmp))
                    throw new IOException($"QMP socket {socketPath} sent no greeting: {line}");
                client.Greeting = qmp.Clone();
            }

            client._readLoop = Task.Run(client.ReadLoopAsync, CancellationToken.None);
            await client.ExecuteAsync("qmp_capabilities", null, cancellationToken);
            return client;
        }
        catch
        {
            if (client is not null)
                await client.DisposeAsync();
            else
                socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs a command and returns its <c>return</c> value. Throws <see cref="QmpErrorException"/> for an error reply,
    /// <see cref="IOException"/> when the connection ends first (as it may for <c>quit</c>).
    /// </summary>
    public async Task<JsonElement> ExecuteAsync(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (command, reply);

        var message = new JsonObject { ["execute"] = command };
        if (arguments is not null)
            message["arguments"] = arguments;
        message["id"] = id;
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString() + "\r\n");

        using var registration = cancellationToken.Register(() =>
        {
            if (_pending.TryRemove(id, out var entry))
                entry.Reply.TrySetCanceled(cancellationToken);
        });
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
            await _stream.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _pending.TryRemove(id, out _);
            throw new IOException($"QMP connection lost sending {command}", e);
        }
        finally
        {
            _writeLock.Release();
        }

        return await reply.Task;
    }

    private async Task ReadLoopAsync()
    {
        Exception? failure = null;
        try
        {
            while (await _reader.ReadLineAsync(_closing.Token) is { } line)
            {
                if (line.Length > 0)
                    Dispatch(line);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            failure = e;
        }
        catch (JsonException e)
        {
            failure = e;
        }
        finally
        {
            var closed = new IOException("QMP connection closed", failure);
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var entry))
                    entry.Reply.TrySetException(closed);
            }

            _events.Writer.TryComplete();
        }
    }

    private void Dispatch(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.TryGetProperty("event", out var name))
        {
            var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
            var timestamp = root.TryGetProperty("timestamp", out var t)
                ? DateTimeOffset.FromUnixTimeMilliseconds(t.GetProperty("seconds").GetInt64() * 1000 + t.GetProperty("microseconds").GetInt64() / 1000)
                : DateTimeOffset.UnixEpoch;
            _events.Writer.TryWrite(new QmpEvent(name.GetString() ?? "", data, timestamp));
            return;
        }

        // Replies without an id (QEMU answers unparseable input that way) have nobody waiting for them.
        if (!root.TryGetProperty("id", out var idElement) || !idElement.TryGetInt64(out var id) || !_pending.TryRemove(id, out var entry))
            return;
        if (root.TryGetProperty("error", out var error))
        {
            entry.Reply.TrySetException(new QmpErrorException(
                entry.Command,
                error.TryGetProperty("class", out var c) ? c.GetString() ?? "" : "",
                error.TryGetProperty("desc", out var desc) ? desc.GetString() ?? "" : ""));
        }
        else
        {
            entry.Reply.TrySetResult(root.TryGetProperty("return", out var value) ? value.Clone() : default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _closing.CancelAsync();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the peer.
        }

        await _readLoop;
        _reader.Dispose();
        await _stream.DisposeAsync();
        _closing.Dispose();
        _writeLock.Dispose();
    }
}
