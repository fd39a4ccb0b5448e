namespace Stratus.Host.Api.Dispatch;

/// <summary>Runs one XenAPI message with its coerced arguments (session excluded) and returns the result value.</summary>
internal delegate ValueTask<object?> XenHandler(CallContext context, Args args);
