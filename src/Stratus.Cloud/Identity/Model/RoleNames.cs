namespace Stratus.Cloud.Identity.Model;

/// <summary>
/// The three default roles keystone-manage bootstrap creates, with the implications it records
/// (admin implies member, member implies reader), so an admin's token lists all three.
/// </summary>
internal static class RoleNames
{
    public const string Admin = "admin";

    public const string Member = "member";

    public const string Reader = "reader";
}
