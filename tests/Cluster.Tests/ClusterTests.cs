using ClinicCluster.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ClinicCluster.Cluster.Tests;

/// <summary>
/// The multi-silo tests, on real processes: silos and the API started from this checkout's build,
/// PostgreSQL for clustering, grain state, reminders and the appointment ledger. One class split
/// over several files, so one orderer fixes the order of all of them: the ledger check must follow
/// the failover tests, and the no-show test comes last because its scenario was started by the
/// collection fixture and needs a minute of real time to pass first.
/// </summary>
[Collection(ClusterCollection.Name)]
[TestCaseOrderer(RunOrderOrderer.TypeName, RunOrderOrderer.AssemblyName)]
public sealed partial class ClusterTests(ClusterSuiteFixture suite, ITestOutputHelper output);
