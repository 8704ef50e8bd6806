#!/usr/bin/env python3
"""Many hosts over a real network, with a partition (needs root: network namespaces).

    Plugins/TaskworksPostgres/scripts/partition-test.py .build/debug/taskworks-postgres-bench

PostgreSQL runs in namespace twp-db. Three worker hosts (twp-h1..3) and a producer host
(twp-prod) each reach it over their own veth pair, as separate machines would. While 10,000
tasks drain, host 1's link is cut (`ip link set ... down` on the database side) for longer than
the lease, then restored. The test checks what a user would see:

- every task ends `succeeded`, exactly once in the store;
- the tasks host 1 held when it was cut are rescued by hosts 2 and 3 once their leases run out;
- only those tasks ran again, and the stored result of each is the rescuer's, never host 1's
  late one: host 1's stale outcome writes are refused (and logged as such), never applied;
- every worker process exits 0 (no crash), host 1 included.

It prints the figures as one JSON line and cleans up namespaces, processes and the cluster on
exit, on failure too. Any failed check exits 1.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_tools import (  # noqa: E402
    cluster_owner, find_binary, print_tails, read_log, run, run_script, stop_everything, wait_for)

TOTAL = 10_000
LEASE_MS = 3_000
CUT_SECONDS = 9.0
RUNNER_SLEEP_MS = 40  # each task sleeps 0-40 ms, 20 ms on average
CONCURRENCY = 4
CUT_AFTER_RUNS = 1_000  # host 1 has run this many tasks when its link is cut
SCHEMA = "partition_test"
DATABASE_NAMESPACE = "twp-db"
HOSTS = ["twp-h1", "twp-h2", "twp-h3", "twp-prod"]  # subnet 10.231.(index+1).0/24 each
PORT = 5432

processes: list[subprocess.Popen] = []
cluster: dict = {}


def delete_namespaces() -> None:
    listed = run("ip", "netns", "list", check=False).stdout.split("\n")
    for line in listed:
        name = line.split(" ")[0]
        if name.startswith("twp-"):
            run("ip", "netns", "del", name, check=False)


def clean_up() -> None:
    stop_everything(processes, cluster)
    delete_namespaces()


def make_network() -> None:
    delete_namespaces()  # what a killed earlier run left
    for name in [DATABASE_NAMESPACE, *HOSTS]:
        run("ip", "netns", "add", name)
        run("ip", "-n", name, "link", "set", "lo", "up")
    for index, host in enumerate(HOSTS, start=1):
        peer = f"v-{host.removeprefix('twp-')}"
        run("ip", "link", "add", "eth0", "netns", host, "type", "veth", "peer", "name", peer, "netns",
            DATABASE_NAMESPACE)
        run("ip", "-n", DATABASE_NAMESPACE, "addr", "add", f"10.231.{index}.1/24", "dev", peer)
        run("ip", "-n", DATABASE_NAMESPACE, "link", "set", peer, "up")
        run("ip", "-n", host, "addr", "add", f"10.231.{index}.2/24", "dev", "eth0")
        run("ip", "-n", host, "link", "set", "eth0", "up")


def start_cluster() -> None:
    directory = tempfile.mkdtemp(prefix="taskworks-partition.")
    os.chmod(directory, 0o755)
    owner = cluster_owner()
    shutil.chown(directory, owner)
    data = f"{directory}/data"
    cluster.update(dir=directory, data=data, owner=owner, pg_ctl=find_binary("pg_ctl"))
    as_owner = ["runuser", "-u", owner, "--"]
    run(*as_owner, find_binary("initdb"), "-D", data, "-U", "taskworks", "--auth=trust",
        "--encoding=UTF8", "--locale=C.UTF-8")
    with open(f"{data}/pg_hba.conf", "a") as hba:
        hba.write("host all all 10.231.0.0/16 trust\n")
    run("ip", "netns", "exec", DATABASE_NAMESPACE, *as_owner, cluster["pg_ctl"], "-D", data, "-l",
        f"{directory}/server.log", "-w", "-o",
        f"-h 0.0.0.0 -p {PORT} -k {directory} -c max_connections=200 -c shared_buffers=256MB", "start")


def sql(statement: str) -> list[list[str]]:
    """Runs `statement` over the cluster's Unix socket, which no network cut reaches."""
    output = run(find_binary("psql"), "-h", cluster["dir"], "-p", str(PORT), "-U", "taskworks", "-d",
                 "postgres", "-AtX", "-F", "\t", "-c", statement).stdout
    return [line.split("\t") for line in output.splitlines() if line]


