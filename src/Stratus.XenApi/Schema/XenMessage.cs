namespace Stratus.XenApi.Schema;

/// <summary>A message signature: <c>Class.name</c>, result type and wire parameters (session first, when it takes one).</summary>
public sealed record XenMessage(string Name, XenType Result, IReadOnlyList<XenParam> Params);
