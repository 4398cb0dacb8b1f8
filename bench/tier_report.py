"""tier_report.py — the tiers' tables from kiln_tier_bench's and tier_anchors.py's JSON, with
numexpr's steady state from anchors.py's (all the same run).  argv: tier.json
tier_anchors.json anchors.json.  Prints Markdown."""
import json
import sys

k = json.load(open(sys.argv[1]))
a = json.load(open(sys.argv[2]))
s = json.load(open(sys.argv[3]))
print(f"First call of a new expression in a running process (median of 9 random expressions; ms; "
      f"numexpr {a['versions']['numexpr']}, Numba {a['versions']['numba']}):\n")
print("| elements | kiln auto | kiln jit | kiln interp | numexpr | Numba |")
print("|---|---|---|---|---|---|")
for n, row in k["first"].items():
    an = a["first"][n]
    print(f"| {int(n):,} | {row['auto']:.3f} | {row['jit']:.3f} | {row['interp']:.3f} | {an['numexpr']:.3f} | {an['numba']:.1f} |")
print("\nSteady state: the interpreter against the JIT and numexpr (ms; the 10^3 case µs per call):\n")
print("| case | kiln jit | kiln interp | interp / jit | numexpr | numexpr / interp |")
print("|---|---|---|---|---|---|")
names = {"fma_big": "`a*b+c` f64 10^7", "sin2_f64": "`sin(a)*sin(a)` f64 10^7", "sin2_f32": "`sin(a)*sin(a)` f32 10^7",
         "dot": "`sum(a*b)` f64 10^7",
         "fma_small_us": "`a*b+c` f64 10^3 (µs)"}
ne_key = {"fma_big": ("fma_big", "numexpr_out"), "sin2_f64": ("sin2_f64", "numexpr"), "sin2_f32": ("sin2_f32", "numexpr"),
          "dot": ("dot", "numexpr"),
          "fma_small_us": ("fma_small_us", "numexpr")}
for key, row in k["steady"].items():
    sec, col = ne_key[key]
    ne = s.get(sec, {}).get(col)
    ne_cells = f"{ne:.3f} | {ne / row['interp']:.1f}× slower" if ne else "– | –"
    print(f"| {names[key]} | {row['jit']:.3f} | {row['interp']:.3f} | {row['interp'] / row['jit']:.2f} | {ne_cells} |")
print("\n200 distinct expressions, each evaluated 5 times (ms in all):\n")
print("| elements | kiln auto | kiln jit | kiln interp | numexpr |")
print("|---|---|---|---|---|")
for n, row in k["workload"].items():
    print(f"| {int(n):,} | {row['auto']:.1f} | {row['jit']:.1f} | {row['interp']:.1f} | {a['workload'][n]['numexpr']:.1f} |")
if "threshold" in k:
    print("\nWorkloads in auto by the rule's threshold (`KILN_JIT_AFTER_MS`; 10 is the default), the jit and interp "
          "tiers for scale: ms in all (kernels compiled in the background):\n")
    loads = list(next(iter(k["threshold"].values())).keys())
    print("| compile after | " + " | ".join(f"{w} elements" for w in loads) + " |")
    print("|---|" + "---|" * len(loads))
    for ms, row in k["threshold"].items():
        label = f"{ms} ms" if ms[0].isdigit() else f"tier {ms}"
        print(f"| {label} | " + " | ".join(f"{row[w][0]:.1f} ({row[w][1]})" for w in loads) + " |")
