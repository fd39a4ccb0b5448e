using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Cli.Up;

/// <summary>
/// Appends one service's log lines to its JSON-lines file: JSON lines from the service get a <c>Service</c> field;
/// anything else (a crash trace) is wrapped as a message. The file rolls over at 32 MiB (one old file kept).
/// </summary>
internal sealed class LogWriter : IDisposable
{
    private const long MaxBytes = 32L << 20;
    private readonly string _path;
    private readonly string _service;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private FileStream _stream;

    public LogWriter(string path, string service, TimeProvider time)
    {
        _path = path;
        _service = service;
        _time = time;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _stream = Open();
    }

    public void Write(string line, string level = "Information")
    {
        JsonObject entry;
        try
        {
            entry = line.StartsWith('{') ? JsonNode.Parse(line) as JsonObject ?? Wrap(line, level) : Wrap(line, level);
        }
        catch (JsonException)
        {
            entry = Wrap(line, level);
        }

        entry["Service"] = _service;
        var bytes = Encoding.UTF8.GetBytes(entry.ToJsonString() + "\n");
        lock (_gate)
        {
            if (_stream.Length + bytes.Length > MaxBytes)
            {
                _stream.Dispose();
                File.Move(_path, _path + ".1", overwrite: true);
                _stream = Open();
            }

            _stream.Write(bytes);
            _stream.Flush();
        }
    }

    public void Dispose() => _stream.Dispose();

    private JsonObject Wrap(string line, string level) => new()
    {
        ["Timestamp"] = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        ["LogLevel"] = level,
        ["Category"] = "stdout",
        ["Message"] = line,
    };

    private FileStream Open() => new(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
}
