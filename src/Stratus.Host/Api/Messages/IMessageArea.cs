using Stratus.Host.Api.Dispatch;

namespace Stratus.Host.Api.Messages;

/// <summary>One area of explicit XenAPI messages (a class or a concern), registered into the method table at start.</summary>
internal interface IMessageArea
{
    void Register(MethodTable table);
}
