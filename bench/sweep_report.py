"""sweep_report.py — the size sweep's table and plot from kiln_sweep_bench's and sweep_anchors.py's
JSON (same run, same machine): µs per call at each size, kiln against the C loop, NumPy,
numexpr and Numba, and a plot of time per element against size.  With train.json and
train_anchors.json (kiln_train_bench, train_anchors.py) it adds the MLP example's epoch.
argv: sweep.json sweep_anchors.json out.png [train.json train_anchors.json]; prints Markdown."""
import json
import sys

k = json.load(open(sys.argv[1]))
a = json.load(open(sys.argv[2]))
png = sys.argv[3]
sizes = k["sizes"]
names = {"fma": "`a*b+c`", "sin2": "`sin(a)*sin(a)`", "dot": "`sum(a*b)`", "logistic": "logistic step (X 20 × n/20)"}


def c_best(case, i):
    return min(k[case]["c_serial"][i], k[case]["c_omp"][i])


v = a["versions"]
print(f"Size sweep — {k['threads']} threads; NumPy {v['numpy']}, numexpr {v['numexpr']}, Numba {v['numba']}. "
      "µs per call (float64); the C loop and Numba are the faster of serial and parallel at each size; "
      "ratios are the anchor's time over kiln's (above 1: kiln is faster).\n")
print("| case | n | kiln | C loop | kiln / C | NumPy | numexpr | Numba |")
print("|---|---|---|---|---|---|---|---|")
short = []
for case in names:
    for i, n in enumerate(sizes):
        kt, ct = k[case]["kiln"][i], c_best(case, i)
        cells = [names[case], f"10^{len(str(n)) - 1}", f"{kt:.3f}", f"{ct:.3f}", f"{kt / ct:.2f}×"]
        for eng in ("numpy", "numexpr", "numba"):
            t = a[case][eng][i]
            cells.append("–" if t is None else f"{t:.3f} ({t / kt:.2f}×)")
            if t is not None and eng != "numba" and t < kt:
                short.append(f"{names[case]} at {n}: {eng} {t:.3f} µs, kiln {kt:.3f} µs")
        if n >= 10000 and kt > 1.5 * ct:
            short.append(f"{names[case]} at {n}: {kt / ct:.2f}× the C loop")
        print("| " + " | ".join(cells) + " |")
ek, ea = k["example_epoch_us"], a["example_epoch_us"]
print("\n| example, per epoch | kiln | C loop | NumPy loop | kiln / NumPy |")
print("|---|---|---|---|---|")
print(f"| `examples/logistic_regression.c` (20000 × 20) | {ek['kiln']:.1f} µs | {min(ek['c_serial'], ek['c_omp']):.1f} µs | "
      f"{ea['numpy']:.1f} µs | {ek['kiln'] / ea['numpy']:.2f}× |")
if len(sys.argv) > 5:
    tk, ta = json.load(open(sys.argv[4])), json.load(open(sys.argv[5]))
    print(f"| `examples/mlp.c` (8192 samples, batches of 64) | {tk['mlp_epoch']['kiln'] * 1e3:.1f} µs | – | "
          f"{ta['mlp_epoch']['numpy'] * 1e3:.1f} µs | {tk['mlp_epoch']['kiln'] / ta['mlp_epoch']['numpy']:.2f}× |")
print("\nWhere kiln falls short of the targets (slower than NumPy or numexpr; over 1.5× the C loop from 10^4 up): "
      + ("none." if not short else "; ".join(short) + "."))

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit(0)
fig, axes = plt.subplots(1, 4, figsize=(18, 4.2))
colors = {"kiln": "C0", "C loop": "C1", "NumPy": "C2", "numexpr": "C3", "Numba": "C4"}
for ax, case in zip(axes, names):
    series = {"kiln": k[case]["kiln"], "C loop": [c_best(case, i) for i in range(len(sizes))]}
    for eng, label in (("numpy", "NumPy"), ("numexpr", "numexpr"), ("numba", "Numba")):
        if a[case][eng][0] is not None:
            series[label] = a[case][eng]
    for label, ts in series.items():
        ax.loglog(sizes, [t * 1e3 / n for t, n in zip(ts, sizes)], marker="o", label=label, color=colors[label],
                  linewidth=2.5 if label == "kiln" else 1.2)
    ax.set_title(names[case].replace("`", ""))
    ax.set_xlabel("elements")
    ax.grid(True, which="both", alpha=0.3)
axes[0].set_ylabel("ns per element")
axes[0].legend()
fig.suptitle(f"time per element against size, {k['threads']} threads (lower is better)")
fig.tight_layout()
fig.savefig(png, dpi=90)