def url(host_index: int) -> str:
    return f"postgres://taskworks@10.231.{host_index}.1:{PORT}/postgres"


def start(namespace: str, arguments: list[str], output: str) -> subprocess.Popen:
    sink = open(output, "w")
    process = subprocess.Popen(
        ["ip", "netns", "exec", namespace, *arguments], stdout=sink, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL)
    processes.append(process)
    return process


def main() -> int:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    bench = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        sys.exit("partition-test: needs root (network namespaces); CI runs it as root")
    if shutil.which("ip") is None:
        sys.exit("partition-test: `ip` not found; install Debian's iproute2")
    work = tempfile.mkdtemp(prefix="taskworks-partition-logs.")
    log = f"{work}/runs.log"
    pathlib.Path(log).touch()
    failures: list[str] = []

    def check(condition: bool, message: str) -> None:
        print(("ok    " if condition else "FAIL  ") + message)
        if not condition:
            failures.append(message)

    make_network()
    start_cluster()
    workers = []
    for index in (1, 2, 3):
        workers.append(start(HOSTS[index - 1], [
            bench, "worker", "--url", url(index), "--schema", SCHEMA, "--log", log,
            "--concurrency", str(CONCURRENCY), "--connections", "8", "--lease-ms", str(LEASE_MS),
            "--exit-after", str(TOTAL), "--worker-id", f"host-{index}", "--statement-timeout-ms", "1000",
            "--connection-attempts", "20"], f"{work}/host-{index}.out"))
    producer = start("twp-prod", [
        bench, "producer", "--url", url(4), "--schema", SCHEMA, "--n", str(TOTAL), "--batch-size", "500",
        "--sleep-ms", str(RUNNER_SLEEP_MS)], f"{work}/producer.out")
    started = time.monotonic()
    cut_pid = str(workers[0].pid)  # `ip netns exec` execs the worker: same pid

    wait_for(f"host 1 to run {CUT_AFTER_RUNS} tasks",
             lambda: sum(1 for _, pid in read_log(log)[0] if pid == cut_pid) >= CUT_AFTER_RUNS, 180)
    # Cut while host 1 holds tasks (runner times vary, so its slots rarely all free at once).
    holding = f"SELECT count(*) FROM {SCHEMA}.tasks WHERE status = 'running' AND lease_owner = 'host-1'"
    wait_for("host 1 to hold tasks", lambda: int(sql(holding)[0][0]) >= 2, 60, interval=0.01)
    run("ip", "-n", DATABASE_NAMESPACE, "link", "set", "v-h1", "down")
    cut_at = time.monotonic()
    # What host 1 held when it was cut: nothing it sends reaches the server from here on.
    held = {row[0] for row in sql(
        f"SELECT id FROM {SCHEMA}.tasks WHERE status = 'running' AND lease_owner = 'host-1'")}
    expiry = sql(
        f"SELECT extract(epoch FROM max(lease_expires_at) - now()) FROM {SCHEMA}.tasks "
        "WHERE status = 'running' AND lease_owner = 'host-1'")
    leases_run_out = max(0.0, float(expiry[0][0])) if expiry and expiry[0][0] else 0.0
    succeeded_at_cut = int(sql(f"SELECT count(*) FROM {SCHEMA}.tasks WHERE status = 'succeeded'")[0][0])
    check(len(held) > 0, f"host 1 held tasks when its link was cut ({len(held)})")
    held_list = ",".join(f"'{task}'" for task in held) or "NULL"
    rescued_at = wait_for(
        "the tasks host 1 held to be rescued",
        lambda: sql(f"SELECT count(*) FROM {SCHEMA}.tasks WHERE id IN ({held_list}) "
                    "AND status = 'running' AND lease_owner = 'host-1'")[0][0] == "0",
        CUT_SECONDS)
    remaining = cut_at + CUT_SECONDS - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)  # the cut lasts CUT_SECONDS in all, whatever the rescue took
    succeeded_while_cut = int(
        sql(f"SELECT count(*) FROM {SCHEMA}.tasks WHERE status = 'succeeded'")[0][0]) - succeeded_at_cut
    run("ip", "-n", DATABASE_NAMESPACE, "link", "set", "v-h1", "up")
    restored_at = time.monotonic()

    for index, worker in enumerate(workers, start=1):
        try:
            worker.wait(timeout=max(1, 300 - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            pass
        check(worker.returncode == 0, f"host {index}'s worker process exited 0 (got {worker.returncode})")
    producer.wait(timeout=60)
    check(producer.returncode == 0, f"the producer exited 0 (got {producer.returncode})")
    drained_at = time.monotonic()

    statuses = dict((row[0], int(row[1])) for row in sql(
        f"SELECT status, count(*) FROM {SCHEMA}.tasks GROUP BY status"))
    check(statuses == {"succeeded": TOTAL}, f"every one of {TOTAL} tasks is stored succeeded: {statuses}")
    results = dict((row[0], row[1]) for row in sql(f"SELECT id, result->>'pid' FROM {SCHEMA}.tasks"))
    runs, diagnostics = read_log(log)
    per_task: dict[str, list[str]] = {}
    for task, pid in runs:
        per_task.setdefault(task, []).append(pid)
    ran_again = {task: pids for task, pids in per_task.items() if len(pids) > 1}
    check(len(per_task) == TOTAL, f"every task ran ({len(per_task)} of {TOTAL})")
    check(set(ran_again) <= held,
          f"only tasks host 1 held at the cut ran again ({len(set(ran_again) - held)} others did)")
    check(all(len(pids) == 2 and pids[0] == cut_pid and pids[1] != cut_pid for pids in ran_again.values()),
          "each of those ran twice: first on host 1, then on a rescuer")
    check(all(results.get(task) == pids[-1] for task, pids in per_task.items()),
          "every stored result is that of the task's last run (no late write of host 1 applied)")
    check(succeeded_while_cut > 0, f"hosts 2 and 3 went on while host 1 was cut ({succeeded_while_cut} tasks)")
    held_run_by_cut_host = {task for task in held if cut_pid in per_task.get(task, [])}
    refused = [text for pid, text in diagnostics if pid == cut_pid and "was refused" in text]
    refused_tasks = {part.split("=", 1)[1] for text in refused for part in text.replace(")", ",").split(", ")
                     if part.startswith("task.id=")}
    check(refused_tasks <= held, "host 1 was refused only for tasks it held at the cut")
    check(len(refused) > 0 or not held_run_by_cut_host,
          f"host 1's stale outcome writes were refused and logged ({len(refused)} refused)")
    crashes = [path.name for path in pathlib.Path(work).glob("*.out") if "Fatal error" in path.read_text()]
    check(not crashes, f"no process crashed ({crashes})")

    print(json.dumps({
        "test": "partition", "tasks": TOTAL, "worker_hosts": 3, "lease_ms": LEASE_MS,
        "cut_s": CUT_SECONDS, "held_by_cut_host": len(held), "held_and_run_by_cut_host": len(held_run_by_cut_host),
        "ran_again": len(ran_again), "leases_ran_out_after_s": round(leases_run_out, 2),
        "rescued_after_s": round(rescued_at - cut_at, 2), "refused_outcomes_logged": len(refused),
        "succeeded_while_cut": succeeded_while_cut, "drain_after_restore_s": round(drained_at - restored_at, 2),
        "total_s": round(drained_at - started, 2)}))
    if failures:
        print_tails(work, 20)
        print("--- diagnostics of host 1 (last lines)")
        print("\n".join(text for pid, text in diagnostics[-20:] if pid == cut_pid))
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    run_script(main, clean_up)
