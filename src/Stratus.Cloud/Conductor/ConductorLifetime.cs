using Stratus.Cloud.Conductor.Work;

namespace Stratus.Cloud.Conductor;

/// <summary>Resumes unfinished work when the controller starts; cancels work in flight (which stays recorded) when it stops.</summary>
internal sealed class ConductorLifetime(ConductorService conductor, WorkRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => conductor.RecoverAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => runner.StopAsync();
}
