"""train_report.py — the training workloads' table from kiln_train_bench's and train_anchors.py's
JSON (same run, same machine).  Prints Markdown; argv: train.json train_anchors.json."""
import json
import sys

k = json.load(open(sys.argv[1]))
a = json.load(open(sys.argv[2]))


def slower(x, y):
    return f"{x:.3f} ({x / y:.1f}× kiln's time)"


jax = a.get("jax_version")
print(f"kiln training workloads — {k['threads']} threads; NumPy {a['numpy_version']}"
      f"{', JAX ' + jax + ' (CPU, float64)' if jax else ' (JAX not installed)'}; triad {k['triad_gbs']:.1f} GB/s\n")
print("| case | kiln | NumPy | JAX (jit) | floor (kiln / floor) |")
print("|---|---|---|---|---|")
for dt in ("f64", "f32"):
    j = a["softmax_big"].get("jax_" + dt)
    print(f"| softmax(Z, 1), Z 100000×10 {dt} | {k['softmax_big'][dt]:.3f} ms | {slower(a['softmax_big'][dt], k['softmax_big'][dt])} | "
          f"{slower(j, k['softmax_big'][dt]) if j else '–'} | {k['floor_softmax_ms'] / (2 if dt == 'f32' else 1):.3f} ms read and written "
          f"once ({k['softmax_big'][dt] / (k['floor_softmax_ms'] / (2 if dt == 'f32' else 1)):.1f}×) |")
for dt in ("f64", "f32"):
    print(f"| softmax(Z, 1), Z 256×10 {dt}, a call | {k['softmax_small_ms'][dt] * 1e3:.2f} µs | "
          f"{a['softmax_small_ms'][dt] * 1e3:.2f} µs ({a['softmax_small_ms'][dt] / k['softmax_small_ms'][dt]:.1f}×) | – | – |")
lg = k["logistic"]
jg = a["logistic"].get("jax_grad")
print(f"| logistic step by hand (dw, db), X 1000×100000 f64 | {lg['hand']:.2f} ms | {slower(a['logistic']['numpy'], lg['hand'])} | – | "
      f"X read once: {lg['read_x_c']:.2f} ms by a C loop ({lg['hand'] / lg['read_x_c']:.2f}×), {lg['floor_x']:.2f} ms at the triad's rate "
      f"({lg['hand'] / lg['floor_x']:.2f}×) |")
print(f"| the same with `grad` (and the loss) | {lg['grad']:.2f} ms | – | {slower(jg, lg['grad']) if jg else '–'} | "
      f"{lg['grad'] / lg['read_x_c']:.2f}× the C loop's read, {lg['grad'] / lg['floor_x']:.2f}× the triad's |")
ep = k["mlp_epoch"]
m = a["mlp_epoch"]
print(f"| MLP epoch, 8192 samples, batches of 64 (`grad`) | {ep['kiln']:.3f} ms | {slower(m['numpy'], ep['kiln'])} | "
      f"{'steps: ' + slower(m['jax_steps'], ep['kiln']) + '; lax.scan: ' + slower(m['jax_scan'], ep['kiln']) if 'jax_scan' in m else '–'} | – |")
print(f"\nThe MLP's mean loss over the epoch: kiln {ep['loss']:.12f}, NumPy {m['numpy_loss']:.12f}"
      f"{', JAX %.12f' % m['jax_loss'] if 'jax_loss' in m else ''} (the same network from the same weights).")
