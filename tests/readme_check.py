#!/usr/bin/env python3
"""readme_check.py — the README's examples, run.

    python3 tests/readme_check.py README.md path/to/kiln path/to/include path/to/libkiln.so [CFLAGS...]

Every ```kiln block is a REPL session: the lines after `kiln> ` and `... ` are typed (through
`kiln --transcript`), and the session kiln prints must be the block, line for line (`[...]` in
a line of the block stands for any text).  Every ```c block with a main() is compiled against
kiln.h and libkiln and must run with status 0.
"""
import os
import re
import subprocess
import sys
import tempfile


def blocks(text, lang):
    return re.findall(r"^```" + lang + r"\n(.*?)^```", text, re.S | re.M)


def typed(block):
    lines = []
    for line in block.splitlines():
        if line.startswith("kiln> "):
            lines.append(line[6:])
        elif line.startswith("... ") or line == "...":
            lines.append(line[4:])
    return "\n".join(lines) + "\n"


def matches(want, got):
    pattern = "".join(".*" if part == "[...]" else re.escape(part) for part in re.split(r"(\[\.\.\.\])", want))
    return re.fullmatch(pattern, got) is not None


def main():
    readme, kiln, include, lib = sys.argv[1:5]
    cflags = sys.argv[5:]  # the sanitizers, when libkiln has them
    text = open(readme).read()
    failed = passed = 0
    env = dict(os.environ, KILN_CACHE_DIR=os.environ.get("KILN_CACHE_DIR", tempfile.gettempdir() + "/kiln-readme-cache"))
    with tempfile.TemporaryDirectory() as d:
        for k, block in enumerate(blocks(text, "kiln")):
            r = subprocess.run([kiln, "--transcript"], input=typed(block), capture_output=True, text=True, cwd=d, env=env, timeout=300)
            want = [l.rstrip() for l in block.rstrip("\n").splitlines()]
            got = [l.rstrip() for l in r.stdout.rstrip("\n").splitlines()]
            bad = [(i, w, g) for i, (w, g) in enumerate(zip(want, got)) if not matches(w, g)]
            if len(want) != len(got) or bad or r.returncode != 0:
                failed += 1
                print(f"FAILED: kiln block {k + 1} (status {r.returncode})")
                for i, w, g in bad[:5]:
                    print(f"  line {i + 1}: README {w!r}\n          kiln   {g!r}")
                if len(want) != len(got):
                    print(f"  README has {len(want)} lines, kiln printed {len(got)}:\n" + r.stdout + r.stderr)
            else:
                passed += 1
                print(f"ok: kiln block {k + 1} ({len(want)} lines)")
        for k, block in enumerate(blocks(text, "c")):
            if "int main" not in block:
                continue
            src, exe = os.path.join(d, f"c{k}.c"), os.path.join(d, f"c{k}")
            open(src, "w").write(block)
            libdir = os.path.dirname(os.path.abspath(lib))
            cc = subprocess.run(["cc", "-std=c11", "-Wall", "-Werror", *cflags, "-I", include, src, "-o", exe, "-L", libdir,
                                 "-Wl,-rpath," + libdir, "-lkiln", "-lm"], capture_output=True, text=True)
            r = cc if cc.returncode else subprocess.run([exe], capture_output=True, text=True, env=env, timeout=300)
            if r.returncode:
                failed += 1
                print(f"FAILED: C block {k + 1}: {r.stdout}{r.stderr}")
            else:
                passed += 1
                print(f"ok: C block {k + 1}: {r.stdout.strip()}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
