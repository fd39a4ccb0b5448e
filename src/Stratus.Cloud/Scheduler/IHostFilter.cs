namespace Stratus.Cloud.Scheduler;

/// <summary>A scheduler filter (nova's BaseHostFilter): pure, explains a rejection with its numbers.</summary>
internal interface IHostFilter
{
    string Name { get; }

    HostVerdict Check(HostState host, RequestSpec request);
}
