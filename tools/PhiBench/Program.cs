using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ClinicCluster.PhiBench.FieldBindingBenchmarks).Assembly).Run(args);
