using Stratus.Host.Sessions;
using Stratus.Host.Tasks;
using Stratus.XenApi;
using Stratus.XenApi.Wire;

namespace Stratus.Host.Api.Dispatch;

/// <summary>
/// Turns a decoded call into a result, in xapi's order (ocaml/idl/ocaml_backend/gen_server.ml): find the method
/// (<c>MESSAGE_METHOD_UNKNOWN</c>), check the argument count (<c>MESSAGE_PARAMETER_COUNT_MISMATCH [method,
/// expected, received]</c>, counting neither the session nor defaulted parameters), coerce the arguments to their
/// declared types (<c>FIELD_TYPE_ERROR</c>), then check the session (<c>SESSION_INVALID</c>). <c>Async.X</c> runs X
/// under a new task and returns the task at once. Anything unexpected becomes <c>INTERNAL_ERROR</c>, never an HTTP error.
/// </summary>
internal sealed partial class XenApiDispatcher(MethodTable methods, SessionService sessions, TaskService tasks, ILogger<XenApiDispatcher> logger)
{
    private const string AsyncPrefix = "Async.";

    public async ValueTask<RpcResult> DispatchAsync(RpcRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var value = await InvokeAsync(request.Method, request.Params, cancellationToken);
            return RpcResult.Success(value ?? "");
        }
        catch (XenApiFailure failure)
        {
            LogFailure(logger, request.Method, failure.Message);
            return RpcResult.Fail(failure);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            LogInternalError(logger, request.Method, e);
            return RpcResult.Fail(new XenApiFailure(XenErrors.InternalError, e.Message));
        }
    }

    private async ValueTask<object?> InvokeAsync(string name, IReadOnlyList<object?> raw, CancellationToken cancellationToken)
    {
        var isAsync = name.StartsWith(AsyncPrefix, StringComparison.Ordinal);
        var method = methods.Find(isAsync ? name[AsyncPrefix.Length..] : name);
        if (method is null || (isAsync && !method.SupportsAsync))
        {
            throw new XenApiFailure(XenErrors.MessageMethodUnknown, name);
        }

        var offset = method.TakesSession ? 1 : 0;
        var received = raw.Count - offset;
        if (received < method.Required || received > method.Params.Count)
        {
            throw new XenApiFailure(XenErrors.MessageParameterCountMismatch, name,
                method.Required.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Math.Max(received, 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var values = new object?[method.Params.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = method.Params[i];
            values[i] = i < received ? parameter.Type.Coerce(raw[i + offset], parameter.Name) : parameter.Type.Zero;
        }

        string? session = null;
        if (method.TakesSession)
        {
            session = raw[0] as string ?? throw new XenApiFailure(XenErrors.FieldTypeError, "session_id");
            sessions.Validate(session);
        }

        var args = new Args(values);
        if (isAsync)
        {
            return tasks.RunAsync(name, method, args, session!);
        }

        return await method.Handler(new CallContext(session, null, null, cancellationToken), args);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "XenAPI call {Method} failed: {Failure}")]
    private static partial void LogFailure(ILogger logger, string method, string failure);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "XenAPI call {Method} raised an unexpected exception")]
    private static partial void LogInternalError(ILogger logger, string method, Exception exception);
}
