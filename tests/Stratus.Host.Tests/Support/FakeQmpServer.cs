using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Stratus.Host.Tests.Support;

/// <summary>A scripted QMP peer on a unix socket: the test sends lines and reads the client's commands.</summary>
internal sealed class FakeQmpServer : IDisposable
{
    public const string Greeting = """{"QMP": {"version": {"qemu": {"micro": 3, "minor": 2, "major": 7}, "package": ""}, "capabilities": ["oob"]}}""";

    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public FakeQmpServer(string path)
    {
        Path = path;
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(1);
    }

    public string Path { get; }

    public async Task<Connection> AcceptAsync(CancellationToken cancellationToken) => new(await _listener.AcceptAsync(cancellationToken));

    /// <summary>Accepts, greets and answers qmp_capabilities: what QEMU does for every new client.</summary>
    public async Task<Connection> AcceptNegotiatedAsync(CancellationToken cancellationToken)
    {
        var connection = await AcceptAsync(cancellationToken);
        await connection.SendAsync(Greeting, cancellationToken);
        var command = await connection.ReadCommandAsync(cancellationToken);
        Assert.Equal("qmp_capabilities", command.GetProperty("execute").GetString());
        await connection.ReplyAsync(command, "{}", cancellationToken);
        return connection;
    }

    public void Dispose() => _listener.Dispose();

    internal sealed class Connection(Socket socket) : IDisposable
    {
        private readonly NetworkStream _stream = new(socket, ownsSocket: true);
        private readonly StreamReader _reader = new(new NetworkStream(socket, ownsSocket: false), Encoding.UTF8);

        public async Task SendAsync(string line, CancellationToken cancellationToken) =>
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), cancellationToken);

        public async Task<JsonElement> ReadCommandAsync(CancellationToken cancellationToken)
        {
            var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new IOException("client closed");
            return JsonDocument.Parse(line).RootElement.Clone();
        }

        public Task ReplyAsync(JsonElement command, string returnJson, CancellationToken cancellationToken) =>
            SendAsync($$"""{"return": {{returnJson}}, "id": {{command.GetProperty("id").GetRawText()}}}""", cancellationToken);

        public void Dispose()
        {
            _reader.Dispose();
            _stream.Dispose();
        }
    }
}
