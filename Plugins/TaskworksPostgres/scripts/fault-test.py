#!/usr/bin/env python3
"""PostgreSQL under faults: restarts, terminated backends, an outage longer than a lease.

    Plugins/TaskworksPostgres/scripts/fault-test.py .build/debug/taskworks-postgres-bench

A throwaway cluster on a free loopback port. In each round two worker processes (10 slots each,
leases of LEASE_MS, the store's default statement timeout and tries) drain TOTAL tasks whose
runners take 0-10 ms, and when they have run about a third of them the round's fault strikes:

- restart: `pg_ctl restart -m fast` (RESTARTS rounds);
- terminate: every backend but the test's own ended with `pg_terminate_backend`, three times,
  half a second apart (TERMINATIONS rounds);
- outage: the server stopped for OUTAGE_S, longer than a lease, then started (OUTAGES rounds).

Each round checks what a user would see: every task ends `succeeded`; every worker exits 0 (no
crash); no outcome was acknowledged twice (each task's completion callback ran once, after its
last run); a task ran again only if no outcome of it had been acknowledged before that run; and
after a restart or terminated backends each worker claims again within RESUME_LIMIT_S and never
goes longer than that without a run until it has run its last task. Prints
one JSON line per round and a summary line; any failed check exits 1. Cleans up on exit.
"""

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_tools import (  # noqa: E402
    cluster_owner, find_binary, print_tails, run, run_script, stop_everything, wait_for)

TOTAL = 4_000
LEASE_MS = 6_000
OUTAGE_S = 8.0
RESUME_LIMIT_S = 5.0
RESTARTS, TERMINATIONS, OUTAGES = 5, 3, 1
FAULT_AFTER_RUNS = TOTAL // 3

processes: list[subprocess.Popen] = []
cluster: dict = {}


def clean_up() -> None:
    stop_everything(processes, cluster)


