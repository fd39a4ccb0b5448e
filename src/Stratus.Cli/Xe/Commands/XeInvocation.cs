namespace Stratus.Cli.Xe.Commands;

/// <summary>One run of a command: its parameters and the connection-scoped context it works through.</summary>
internal sealed class XeInvocation(XeContext context, XeParams parameters, TextReader stdin)
{
    public XeContext Context { get; } = context;

    public XeParams Params { get; } = parameters;

    public XePrinter Printer => Context.Printer;

    /// <summary>Where "Type 'yes' to continue" reads its answer.</summary>
    public TextReader Stdin { get; } = stdin;

    public Task<object?> CallAsync(string method, CancellationToken cancellationToken, params object?[] arguments) =>
        Context.CallAsync(method, cancellationToken, arguments);

    public async Task<string> CallStringAsync(string method, CancellationToken cancellationToken, params object?[] arguments) =>
        XeText.Of(await Context.CallAsync(method, cancellationToken, arguments));
}
