namespace Stratus.XenApi.Schema;

/// <summary>A one-to-many relation: <see cref="ChildRef"/> points at the parent, <see cref="ParentSet"/> lists the children.</summary>
public sealed record XenRelation(XenField ChildRef, XenField ParentSet);
