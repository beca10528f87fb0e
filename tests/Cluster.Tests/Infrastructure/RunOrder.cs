using Xunit.Abstractions;
using Xunit.Sdk;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>Where a test runs within its class when the class uses <see cref="RunOrderOrderer"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunOrderAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}

/// <summary>Runs a class's tests by <see cref="RunOrderAttribute"/>, unnumbered ones last.</summary>
public sealed class RunOrderOrderer : ITestCaseOrderer
{
    public const string TypeName = "ClinicCluster.Cluster.Tests.Infrastructure." + nameof(RunOrderOrderer);
    public const string AssemblyName = "ClinicCluster.Cluster.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(t => Order(t)).ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);

    private static int Order(ITestCase testCase) =>
        testCase.TestMethod.Method.GetCustomAttributes(typeof(RunOrderAttribute).AssemblyQualifiedName)
            .Select(a => a.GetConstructorArguments().OfType<int>().FirstOrDefault(int.MaxValue))
            .DefaultIfEmpty(int.MaxValue)
            .First();
}
