"""report.py — one table from kiln_bench's and anchors.py's JSON (same run, same machine):
absolute times and ratios.  Prints Markdown; argv: kiln.json anchors.json."""
import json
import sys

k = json.load(open(sys.argv[1]))
a = json.load(open(sys.argv[2]))
v = a["versions"]


def row(case, unit, kiln, c, anchors, floor=None):
    best = min(x for x in anchors.values())
    cells = [case, f"{kiln:.3f} {unit}", f"{c:.3f}", f"{kiln / c:.2f}×"]
    cells += [f"{anchors[n]:.3f} ({anchors[n] / kiln:.1f}× slower)" if n in anchors else "–"
              for n in ("numpy", "numpy_out", "numexpr", "numexpr_out", "numba", "numba_out")]
    cells.append(f"{floor:.2f} ({kiln / floor:.2f}×)" if floor else "–")
    return "| " + " | ".join(cells) + " |"


print(f"kiln benchmark — {k['threads']} threads; NumPy {v['numpy']}, numexpr {v['numexpr']}, Numba {v['numba']}; "
      f"STREAM triad {k['triad_gbs']:.1f} GB/s\n")
print("| case | kiln | hand-written C | kiln / C | NumPy | NumPy `out=` | numexpr | numexpr `out=` | Numba | "
      "Numba `out=` | bandwidth floor (kiln / floor) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
print(row("`a*b+c` f64 10^7, out reused", "ms", k["fma_big"]["kiln"], k["fma_big"]["c"], a["fma_big"], k["floor_fma_ms"]))
print(row("`a*b+c` f64 10^3, per call", "µs", k["fma_small_us"]["kiln"], k["fma_small_us"]["c"], a["fma_small_us"]))
print(row("`sin(a)*sin(a)` f64 10^7", "ms", k["sin2_f64"]["kiln"], k["sin2_f64"]["c"], a["sin2_f64"], k["floor_sin_ms"]))
print(row("`sin(a)*sin(a)` f32 10^7", "ms", k["sin2_f32"]["kiln"], k["sin2_f32"]["c"], a["sin2_f32"], k["floor_sin_ms"] / 2))
print(row("`sum(a*b)` f64 10^7", "ms", k["dot"]["kiln"], k["dot"]["c"],
          {"numpy": a["dot"]["numpy"], "numexpr": a["dot"]["numexpr"], "numba": a["dot"]["numba"]}, k["floor_dot_ms"]))
print(f"\n`np.sum(a*b)` (a temporary, then a sum): {a['dot']['numpy_sum']:.3f} ms; the table's NumPy is `np.dot(a, b)`.")
print(f"\n| case | kiln | OpenBLAS sgemm alone ({k['gemm']['core']} kernels) | kiln / sgemm | NumPy `W@X+b` "
      f"(OPENBLAS_CORETYPE={a['gemm']['openblas_coretype_env']}) |")
print("|---|---|---|---|---|")
print(f"| `W@X+b` f32 1024³ | {k['gemm']['kiln']:.3f} ms ({2 * 1024**3 / k['gemm']['kiln'] * 1e-6:.0f} GFLOP/s) | "
      f"{k['gemm']['sgemm']:.3f} ms | {k['gemm']['kiln'] / k['gemm']['sgemm']:.3f}× | {a['gemm']['numpy']:.3f} ms "
      f"({a['gemm']['numpy'] / k['gemm']['kiln']:.1f}× slower) |")
print("\n| stack of products | kiln | C loop of OpenBLAS gemm calls | kiln / C | NumPy `a @ b` | NumPy `out=` |")
print("|---|---|---|---|---|---|")
for ks, ns in zip(k["stacks"], a["stacks"]):
    print(f"| `{ks['case']}` | {ks['kiln']:.3f} ms | {ks['c']:.3f} ms | {ks['kiln'] / ks['c']:.2f}× | {ns['numpy']:.3f} ms "
          f"({ns['numpy'] / ks['kiln']:.1f}× slower) | {ns['numpy_out']:.3f} ms |")
print("\n| np.linalg, float64 (A 500², B 1000², R 1000×4, S = A A.T + I, T 10000 of 3², E 1000 of 8²) | kiln | NumPy | "
      "NumPy / kiln |")
print("|---|---|---|---|")
for case, kt, nt in zip([c["case"] for c in k["linalg"]], [c["kiln"] for c in k["linalg"]], a["linalg"]):
    print(f"| `{case}` | {kt:.3f} ms | {nt:.3f} ms | {nt / kt:.2f}× |")
print("\n(both call LAPACK: kiln Debian's OpenBLAS, NumPy the OpenBLAS its wheel bundles)")
print("\n| sorts, 10^7 elements (v float64, f float32, i int64, M v as 10000×1000) | kiln (stable) | NumPy default | "
      "NumPy / kiln | NumPy `kind='stable'` | NumPy stable / kiln |")
print("|---|---|---|---|---|---|")
for ks, ns in zip(k["sorts"], a["sorts"]):
    print(f"| `{ks['case']}` | {ks['kiln']:.1f} ms | {ns['numpy']:.1f} ms | {ns['numpy'] / ks['kiln']:.2f}× | "
          f"{ns['numpy_stable']:.1f} ms | {ns['numpy_stable'] / ks['kiln']:.2f}× |")
print("\n| searches of the 10^7 values (s: 10^5 of v sorted; t: 1000 of i) | kiln | NumPy | NumPy / kiln |")
print("|---|---|---|---|")
for ks, nt in zip(k["searches"], a["searches"]):
    print(f"| `{ks['case']}` | {ks['kiln']:.1f} ms | {nt:.1f} ms | {nt / ks['kiln']:.2f}× |")
print("\n| scans of the same values | kiln | NumPy | NumPy / kiln |")
print("|---|---|---|---|")
for ks, nt in zip(k.get("scans", []), a.get("scans", [])):
    print(f"| `{ks['case']}` | {ks['kiln']:.1f} ms | {nt:.1f} ms | {nt / ks['kiln']:.2f}× |")
print("\n| operands read across their rows (M 10000×1000, Q 3000×3000 float64) | kiln | NumPy | NumPy / kiln |")
print("|---|---|---|---|")
for ks, nt in zip(k.get("transposes", []), a.get("transposes", [])):
    print(f"| `{ks['case']}` | {ks['kiln']:.1f} ms | {nt:.1f} ms | {nt / ks['kiln']:.2f}× |")
print("\n| random draws, 10^7 (the same numbers as NumPy's) | kiln | NumPy | NumPy / kiln |")
print("|---|---|---|---|")
for ks, nt in zip(k.get("draws", []), a.get("draws", [])):
    print(f"| `{ks['case']}` | {ks['kiln']:.1f} ms | {nt:.1f} ms | {nt / ks['kiln']:.2f}× |")
print(f"\n| case | kiln | NumPy | reading X twice at the triad's rate |")
print("|---|---|---|---|")
print(f"| logistic-regression step, X 1000×100000 f64 | {k['logreg']['kiln']:.2f} ms | {a['logreg']['numpy']:.2f} ms "
      f"({a['logreg']['numpy'] / k['logreg']['kiln']:.1f}× slower) | {k['floor_logreg_ms']:.2f} ms |")
print(f"\nCompile: a new kernel in a running context, first call {k['compile_new_ms']:.2f} ms; "
      f"sin(a)*sin(a)'s compile {k['compile_sin2_ms']:.2f} ms (its first call at 10^7: {k['first_sin2_ms']:.2f} ms).")
print(f"Parsing and binding `sin(a)*sin(a) + b*2.5 - c/3`: {k['parse_us']:.2f} µs.")
