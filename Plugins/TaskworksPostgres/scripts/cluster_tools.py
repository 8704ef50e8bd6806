"""What the PostgreSQL fault and partition tests share: running commands, finding PostgreSQL's
programs, waiting with a deadline, and reading the bench workers' shared log."""

import pathlib
import shutil
import signal
import subprocess
import sys
import time


def run(*arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(arguments, text=True, capture_output=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed ({result.returncode}): {result.stderr.strip()}")
    return result


def find_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(pathlib.Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise RuntimeError(f"{name} not found; install Debian's postgresql package")


def cluster_owner() -> str:
    """The user a root-run cluster runs as (initdb refuses root)."""
    return "postgres" if run("id", "postgres", check=False).returncode == 0 else "nobody"


def wait_for(what: str, condition, timeout: float, interval: float = 0.1) -> float:
    """Polls `condition` until it holds; returns the monotonic time it did. Fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return time.monotonic()
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def read_log(path: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (task id, pid) of every "run" line, and the (pid, text) of every "diag" line."""
    runs, diagnostics = [], []
    for line in pathlib.Path(path).read_text().splitlines():
        words = line.split(" ", 2)
        if len(words) == 3 and words[0] == "run":
            runs.append((words[1], words[2]))
        elif len(words) == 3 and words[0] == "diag":
            diagnostics.append((words[1], words[2]))
    return runs, diagnostics


def print_tails(directory: str, lines: int) -> None:
    """The last `lines` lines of every process output (`*.out`) in `directory`, for a failure."""
    for path in sorted(pathlib.Path(directory).glob("*.out")):
        tail = path.read_text().splitlines()[-lines:]
        if tail:
            print(f"--- {path.name} (last lines)")
            print("\n".join(tail))


def run_script(main, clean_up) -> None:
    """Runs `main` and exits with its code, cleaning up however it ends (SIGTERM included)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        code = main()
    finally:
        clean_up()
    sys.exit(code)


def stop_everything(processes: list, cluster: dict) -> None:
    """Kills the test's processes still running, stops its cluster at once and removes its
    directory; `cluster` (owner, data, dir) is emptied."""
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()
    if cluster:
        run("runuser", "-u", cluster["owner"], "--", find_binary("pg_ctl"), "-D", cluster["data"], "-m",
            "immediate", "stop", check=False)
        shutil.rmtree(cluster["dir"], ignore_errors=True)
        cluster.clear()
