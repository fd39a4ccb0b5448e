namespace Stratus.XenApi.Schema;

/// <summary>A message parameter as it travels on the wire.</summary>
public sealed record XenParam(string Name, XenType Type);
