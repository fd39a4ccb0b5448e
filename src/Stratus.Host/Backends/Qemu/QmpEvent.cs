using System.Text.Json;

namespace Stratus.Host.Backends.Qemu;

/// <summary>
/// An asynchronous QMP event (docs/interop/qmp-spec: <c>{"event": NAME, "data": {...}, "timestamp": {"seconds", "microseconds"}}</c>),
/// e.g. SHUTDOWN (data.guest, data.reason: guest-shutdown, host-qmp-quit, host-signal...), POWERDOWN, RESET, STOP, RESUME.
/// </summary>
internal sealed record QmpEvent(string Name, JsonElement Data, DateTimeOffset Timestamp);
