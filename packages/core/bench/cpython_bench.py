"""CPython's side of `pnpm bench`: the same workloads as packages/core/bench/targets.ts,
written with `threading` the way a Python programmer would write them.

Protocol (shared with packages/core/bench/runner.ts):

    python3 cpython_bench.py --cases lock,event-pingpong [--quick]

runs one sample of each case and prints one JSON object on stdout:

    {"python": "3.11.7", "results": {"lock": 85.1, "event-pingpong": 31.7}}

Units: uncontended cases and contended-lock in ns per operation, hand-offs in
microseconds per round trip. Unknown case names are an error (exit code 2).
"""

import argparse
import json
import platform
import sys
import threading
from time import perf_counter


def uncontended(make, n):
    """ns per acquire() + release() of an uncontended primitive."""
    prim = make()
    for _ in range(n // 10):
        prim.acquire()
        prim.release()
    t0 = perf_counter()
    for _ in range(n):
        prim.acquire()
        prim.release()
    return (perf_counter() - t0) * 1e9 / n


def contended_lock(n):
    """ns per locked increment, two threads each doing n of them at once."""
    lock = threading.Lock()
    counter = [0]
    start = threading.Barrier(3)

    def work():
        start.wait()
        for _ in range(n):
            with lock:
                counter[0] += 1

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    start.wait()
    t0 = perf_counter()
    for t in threads:
        t.join()
    elapsed = perf_counter() - t0
    if counter[0] != 2 * n:
        raise AssertionError(f"contended-lock lost updates: {counter[0]} != {2 * n}")
    return elapsed * 1e9 / (2 * n)


def event_pingpong(n, warm):
    """µs per round trip: one thread sets `ping` and waits for `pong`, the other answers."""
    ping, pong = threading.Event(), threading.Event()

    def answer():
        for _ in range(warm + n):
            ping.wait()
            ping.clear()
            pong.set()

    peer = threading.Thread(target=answer)
    peer.start()
    t0 = 0.0
    for i in range(warm + n):
        if i == warm:
            t0 = perf_counter()
        ping.set()
        pong.wait()
        pong.clear()
    elapsed = perf_counter() - t0
    peer.join()
    return elapsed * 1e6 / n


def condition_handoff(n, warm):
    """µs per round trip of a turn passed back and forth under one Condition."""
    cond = threading.Condition()
    turn = [0]

    def answer():
        for _ in range(warm + n):
            with cond:
                while turn[0] != 1:
                    cond.wait()
                turn[0] = 0
                cond.notify()

    peer = threading.Thread(target=answer)
    peer.start()
    t0 = 0.0
    for i in range(warm + n):
        if i == warm:
            t0 = perf_counter()
        with cond:
            turn[0] = 1
            cond.notify()
            while turn[0] != 0:
                cond.wait()
    elapsed = perf_counter() - t0
    peer.join()
    return elapsed * 1e6 / n


def cases(quick):
    big, small, pairs = (10_000, 2_000, 10_000) if quick else (500_000, 100_000, 1_000_000)
    trips, warm = (100, 10) if quick else (3_000, 200)
    return {
        "lock": lambda: uncontended(threading.Lock, big),
        "rlock": lambda: uncontended(threading.RLock, big),
        "semaphore": lambda: uncontended(threading.Semaphore, small),
        "bounded-semaphore": lambda: uncontended(threading.BoundedSemaphore, small),
        "contended-lock": lambda: contended_lock(pairs),
        "event-pingpong": lambda: event_pingpong(trips, warm),
        "condition-handoff": lambda: condition_handoff(trips, warm),
    }


def main(argv):
    parser = argparse.ArgumentParser(description="CPython threading figures for pnpm bench")
    parser.add_argument("--cases", required=True, help="comma-separated case names")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for tests")
    args = parser.parse_args(argv)
    table = cases(args.quick)
    wanted = [c for c in args.cases.split(",") if c]
    unknown = [c for c in wanted if c not in table]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(table)}")
    results = {c: table[c]() for c in wanted}
    json.dump({"python": platform.python_version(), "results": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
