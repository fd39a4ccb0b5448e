using System.Net.Sockets;
using Stratus.Cli.Xe.Commands;
using Stratus.XenApi;

namespace Stratus.Cli.Xe;

/// <summary>
/// The xe CLI as a XenAPI client: reads the xe grammar, computes the CLI's records from API records the way xapi's
/// CLI server does (records.ml), and prints what the real xe prints. Errors go to stderr with exit code 1; usage
/// text (no command, --help) exits 0 as newcli does.
/// </summary>
internal static class XeProgram
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, environment, Console.In, TimeProvider.System, XeConnection.OpenAsync, cancellationToken);

    /// <summary>The same, with the pieces a test replaces: stdin, the clock and how to connect.</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, TextReader stdin, TimeProvider time,
        Func<XeSettings, CancellationToken, Task<IXeConnection>> connect, CancellationToken cancellationToken)
    {
        if (args.Contains("-version"))
        {
            // newcli.ml: the thin-CLI protocol version this client speaks (Cli_protocol 0.2).
            stdout.Write("ThinCLI protocol: 0.2\n");
            return ExitCodes.Success;
        }

        var settings = new XeSettings();
        IReadOnlyList<string> rest;
        try
        {
            var rc = XeArguments.ParseRc(ReadRcFile(environment), stderr);
            rest = XeArguments.Parse(settings, args, environment("XE_EXTRA_ARGS"), rc);
            if (settings.PasswordFile.Length > 0)
            {
                XeArguments.ReadPasswordFile(settings);
            }
        }
        catch (XeUsageRequestedException usage)
        {
            stderr.Write((usage.Detail ?? "") + XeHelp.Usage);
            return ExitCodes.Success;
        }
        catch (XeExitException exit)
        {
            stderr.Write(exit.StderrText ?? "");
            return exit.ExitCode;
        }

        if (rest.Count == 0)
        {
            stderr.Write(XeHelp.Usage);
            return ExitCodes.Success;
        }

        XeCommandLine command;
        try
        {
            command = XeCommandLine.Parse(rest).With(new("username", settings.Username), new("password", settings.Password));
        }
        catch (XeUsageException usage)
        {
            PrintUsageError(usage, stderr);
            return ExitCodes.Failure;
        }

        var parameters = new XeParams(command.Parameters);
        var printer = new XePrinter(stdout, stderr, parameters.Get("minimal") == "true");
        if (command.Name == "help")
        {
            XeHelp.Print(parameters, printer);
            printer.Flush();
            return ExitCodes.Success;
        }

        if (!XeCommandTable.All.TryGetValue(command.Name, out var spec))
        {
            PrintUsageError(new XeUsageException("Unknown command", command.Name), stderr);
            return ExitCodes.Failure;
        }

        if (spec.Required.FirstOrDefault(key => !parameters.Has(key)) is { } missing)
        {
            PrintUsageError(new XeUsageException("Required parameter not found", missing), stderr);
            return ExitCodes.Failure;
        }

        IXeConnection connection;
        try
        {
            connection = await connect(settings, cancellationToken);
        }
        catch (Exception e) when (e is XenApiFailure or HttpRequestException or IOException or System.Xml.XmlException)
        {
            await ReportAsync(e, null, stdout, stderr, settings, connecting: true, cancellationToken);
            return ExitCodes.Failure;
        }

        await using (connection)
        {
            var context = new XeContext(connection.Api, printer, time);
            try
            {
                await spec.Run(new XeInvocation(context, parameters, stdin), cancellationToken);
                printer.Flush();
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return await ReportAsync(e, context, stdout, stderr, settings, connecting: false, cancellationToken);
            }
        }
    }

    /// <summary>xapi_cli.ml <c>exception_handler</c>, plus the client-side failures newcli.ml reports.</summary>
    private static async Task<int> ReportAsync(Exception e, XeContext? context, TextWriter stdout, TextWriter stderr, XeSettings settings, bool connecting, CancellationToken ct)
    {
        switch (e)
        {
            case XeExitException exit:
                stderr.Write(exit.StderrText ?? "");
                return exit.ExitCode;
            case XeUsageException usage:
                PrintUsageError(usage, stderr);
                break;
            case XeMultipleFailure multiple:
                foreach (var (uuid, message) in multiple.Failures)
                {
                    stdout.Write($"operation failed on {uuid}: {message}\n");
                }

                break;
            case XeCliFailure failure:
                stderr.Write($"Error: {failure.Message}\n");
                break;
            case XeUnknownFieldException unknown:
                await XeErrors.PrintAsync("Missing parameter", [unknown.Name], null, stderr, ct);
                break;
            case XenApiFailure failure when failure.Code == XenErrors.SessionAuthenticationFailed:
                PrintUsageError(new XeUsageException("", failure.Parameters is [{ Length: > 0 }, ..] ? "Authentication failed" : "Username/password must be specified"), stderr);
                break;
            case XenApiFailure failure:
                await XeErrors.PrintAsync(failure.Code, failure.Parameters, context, stderr, ct);
                break;
            case HttpRequestException http when connecting:
                stderr.Write(ConnectFailure(http, settings));
                break;
            case HttpRequestException { StatusCode: not null }:
            case System.Xml.XmlException:
                stderr.Write("Server internal error.\n");
                break;
            case HttpRequestException or IOException:
                stderr.Write("Lost connection to the server.\n");
                break;
            default:
                // xapi_cli.ml's last resort: any other exception becomes INTERNAL_ERROR with its description.
                await XeErrors.PrintAsync(XenErrors.InternalError, [e.Message], null, stderr, ct);
                break;
        }

        return ExitCodes.Failure;
    }

    /// <summary>What newcli.ml's main prints when it cannot reach the server.</summary>
    private static string ConnectFailure(HttpRequestException e, XeSettings settings)
    {
        if (e.StatusCode is not null)
        {
            return "Server internal error.\n";
        }

        return e.InnerException switch
        {
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } => $"Host '{settings.Server}' not found.\n",
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "Error: Connection refused (calling connect )\n",
            SocketException socket => $"Error: {socket.Message} (calling connect )\n",
            _ => "Unable to contact server. Please check server and port settings.\n",
        };
    }

    /// <summary>xapi_cli.ml <c>param_error</c>.</summary>
    private static void PrintUsageError(XeUsageException usage, TextWriter stderr)
    {
        stderr.Write((usage.Prefix.Length > 0 ? $"{usage.Prefix}: {usage.Detail}" : usage.Detail) + "\n");
        stderr.Write("For usage run: 'xe help'\n");
    }

    /// <summary>options.ml <c>read_rc</c>: $HOME/.xe, when it exists.</summary>
    private static string? ReadRcFile(Func<string, string?> environment)
    {
        var path = (environment("HOME") ?? "") + "/.xe";
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
