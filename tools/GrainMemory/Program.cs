using ClinicCluster.GrainMemory;

// GrainMemory [count]                 the embedded mode: one in-process silo on memory storage,
//                                     managed heap per idle patient grain (EmbeddedRun).
// GrainMemory seed [options]          registered patients' grain states written to PostgreSQL
//                                     through the silo's own grain storage (PatientStateSeeder).
// GrainMemory activate [options]      a client of a running silo: activates patient grains and
//                                     reports that silo's RSS against its memory limit (SiloMemoryRun).
// scripts/grain-memory.sh runs the last two against a real silo process (docs/capacity.md).
return args.FirstOrDefault() switch
{
    "seed" => await PatientStateSeeder.RunAsync(ToolArguments.Parse(args[1..])),
    "activate" => await SiloMemoryRun.RunAsync(ToolArguments.Parse(args[1..])),
    _ => await EmbeddedRun.RunAsync(args),
};
