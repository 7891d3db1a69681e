#!/usr/bin/env python3
"""Runs a command and tells where the machine's CPU went while it ran.

Usage: cpu.py LABEL COMMAND...   (the command's output is discarded)

Prints one line: LABEL, the wall time, then the CPU seconds of every process (grouped by name;
the command itself and its children as "client") and of the machine as a whole, e.g.
  upload wall=3.51 machine=6.80 java=4.46 ceph-osd=0.92 client=0.48
and appends the same line to $CPU_LOG when that is set. Read from /proc before and after: the
processes that run all along (servers, the node) are counted by the difference, the command by
its own resource usage.
"""
import collections
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def processes():
    seen = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        seen[int(pid)] = (name, (int(fields[11]) + int(fields[12])) / TICK)
    return seen


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v) - v[3] - v[4]) / TICK


def main():
    label, command = sys.argv[1], sys.argv[2:]
    before, busy0, t0 = processes(), machine_busy(), time.perf_counter()
    usage0 = os.times()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after, busy1 = processes(), machine_busy()
    usage1 = os.times()
    by_name = collections.Counter()
    for pid, (name, cpu) in after.items():
        if pid in before and before[pid][0] == name:
            by_name[name] += cpu - before[pid][1]
    by_name["client"] = (usage1.children_user + usage1.children_system) - (usage0.children_user + usage0.children_system)
    parts = [f"{n}={c:.2f}" for n, c in by_name.most_common() if c >= 0.05]
    line = f"{label} wall={wall:.2f} machine={busy1 - busy0:.2f} " + " ".join(parts)
    print(line)
    if os.environ.get("CPU_LOG"):
        with open(os.environ["CPU_LOG"], "a") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