def pg_ctl(*arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    return run("runuser", "-u", cluster["owner"], "--", find_binary("pg_ctl"), "-D", cluster["data"],
               *arguments, check=check)


def start_cluster() -> None:
    directory = tempfile.mkdtemp(prefix="taskworks-faults.")
    os.chmod(directory, 0o755)
    owner = cluster_owner()
    shutil.chown(directory, owner)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cluster.update(dir=directory, data=f"{directory}/data", owner=owner, port=port)
    run("runuser", "-u", owner, "--", find_binary("initdb"), "-D", cluster["data"], "-U", "taskworks",
        "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
    start_server()


def start_server() -> None:
    pg_ctl("-l", f"{cluster['dir']}/server.log", "-w", "-o",
           f"-h 127.0.0.1 -p {cluster['port']} -k {cluster['dir']} -c max_connections=100", "start")


def sql(statement: str) -> list[list[str]]:
    output = run(find_binary("psql"), "-h", cluster["dir"], "-p", str(cluster["port"]), "-U", "taskworks",
                 "-d", "postgres", "-AtX", "-F", "\t", "-c", statement).stdout
    return [line.split("\t") for line in output.splitlines() if line]


def start(arguments: list[str], output: str) -> subprocess.Popen:
    process = subprocess.Popen(arguments, stdout=open(output, "w"), stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    processes.append(process)
    return process


class Log:
    """The workers' shared log, read as it grows: each line with the time it was first seen."""

    def __init__(self, path: str):
        self.path, self.offset, self.lines = path, 0, []

    def poll(self) -> None:
        with open(self.path) as handle:
            handle.seek(self.offset)
            chunk = handle.read()
        complete = chunk[:chunk.rfind("\n") + 1]
        self.offset += len(complete.encode())
        now = time.monotonic()
        self.lines += [(now, line.split(" ")) for line in complete.splitlines()]

    def runs(self, pid: str | None = None, since: float = 0.0) -> int:
        return sum(1 for seen, words in self.lines
                   if words[0] == "run" and seen >= since and (pid is None or words[2] == pid))


def strike(fault: str) -> None:
    if fault == "restart":
        # -l: the new server writes to its log, not to our pipe (which would never close).
        pg_ctl("-m", "fast", "-w", "-l", f"{cluster['dir']}/server.log", "restart")
    elif fault == "terminate":
        for _ in range(3):
            sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")
            time.sleep(0.5)
    else:
        pg_ctl("-m", "fast", "-w", "stop")
        time.sleep(OUTAGE_S)
        start_server()


def one_round(bench: str, fault: str, number: int, work: str, check) -> dict:
    schema = f"faults_{fault}_{number}"
    url = f"postgres://taskworks@127.0.0.1:{cluster['port']}/postgres"
    log_path = f"{work}/{schema}.log"
    pathlib.Path(log_path).touch()
    log = Log(log_path)
    workers = [start([bench, "worker", "--url", url, "--schema", schema, "--log", log_path,
                      "--concurrency", "10", "--connections", "12", "--lease-ms", str(LEASE_MS),
                      "--exit-after", str(TOTAL), "--worker-id", f"{schema}-w{index}"],
                     f"{work}/{schema}-w{index}.out") for index in (1, 2)]
    producer = start([bench, "producer", "--url", url, "--schema", schema, "--n", str(TOTAL),
                      "--batch-size", "500", "--sleep-ms", "10"], f"{work}/{schema}-producer.out")
    started = time.monotonic()

    def ran_enough() -> bool:
        log.poll()
        return log.runs() >= FAULT_AFTER_RUNS

    wait_for(f"{FAULT_AFTER_RUNS} runs before the {fault}", ran_enough, 120, interval=0.01)
    struck_at = time.monotonic()
    strike(fault)
    ended_at = time.monotonic()
    log.poll()
    pids = [str(worker.pid) for worker in workers]
    # Read the log until both workers exit, so each run's time is known within 10 ms.
    deadline = started + 240
    while time.monotonic() < deadline and any(worker.poll() is None for worker in workers):
        log.poll()
        time.sleep(0.01)
    for index, worker in enumerate(workers, start=1):
        try:
            worker.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        check(worker.returncode == 0, f"{schema}: worker {index} exited 0 (got {worker.returncode})")
    log.poll()
    # A worker's stall: the longest time after the fault ended without a run of its own, from the
    # fault's end to its last run (the first gap is how long it took to claim again).
    resumed: dict[str, float] = {}
    stalled: dict[str, float] = {}
    for pid in pids:
        times = [seen for seen, words in log.lines if words[0] == "run" and words[2] == pid and seen >= ended_at]
        if times:
            resumed[pid] = times[0] - ended_at
            stalled[pid] = max(later - earlier for earlier, later in zip([ended_at] + times, times))
    producer.wait(timeout=60)
    check(producer.returncode == 0, f"{schema}: the producer exited 0 (got {producer.returncode})")
    log.poll()

    statuses = dict((row[0], int(row[1])) for row in sql(
        f"SELECT status, count(*) FROM {schema}.tasks GROUP BY status"))
    check(statuses == {"succeeded": TOTAL}, f"{schema}: every one of {TOTAL} tasks succeeded: {statuses}")
    runs: dict[str, list[int]] = {}
    done: dict[str, list[int]] = {}
    for position, (_, words) in enumerate(log.lines):
        if words[0] in ("run", "done") and len(words) == 3:
            (runs if words[0] == "run" else done).setdefault(words[1], []).append(position)
    twice = {task for task, lines in done.items() if len(lines) > 1}
    check(not twice, f"{schema}: no outcome was acknowledged twice ({len(twice)} were)")
    check(len(done) == TOTAL, f"{schema}: every task's outcome was acknowledged ({len(done)} of {TOTAL})")
    ran_again = {task: lines for task, lines in runs.items() if len(lines) > 1}
    early = {task for task, lines in ran_again.items() if done.get(task, [len(log.lines)])[0] < lines[-1]}
    check(not early, f"{schema}: tasks ran again only when no outcome had been acknowledged ({len(early)} did)")
    crashed = [path.name for path in pathlib.Path(work).glob(f"{schema}-*.out")
               if "Fatal error" in path.read_text() or "Illegal instruction" in path.read_text()]
    check(not crashed, f"{schema}: no process crashed ({crashed})")
    slowest = max(resumed.values(), default=float("inf"))
    longest_stall = max(stalled.values(), default=float("inf"))
    if fault != "outage":
        check(len(resumed) == 2 and slowest <= RESUME_LIMIT_S,
              f"{schema}: both workers claimed again within {RESUME_LIMIT_S} s of the {fault} "
              f"({ {pid: round(delay, 2) for pid, delay in resumed.items()} })")
        check(longest_stall <= RESUME_LIMIT_S,
              f"{schema}: no worker went {RESUME_LIMIT_S} s without a run after the {fault} "
              f"(longest {longest_stall:.2f} s)")
    else:
        check(len(resumed) == 2, f"{schema}: both workers claimed again after the outage")
    retried = sum(1 for seen, words in log.lines if words[0] == "diag" and "trying again" in " ".join(words))
    return {"test": "faults", "fault": fault, "round": number, "tasks": TOTAL, "lease_ms": LEASE_MS,
            "fault_s": round(ended_at - struck_at, 2), "resumed_after_s": round(slowest, 2),
            "longest_stall_s": round(longest_stall, 2),
            "ran_again": len(ran_again), "acknowledged_twice": len(twice), "dead_workers": sum(
                1 for worker in workers if worker.returncode != 0), "retries_logged": retried,
            "total_s": round(time.monotonic() - started, 2)}


def main() -> int:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    bench = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        sys.exit("fault-test: run it as root (the cluster runs as the postgres user); CI does")
    work = tempfile.mkdtemp(prefix="taskworks-faults-logs.")
    failures: list[str] = []

    def check(condition: bool, message: str) -> None:
        print(("ok    " if condition else "FAIL  ") + message, flush=True)
        if not condition:
            failures.append(message)

    start_cluster()
    rounds = [("restart", n) for n in range(RESTARTS)] + [("terminate", n) for n in range(TERMINATIONS)] + [
        ("outage", n) for n in range(OUTAGES)]
    results = []
    for fault, number in rounds:
        result = one_round(bench, fault, number, work, check)
        results.append(result)
        print(json.dumps(result), flush=True)
    print(json.dumps({
        "test": "faults summary", "rounds": len(results),
        "dead_workers": sum(r["dead_workers"] for r in results),
        "acknowledged_twice": sum(r["acknowledged_twice"] for r in results),
        "ran_again": sum(r["ran_again"] for r in results),
        "slowest_resume_after_restart_or_terminate_s": max(
            r["resumed_after_s"] for r in results if r["fault"] != "outage"),
        "longest_stall_after_restart_or_terminate_s": max(
            r["longest_stall_s"] for r in results if r["fault"] != "outage"),
        "failed_checks": len(failures)}))
    if failures:
        print_tails(work, 15)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    run_script(main, clean_up)
