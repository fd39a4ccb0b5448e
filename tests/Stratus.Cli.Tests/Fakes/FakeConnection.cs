using Stratus.Cli.Xe;

namespace Stratus.Cli.Tests.Fakes;

/// <summary>A "connection" to a <see cref="FakeXenApi"/>; counts logins and logouts.</summary>
internal sealed class FakeConnection(FakeXenApi api) : IXeConnection
{
    public IXenApi Api { get; } = api;

    public bool Disposed { get; private set; }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
