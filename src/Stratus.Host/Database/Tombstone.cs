using Stratus.XenApi.Schema;

namespace Stratus.Host.Database;

/// <summary>A deleted object, remembered so event.from can report <c>del</c> to clients whose token predates it.</summary>
internal sealed record Tombstone(XenClass Class, string Ref, long Created, long Deleted);
