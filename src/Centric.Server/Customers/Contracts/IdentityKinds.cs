namespace Centric.Server.Customers.Contracts;

/// <summary>The kinds of identity a profile is known by; an identity is stored as <c>kind:value</c>.</summary>
public static class IdentityKinds
{
    public const string Email = "email";
    public const string Phone = "phone";
    public const string External = "external";
    public const string Anonymous = "anonymous";
}
