"""compile_report.py — kiln's compile costs beside Numba's and numexpr's (same run): a table,
one JSON file with everything, and a plot.   argv: kiln.json anchors.json out.json out.png"""
import json
import sys

k = json.load(open(sys.argv[1]))
a = json.load(open(sys.argv[2]))
json.dump({"kiln": k, "anchors": a}, open(sys.argv[3], "w"), indent=1)

print("| expression | kiln cold first call | kiln cached call | kiln first call, kernels on disk | kernel ready from disk "
      "| new length compiles | Numba first call (cold) | Numba first call (`cache=True`, 2nd process) | Numba cached "
      "| numexpr first call | numexpr cached |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for name, label in (("sin2", "`sin(a)*sin(a)`"), ("fma", "`a*b+c`"), ("logreg", "logistic step")):
    kk = k[name]
    nb, ne = a.get(name, {}).get("numba"), a.get(name, {}).get("numexpr")
    cells = [label, f"{kk['cold_first_ms']:.2f} ms", f"{kk['cached_ms']:.3f} ms", f"{kk['warm_first_ms']:.2f} ms",
             f"{kk['kernel_ready_ms']:.3f} ms", str(kk["new_length_compiles"])]
    cells += [f"{nb['first_ms']:.1f} ms (+{nb['import_ms']:.0f} ms import)", f"{nb['cache_first_ms']:.1f} ms",
              f"{nb['cached_ms']:.3f} ms"] if nb else ["–"] * 3
    cells += [f"{ne['first_ms']:.2f} ms", f"{ne['cached_ms']:.3f} ms"] if ne else ["–"] * 2
    print("| " + " | ".join(cells) + " |")
print(f"\nWhole processes (exec to exit, 10^6 elements): kiln cold {k['sin2']['cold_process_ms']:.0f} ms, "
      f"kiln with the kernel on disk {k['sin2']['warm_process_ms']:.0f} ms; Python running Numba cold "
      f"{a['sin2']['numba']['wall_ms']:.0f} ms, with cache=True {a['sin2']['numba']['cache_wall_ms']:.0f} ms; "
      f"numexpr {a['sin2']['numexpr']['wall_ms']:.0f} ms.")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("(no matplotlib: no plot)")
    sys.exit(0)
labels, first, cached = [], [], []
for name, label in (("sin2", "sin(a)*sin(a)"), ("fma", "a*b+c")):
    kk, nb, ne = k[name], a[name]["numba"], a[name]["numexpr"]
    labels += [f"kiln\n{label}", f"kiln disk\n{label}", f"Numba\n{label}", f"Numba cache\n{label}", f"numexpr\n{label}"]
    first += [kk["cold_first_ms"], kk["warm_first_ms"], nb["first_ms"], nb["cache_first_ms"], ne["first_ms"]]
    cached += [kk["cached_ms"], kk["cached_ms"], nb["cached_ms"], nb["cached_ms"], ne["cached_ms"]]
fig, ax = plt.subplots(figsize=(11, 4.5))
x = range(len(labels))
ax.bar([i - 0.2 for i in x], first, 0.4, label="first call in a new process")
ax.bar([i + 0.2 for i in x], cached, 0.4, label="cached call")
ax.set_yscale("log")
ax.set_ylabel("ms (log scale)")
ax.set_xticks(list(x))
ax.set_xticklabels(labels, fontsize=7)
ax.set_title("First call vs cached call, 10^6 float64 elements, 2 threads")
ax.legend()
for i, v in enumerate(first):
    ax.text(i - 0.2, v, f"{v:.1f}", ha="center", va="bottom", fontsize=6)
fig.tight_layout()
fig.savefig(sys.argv[4], dpi=110)
print(f"\nplot: {sys.argv[4]}")
