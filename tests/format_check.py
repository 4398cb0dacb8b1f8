"""format_check.py — kiln formats numbers and text as Python does: f-string format specs (the
mini-language: fill, alignment, sign, z, #, 0, width, grouping, precision, type) and printf-style
'%' formatting, compared with Python's own format() and str % on the same values; and the string
methods that search (find rfind index rindex count startswith endswith, with start and end) against
Python's on text beyond ASCII.  The specs are
drawn at random from a fixed seed (every combination Python accepts), then the cases that were
once wrong: grouping beside '%' and inside zero padding, '#' with zeros, a precision without a
type, fills beyond ASCII, long results.

    python format_check.py path/to/kiln
"""
import random
import subprocess
import sys

INTS = [0, 1, -1, 7, -42, 255, 1234567, -9876543210]
FLOATS = [0.0, -0.0, 1.5, -2.25, 3.14159, 1e-7, 1234567.891, 1e16, 1e22, -1e-300, 0.5, 2.5, 100.0, 123456.0, 2.5e-5]


def drawn(n, seed):
    """(expression, Python's text) for n random specs Python accepts."""
    r = random.Random(seed)
    out = []
    while len(out) < n:
        is_int = r.random() < 0.5
        v = r.choice(INTS if is_int else FLOATS)
        align = r.choice(["", "", "<", ">", "^", "="])
        fill = r.choice(["", "", "*", "0", "☃"]) if align else ""
        spec = (fill + align + r.choice(["", "", "+", "-", " "]) + r.choice(["", "", "#"]) + r.choice(["", "", "0"]) +
                r.choice(["", "", "1", "8", "15"]) + r.choice(["", "", "", ",", "_"]) +
                ("" if is_int else r.choice(["", "", ".0", ".1", ".3", ".12"])) +
                (r.choice(["", "d", "x", "X", "o", "b", "n"]) if is_int else r.choice(["", "e", "E", "f", "F", "g", "G", "%"])))
        try:
            want = format(v, spec)
        except (ValueError, TypeError):
            continue
        out.append((f'f"{{{v!r}:{spec}}}"', want))
    return out


FIXED = ['f"{100.0: 15,.0%}"', 'f"{123456.0:<8_.0%}"', 'f"{1234.5:,}"', 'f"{1234567:_x}"', 'f"{12:010,}"', 'f"{1:08,}"',
         'f"{255:#010x}"', 'f"{-255:#012_x}"', 'f"{5:<05}"', 'f"{\'abc\':>010}"', 'f"{\'abc\':010}"', 'f"{123.0:.3}"',
         'f"{1.0:.0}"', 'f"{1e16:.17}"', 'f"{1e+22:<#,}"', 'f"{0.0:#8_.1}"', 'f"{\'ab\':☃^6}"', 'f"{\'héllo\':*^9.2}"',
         'f"{65:c}"', 'f"{1e22:#}"', 'f"{-0.0:z.2f}"', 'f"{True:>5}"',
         '"%5.3d" % 5', '"%-6.3d|" % -5', '"%+.4i" % 7', '"%#8.4x" % 255', '"%.3o" % 8', '"%i" % 2.5', '"%u" % -2.5',
         '"%#010x" % 255', '"%#08o" % 8', '"%.0d" % 0', '"%05d" % -3', '"%x" % True', '"%-8.3f|" % 3.14159',
         'len("%.1000f" % 5e-324)', 'len("%s" % ("x" * 5000))', 'len(f"{\'a\' * 5000:.4999}")',
         # a review's finds: long general precisions, zeros to the width with a precision, inf and nan not grouped,
         # a bool under any spec but the empty one, NaN never signed, %s and %r ignoring + and #
         'f"{1.5:.62g}"', '"%.100g" % 1.5', 'f"{1e-300:.61g}"', 'f"{1e-300:.59}"', '"%06.3d" % 1', '"%+012.3i" % 1', '"%0#12.8o" % 1',
         'f"{float(\'inf\'):,}"', 'f"{-float(\'inf\'):0=25,.0G}"', 'f"{float(\'nan\'):010,}"', 'f"{True:<}"', 'f"{True:,}"', 'f"{False:5}"',
         'f"{-float(\'nan\'):f}"', '"%f" % -float(\'nan\')', '"%+s" % \'a\'', '"% #6.25r" % -0.0']
REFUSED = ['f"{3:s}"', 'f"{1:.2s}"', 'f"{1:,x}"', 'f"{\'a\':=5}"', '"%x" % 255.5', '"%o" % 8.0', 'f"{1234:_n}"', 'f"{-5:z}"',
           'f"{0:c}"']  # (the last: Python's is a NUL, which kiln's strings cannot hold)


def searched():
    """(expression, Python's text) for the searching string methods over starts and ends in and out of range."""
    out = []
    for s in ["abc", "héllo wörld", "aaaa", "", "abcabc"]:
        for sub in ["", "a", "l", "ö", "aa", "bc", "zz"]:
            for args in [(), (1,), (3,), (-1,), (-5,), (2, 1), (1, 1), (0, -1), (4,), (None, 2), (0, 100)]:
                for m in ["find", "rfind", "count", "startswith", "endswith", "index", "rindex"]:
                    e = f"{s!r}.{m}({sub!r}{''.join(', ' + repr(x) for x in args)})"
                    try:
                        out.append((e, str(eval(e))))
                    except ValueError:
                        REFUSED.append(e)
    return out


def main():
    kiln = sys.argv[1]
    table = drawn(1500, 7) + searched() + [(e, repr(eval(e)) if e.startswith("len") else eval(e)) for e in FIXED]
    src = "".join(f'print("[" + str({e}) + "]")\n' for e, _ in table)
    run = subprocess.run([kiln, "-"], input=src.encode(), capture_output=True)
    got = run.stdout.decode().split("\n")
    got += [None] * (len(table) - len(got))  # (a program that stopped early printed fewer lines: each missing one fails)
    failures = 0 if run.returncode == 0 else 1
    if run.returncode:
        print("FAILED: the program stopped:", run.stderr.decode()[:500])
    for (e, want), have in zip(table, got):
        if have != f"[{want}]":
            failures += 1
            print(f"FAILED: {e}: Python {want!r}, kiln {have!r}")
    # Python's errors are kiln's: the first few each as a program (which stops with status 1 and
    # an error), all of them typed into one REPL session (--transcript: the session goes on after
    # an error), where each must print an error and nothing else
    for e in REFUSED[:5]:
        r = subprocess.run([kiln, "-c", f"print({e})"], capture_output=True)
        if r.returncode != 1 or b"error:" not in r.stderr:
            failures += 1
            print(f"FAILED: {e} is Python's error, kiln printed {r.stdout.decode()!r}")
    mark = "@@refused {}@@"
    src = "".join(f'print("{mark.format(i)}")\nprint({e})\n' for i, e in enumerate(REFUSED))
    run = subprocess.run([kiln, "--transcript"], input=src.encode(), capture_output=True)
    text = run.stdout.decode() + run.stderr.decode()
    for i, e in enumerate(REFUSED):
        at = text.find("\n" + mark.format(i) + "\n")
        end = text.find("\n" + mark.format(i + 1) + "\n") if i + 1 < len(REFUSED) else len(text)
        said = text[at:end] if at >= 0 and end >= 0 else ""
        printed = [ln for ln in said.split("\n")[2:] if ln and not ln.startswith(("kiln> ", "  ", "error: "))]
        if "\nerror: " not in said or printed:
            failures += 1
            print(f"FAILED: {e} is Python's error, kiln said {said[:300]!r}")
    print(f"{len(table) + len(REFUSED) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
