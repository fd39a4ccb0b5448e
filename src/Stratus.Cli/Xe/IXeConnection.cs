namespace Stratus.Cli.Xe;

/// <summary>A logged-in connection to a XenAPI server; disposing it logs out.</summary>
internal interface IXeConnection : IAsyncDisposable
{
    IXenApi Api { get; }
}
