"""CPython's side of benches/interp.rs's `python` group: each benches/python/*.py
workload compiled and run whole in a fresh namespace, the median of repeated runs.
Run with the CPython to compare against: python3 benches/cpython/python.py"""
import pathlib
import statistics
import time

here = pathlib.Path(__file__).resolve().parent.parent / "python"
for path in sorted(here.glob("*.py")):
    source = path.read_text()
    runs = []
    for _ in range(10):
        t = time.perf_counter()
        exec(compile(source, path.name, "exec"), {"__name__": "__main__"})
        runs.append(time.perf_counter() - t)
    print(f"{path.stem} median {statistics.median(runs) * 1e3:.2f} ms")
