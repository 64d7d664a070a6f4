using System.Reflection;
using Centric.Server.Platform.Data;
using Centric.Server.Tests.Platform.ArchitectureSamples;
using NetArchTest.Rules;

namespace Centric.Server.Tests.Platform;

/// <summary>
/// The module rules of docs/architecture.md, checked on the compiled server. Pages count: Razor compiles each one into a class
/// of its folder's namespace, and the async and lambda code inside (where queries live) is checked with it.
/// <list type="bullet">
/// <item>A business module (Customers, Commerce, Support, Insights) is used from outside only through its <c>Contracts</c> namespace.</item>
/// <item>Modules depend one way: Platform on none, Customers on Platform, Commerce on Customers, Support on Commerce and Customers,
/// Insights on all of them, Engagement on all of them and Insights, Personalisation on all of them too (it shows what Insights trains).</item>
/// <item>A public surface hands out no internal type (an entity returned from a contract would open the tables again).</item>
/// </list>
/// Exempt, and only these: <see cref="CentricDbContext"/>, the one DbContext whose partial files (one per module) declare every
/// module's sets and mappings; and the composition root in the <c>Centric.Server</c> namespace itself (Program, Startup, Cli),
/// which registers the modules and seeds the demo.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Server = typeof(CentricDbContext).Assembly;

    /// <summary>Lower layers first: a module may use the ones before it, never the ones after.</summary>
    private static readonly string[] Layers = ["Platform", "Customers", "Commerce", "Support", "Insights", "Engagement", "Personalisation"];

    [Theory]
    [InlineData("Customers")]
    [InlineData("Commerce")]
    [InlineData("Support")]
    [InlineData("Insights")]
    [InlineData("Personalisation")]
    [InlineData("Engagement")]
    public void Outside_a_module_only_its_public_surface_is_used(string module)
    {
        var outside = Types.InAssembly(Server).That()
            .ResideInNamespaceMatching($@"^(__Blazor\.)?Centric\.Server\.(?!{module}(\.|$))")
            .And().DoNotHaveName(nameof(CentricDbContext));

        var result = outside.ShouldNot().HaveDependencyOnAny(InternalsOf(module)).GetResult();

        Assert.True(result.IsSuccessful,
            $"These types use internals (entities, tables, services) of {module}; go through Centric.Server.{module}.Contracts instead: " +
            string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Theory]
    [InlineData("Platform")]
    [InlineData("Customers")]
    [InlineData("Commerce")]
    [InlineData("Support")]
    [InlineData("Insights")]
    public void Modules_depend_only_on_the_modules_below_them(string module)
    {
        var above = Layers.SkipWhile(m => m != module).Skip(1).Select(m => "Centric.Server." + m).ToArray();
        var types = Types.InAssembly(Server).That()
            .ResideInNamespaceMatching($@"^(__Blazor\.)?Centric\.Server\.{module}(\.|$)")
            .And().DoNotHaveName(nameof(CentricDbContext));

        var result = types.ShouldNot().HaveDependencyOnAny(above).GetResult();

        Assert.True(result.IsSuccessful,
            $"{module} may not use {string.Join(" or ", above)} (not even their public surface); these types do: " +
            string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Theory]
    [InlineData("Customers")]
    [InlineData("Commerce")]
    public void A_public_surface_hands_out_no_internal_types(string module)
    {
        var surface = Server.GetTypes().Where(t => t.IsPublic && t.Namespace == $"Centric.Server.{module}.Contracts").ToList();
        Assert.NotEmpty(surface);
        var internals = Layers.Skip(1).SelectMany(InternalsOf).ToHashSet();

        var leaks = (from type in surface
                     from member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                     from used in SignatureTypes(member).SelectMany(Unwrap)
                     where used.Namespace is { } ns && internals.Any(i => ns == i || used.FullName == i || ns.StartsWith(i + ".", StringComparison.Ordinal))
                     select $"{type.Name}.{member.Name} uses {used.FullName}").Distinct().ToList();

        Assert.True(leaks.Count == 0, string.Join("; ", leaks));
    }

    /// <summary>The rule above is only worth something if it sees a page reading another module's table, so it is run on one.</summary>
    [Fact]
    public void The_public_surface_rule_catches_a_class_that_reads_another_modules_table()
    {
        var samples = Types.InAssembly(typeof(ArchitectureTests).Assembly).That().ResideInNamespace(typeof(ReadsProfilesDirectly).Namespace!);

        var result = samples.ShouldNot().HaveDependencyOnAny(InternalsOf("Customers")).GetResult();

        Assert.False(result.IsSuccessful);
        Assert.Equal([typeof(ReadsProfilesDirectly).FullName], result.FailingTypeNames);
    }

    /// <summary>
    /// What other code may not use of a module: every namespace below it except <c>Contracts</c>, and the types in the module's
    /// root namespace by name (the root holds its registration and shared values such as Money).
    /// </summary>
    private static string[] InternalsOf(string module)
    {
        var root = "Centric.Server." + module;
        var contracts = root + ".Contracts";
        return [.. Server.GetTypes()
            .Where(t => !t.IsNested && t.Namespace is { } ns && (ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal))
                && ns != contracts && !ns.StartsWith(contracts + ".", StringComparison.Ordinal))
            .Select(t => t.Namespace == root ? t.FullName! : t.Namespace!)
            .Distinct()];
    }

    private static IEnumerable<Type> SignatureTypes(MemberInfo member) => member switch
    {
        MethodInfo m => [m.ReturnType, .. m.GetParameters().Select(p => p.ParameterType)],
        ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
        PropertyInfo p => [p.PropertyType],
        FieldInfo f => [f.FieldType],
        EventInfo e => e.EventHandlerType is { } handler ? [handler] : [],
        _ => [],
    };

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType) return Unwrap(type.GetElementType()!);
        if (!type.IsGenericType) return [type];
        return [type, .. type.GetGenericArguments().SelectMany(Unwrap)];
    }
}
