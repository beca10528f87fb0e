#!/usr/bin/env python3
"""Summarises a `perf record -g -a` of the benchmark: where the silo, the API and PostgreSQL spend CPU.

    perf script -i perf.data -F comm,pid,tid,ip,sym,dso | bench-profile.py silo=PID api=PID postgres=postgres

For each process: the share of its samples by thread kind (JIT, GC, thread-pool workers...), by
module (the runtime's native code has no symbols here, so it counts as one module), and the
managed and native functions with the most self and inclusive samples. Percentages are of the
process's own samples; the first line gives each process's share of all samples in the window.
"""
import collections
import re
import sys

TOP = 30


def role_of(targets, comm, pid):
    for role, key in targets.items():
        if key == pid or key == comm:
            return role
    return None


def thread_kind(comm):
    for prefix, kind in ((".NET Tiered Com", "tiered JIT"), (".NET Server GC", "GC"), (".NET BGC", "GC"),
                         (".NET TP Worker", "thread-pool worker"), (".NET SynchManag", "runtime"),
                         (".NET Long Runni", "long-running"), (".NET Timer", "timer"),
                         (".NET Sockets", "socket engine")):
        if comm.startswith(prefix):
            return kind
    return comm


def module_of(dso):
    name = dso.rsplit("/", 1)[-1]
    if name.startswith("perf-") and name.endswith(".map"):
        return "managed (JIT)"
    if name.endswith(".dll") or "memfd:doublemapper" in name:
        return "managed (R2R/JIT)"
    return name


def frame_name(sym, dso):
    module = module_of(dso)
    if sym in ("[unknown]", ""):
        return f"[{module}]"
    # Managed names from the perf map carry a tier suffix ("[OptimizedTier1]"): one name per method.
    return re.sub(r"\[[A-Za-z0-9]+\]$", "", sym).strip()


def main():
    targets = {}
    for arg in sys.argv[1:]:
        role, _, key = arg.partition("=")
        targets[role] = key
    samples = collections.Counter()
    total = 0
    kinds = collections.defaultdict(collections.Counter)
    modules = collections.defaultdict(collections.Counter)
    selfs = collections.defaultdict(collections.Counter)
    inclusive = collections.defaultdict(collections.Counter)
    entered_from = collections.defaultdict(collections.Counter)

    header = re.compile(r"^(\S.*?)\s+(\d+)/(\d+)\s*$")
    frame = re.compile(r"^\s+([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$")
    role = None
    stack = []

    def flush():
        nonlocal role, stack
        if role is not None and stack:
            ip_sym, ip_dso = stack[0]
            modules[role][module_of(ip_dso)] += 1
            selfs[role][frame_name(ip_sym, ip_dso)] += 1
            for name in {frame_name(s, d) for s, d in stack}:
                inclusive[role][name] += 1
            # The runtime's own code has no symbols here: name the managed method that called it.
            if module_of(ip_dso) in ("libcoreclr.so", "libclrjit.so", "[kernel.kallsyms]", "libc.so.6"):
                caller = next((frame_name(s, d) for s, d in stack if module_of(d).startswith("managed")), None)
                if caller is not None:
                    entered_from[role][f"{module_of(ip_dso)} <- {caller}"] += 1
        role, stack = None, []

    for line in sys.stdin:
        line = line.rstrip("\n")
        match = header.match(line)
        if match:
            flush()
            total += 1
            comm, pid = match.group(1).strip(), match.group(2)
            role = role_of(targets, comm, pid)
            if role is not None:
                samples[role] += 1
                kinds[role][thread_kind(comm)] += 1
            continue
        match = frame.match(line)
        if match and role is not None:
            sym = re.sub(r"\+0x[0-9a-f]+$", "", match.group(2))
            stack.append((sym, match.group(3)))
    flush()

    print(f"samples in the window: {total} (all processes); " +
          ", ".join(f"{r} {samples[r] / max(total, 1):.1%}" for r in targets))
    for role in targets:
        n = max(samples[role], 1)
        print(f"\n## {role}: {samples[role]} samples")
        for title, counter, top in (("by thread kind", kinds[role], 8), ("by module", modules[role], 8),
                                    ("self", selfs[role], TOP), ("native code by its managed caller", entered_from[role], TOP),
                                    ("inclusive", inclusive[role], TOP)):
            print(f"### {title}")
            for name, count in counter.most_common(top):
                print(f"{count / n:7.1%}  {name[:160]}")


if __name__ == "__main__":
    main()
