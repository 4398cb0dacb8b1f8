#!/usr/bin/env bash
# hostile_test.sh — the kiln program against hostile input: each case must end (within a time
# limit) with the status and the message named here, never a crash, a hang or a silent success.
# These are the regressions of the hardening issue; the README's "Hostile input" table lists them.
#     usage: hostile_test.sh path/to/kiln
set -u
kiln=$1
expect_timeout=30 expect_show=600 # each case 30 s at most; failures show 600 bytes of output
. "$(dirname "$0")/harness.sh"    # $d, ok, no, expect NAME STATUS PATTERN -- command..., finish
export KILN_CACHE_DIR=$d/cache

# 1. nesting: an error naming the limit, not a stack overflow
python3 -c "print('(' * 100000 + '1' + ')' * 100000)" >"$d/parens.kiln"
expect "100000 nested parentheses" 1 "nested too deeply (more than 200 levels: each bracket takes two, each unary operator one)" -- "$kiln" "$d/parens.kiln"
python3 -c "print('x = ' + '-' * 100000 + '1')" >"$d/minus.kiln"
expect "100000 unary minuses" 1 "nested too deeply" -- "$kiln" "$d/minus.kiln"
python3 -c "print('x = ' + 'sin(' * 20000 + '1' + ')' * 20000)" >"$d/sin.kiln"
expect "20000 nested calls" 1 "nested too deeply" -- "$kiln" "$d/sin.kiln"
python3 -c "print('x = 2' + '**2' * 50000)" >"$d/pow.kiln"
expect "a chain of 50000 powers" 1 "nested too deeply" -- "$kiln" "$d/pow.kiln"
python3 -c "print('x = ' + '[' * 50000 + ']' * 50000)" >"$d/lists.kiln"
expect "50000 nested lists" 1 "nested too deeply" -- "$kiln" "$d/lists.kiln"
python3 -c "
s = ''
for i in range(2000): s += ' ' * i + 'if True:\n'
print(s + ' ' * 2000 + 'x = 1')" >"$d/blocks.kiln"
expect "2000 nested blocks" 1 "too many nested blocks" -- "$kiln" "$d/blocks.kiln"
python3 -c "print('a = arange(3.)\nb = ' + '+'.join('a*%d' % i for i in range(20000)) + '\nprint(b[1])')" >"$d/long.kiln"
expect "a sum of 20000 terms (kernels cut at 512 instructions)" 0 "199990000.0" -- env KILN_TIER=jit "$kiln" "$d/long.kiln"

# 2. no silent success
expect "an unterminated string in the last statement" 1 "unterminated string" -- "$kiln" -c 'a = load("x'
expect "a directory as the script" 1 "Is a directory" -- "$kiln" "$d"
printf 'a = 1\n\0\nb = $$\n' >"$d/nul.kiln"
expect "a NUL byte in a script" 1 "NUL byte" -- "$kiln" "$d/nul.kiln"

# 3. keyword arguments
expect "an unknown long keyword" 1 "unexpected keyword argument 'keepdims_is_not_a_thing'" -- "$kiln" -c 'a = ones((2, 3)); sum(a, keepdims_is_not_a_thing=1)'
expect "a repeated keyword" 1 "keyword argument repeated: axis" -- "$kiln" -c 'a = ones((2, 3)); sum(a, axis=0, axis=1)'
expect "a keyword given twice" 1 "got multiple values for argument 'axis'" -- "$kiln" -c 'a = ones((2, 3)); sum(a, 0, axis=1)'

# 4. no hangs: FIFOs are refused without being opened for reading
mkfifo "$d/fifo"
expect "load() of a FIFO" 1 "not a regular file" -- "$kiln" -c "load(\"$d/fifo\")"
expect "a FIFO as the script" 1 "not a regular file" -- "$kiln" "$d/fifo"
mkfifo "$d/fifo.npy" # (save's name gets .npy unless it has it)
expect "save() to a FIFO" 1 "not a regular file (a FIFO)" -- "$kiln" -c "save(\"$d/fifo.npy\", ones(2))"
# a disk-cache entry replaced by a FIFO: the kernel is compiled again, the FIFO replaced (a
# cache of its own: the earlier cases' entries play no part)
export KILN_CACHE_DIR=$d/fifo-cache
KILN_TIER=jit "$kiln" -c 'a = arange(5.); print(tanh(a) * 3 + 1)' >/dev/null
entries=$(ls "$KILN_CACHE_DIR"/*.ko 2>/dev/null)
if ! "$kiln" -c ':backend' | grep -q '^backend: cpu'; then
  # without LLVM the interpreter runs every kernel and nothing goes to the disk cache
  [ -z "$entries" ] && ok "no disk-cache entries without LLVM" || no "entries stored without LLVM: $entries"
elif [ -n "$entries" ]; then
  for e in $entries; do rm -f "$e" && mkfifo "$e"; done
  expect "disk-cache entries that are FIFOs" 0 "3.28478247" -- env KILN_TIER=jit "$kiln" -c 'a = arange(5.); tanh(a) * 3 + 1'
  regular=0
  for e in $entries; do [ -f "$e" ] && regular=$((regular + 1)); done
  [ "$regular" -ge 1 ] && ok "and the kernel's FIFO is replaced by its entry" || no "every FIFO is still there"
else
  no "disk-cache entries that are FIFOs (no entry was stored: $(ls -la "$KILN_CACHE_DIR" 2>&1 | head -5))"
fi
export KILN_CACHE_DIR=$d/cache
# a product under an address-space limit: OpenBLAS would retry its mmap forever (not under a
# sanitizer, whose shadow memory alone is more than the limit)
if grep -q -a -e __asan_init -e __tsan_init "$kiln"; then
  ok "(a product under ulimit -v: skipped under a sanitizer)"
else
  expect "a product under ulimit -v" 1 "error:" -- bash -c "ulimit -v 450000; exec \"$kiln\" -c 'A = ones((500, 500)); (A @ A)[0, 0]'"
  expect "the same with KILN_NO_BLAS=1" 0 "np.float64(500.0)" -- bash -c "ulimit -v 450000; KILN_NO_BLAS=1 exec \"$kiln\" -c 'A = ones((500, 500)); (A @ A)[0, 0]'"
  # 64 threads' stacks (512 MB) where the limit leaves about 300 MB: libgomp exited the process
  # ("Thread creation failed"); kiln now runs the team the room takes
  expect "64 threads under ulimit -v" 0 "60000000.0" -- bash -c "ulimit -v 1000000; KILN_NUM_THREADS=64 exec \"$kiln\" -c 'big = ones(60000000); print(sum(big))'"
  # broadcast_to is a view with stride 0: of a name's array, or of what an expression computes
  expect "broadcast_to of one element to 10**12, under ulimit -v" 0 "(1000, 1000000000) 1.0" -- bash -c "ulimit -v 1000000; exec \"$kiln\" -c 'a = np.ones(1); x = np.broadcast_to(a, (1000, 10**9)); y = np.broadcast_to(np.ones(1) * 2, (10**6, 10**6)); print(x.shape, x[999, 10**9 - 1]); print(y[3, 4])'"
  # and again after a small team let the pool's threads go and an array took their room
  expect "a full team after a small one, under ulimit -v" 0 "300000.0
60000000.0" -- bash -c "ulimit -v 1000000; KILN_NUM_THREADS=64 exec \"$kiln\" -c 'big = ones(60000000); s = sum(big); print(sum(ones(300000))); more = zeros(19000000); print(sum(big))'"
fi

# 5. sizes that overflow are refused, as NumPy refuses them
expect "zeros((0, 2**62, 2**62))" 1 "array is too big" -- "$kiln" -c 'zeros((0, 2**62, 2**62))'
python3 - "$d/huge.npy" <<'EOF'
import sys
head = "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 4611686018427387904, 4611686018427387904), }"
head += " " * (118 - len(head)) + "\n"
open(sys.argv[1], "wb").write(b"\x93NUMPY\x01\x00" + len(head).to_bytes(2, "little") + head.encode())
EOF
expect "a .npy header with such a shape" 1 "array is too big" -- "$kiln" -c "load(\"$d/huge.npy\")"

# 6. a file-size limit: the write error, no file left, no SIGXFSZ death
expect "save under ulimit -f" 1 "File too large" -- bash -c "ulimit -f 1; exec \"$kiln\" -c 'save(\"$d/big.npy\", zeros(100000))'"
left=$(ls "$d" | grep -c 'big.npy' || true)
[ "$left" -eq 0 ] && ok "and no file or temporary is left" || no "files left: $(ls "$d")"

# 7. special files and symlinks
touch "$d/real.npy" && ln -s real.npy "$d/link.npy"
expect "save through a symlink" 0 "" -- "$kiln" -c "save(\"$d/link.npy\", arange(3))"
[ -L "$d/link.npy" ] && ok "the link is still a link" || no "the link was replaced"
expect "and the file it points to has the array" 0 "array([0, 1, 2])" -- "$kiln" -c "load(\"$d/real.npy\")"
ln -s /dev/null "$d/null.npy" && mkdir "$d/dir.npy" # (a name without .npy gets it, as NumPy's)
expect "save to a device" 1 "not a regular file (a device)" -- "$kiln" -c "save(\"$d/null.npy\", arange(3))"
expect "save to a directory" 1 "not a regular file (a directory)" -- "$kiln" -c "save(\"$d/dir.npy\", arange(3))"
expect "a name without .npy gets it" 0 "array([0, 1, 2])" -- "$kiln" -c "save(\"$d/noext\", arange(3)); np.save(file=\"$d/kw\", arr=1, allow_pickle=False); load(\"$d/noext.npy\")"
expect "np.save's keywords" 0 "np.int64(1)" -- "$kiln" -c "np.load(\"$d/kw.npy\", mmap_mode=\"r\", allow_pickle=True, encoding=\"latin1\")"
expect "a memory map of mode r is read-only" 1 "assignment destination is read-only" -- "$kiln" -c "m = np.load(\"$d/noext.npy\", mmap_mode=\"r\"); m[0] = 5"
expect "mode r+ would write into the file" 1 "not 'r+' or 'w+'" -- "$kiln" -c "np.load(\"$d/noext.npy\", mmap_mode=\"r+\")"
# savetxt as save writes: whole or not at all (a size limit, a full disk), a read-only file kept
expect "savetxt's first file" 0 "" -- "$kiln" -c "savetxt(\"$d/t.txt\", arange(4.))"
expect "savetxt under ulimit -f" 1 "File too large" -- bash -c "ulimit -f 64; exec \"$kiln\" -c 'savetxt(\"$d/t.txt\", arange(100000.))'"
expect "and the old text is whole" 0 "(4,) 3.0" -- "$kiln" -c "x = loadtxt(\"$d/t.txt\"); print(x.shape, x[-1])"
if [ "$(id -u)" -ne 0 ]; then # (root writes a read-only file anyway, as NumPy's open() does)
  "$kiln" -c "save(\"$d/ro.npy\", arange(3))" && chmod 444 "$d/ro.npy"
  expect "save keeps a read-only file" 1 "Permission denied" -- "$kiln" -c "save(\"$d/ro.npy\", zeros(2))"
fi
# text and archives kiln does not read or write, said so
printf '1 2\n' | gzip > "$d/c.txt.gz"
expect "loadtxt of a gzip file" 1 "is compressed (NumPy decompresses .gz, .bz2, .xz and .lzma)" -- "$kiln" -c "loadtxt(\"$d/c.txt.gz\")"
expect "savetxt to a .gz name" 1 "kiln writes plain text, and NumPy would compress" -- "$kiln" -c "savetxt(\"$d/k.txt.gz\", eye(2))"
printf 'PK\003\004 the rest of an archive' > "$d/z.npz"
expect "load of an .npz" 1 "it is a zip archive (np.savez's .npz" -- "$kiln" -c "load(\"$d/z.npz\")"
printf '1,2,3\n4,5,6\n' > "$d/c.csv"
expect "loadtxt's comments as its delimiter" 1 "'comment' and 'delimiter' are incompatible" -- "$kiln" -c "loadtxt(\"$d/c.csv\", delimiter=\",\", comments=\",\")"
expect "loadtxt's converters" 1 "kiln has no converters=" -- "$kiln" -c "loadtxt(\"$d/c.csv\", delimiter=\",\", converters=bool)"
python3 -c "import sys; open(sys.argv[1], 'wb').write(b\"\\x93NUMPY\\x01\\x00\" + (118).to_bytes(2, 'little') + (\"{'descr': '|b1', 'fortran_order': False, 'shape': (4,), }\".ljust(117) + '\\n').encode() + bytes([0, 1, 2, 255]))" "$d/b2.npy"
python3 - "$d" <<'END'
import struct, sys
for name, descr, data in [("code_b", "|b", bytes([1, 255])), ("code_l", "<l", struct.pack("<2q", 5, -6)), ("code_d", "d", struct.pack("<2d", 1.5, 2.5)),
                          ("code_name", "float64", struct.pack("<2d", 1.5, 2.5))]:
    head = ("{'descr': '%s', 'fortran_order': False, 'shape': (2,), }" % descr).ljust(117) + "\n"
    open(f"{sys.argv[1]}/{name}.npy", "wb").write(b"\x93NUMPY\x01\x00" + len(head).to_bytes(2, "little") + head.encode() + data)
END
expect "a header's one-letter codes and names, as np.dtype reads them" 0 "[ 1 -1] [ 5 -6] [1.5 2.5] [1.5 2.5]" -- "$kiln" -c "print(load(\"$d/code_b.npy\"), load(\"$d/code_l.npy\"), load(\"$d/code_d.npy\"), load(\"$d/code_name.npy\"))"
expect "bools of other bytes than 0 and 1" 0 "[False  True] [1 3] 3" -- "$kiln" -c "x = load(\"$d/b2.npy\"); print(unique(x), unique_counts(x).counts, x.sum())"

# 9. smaller ones
expect "sum(a, 99)" 1 "axis 99 is out of bounds" -- "$kiln" -c 'a = ones(3); sum(a, 99)'
expect "seed(1, 2)" 1 "usage: seed(n)" -- "$kiln" -c 'seed(1, 2)'
expect "seed(-1)" 1 "Seed must be between 0 and 2**32 - 1" -- "$kiln" -c 'seed(-1)'
expect "s = s, s forty times (a fuzzer's find)" 1 "items in its tuples and lists" -- env KILN_MAX_ITEMS=65536 "$kiln" -c 's = "ab"
for i in range(40):
    s = s, s
'
expect "'%d' % inf (a fuzzer's find)" 1 "cannot convert float infinity to integer" -- "$kiln" -c 'print("%d" % inf)'
expect "'%x' % nan" 1 "%x format: an integer is required, not float" -- "$kiln" -c 'print("%x" % nan)'
expect "'%d' % nan" 1 "cannot convert float NaN to integer" -- "$kiln" -c 'print("%d" % nan)'
expect "'%d' % 1e30" 1 "too large" -- "$kiln" -c 'print("%d" % 1e30)'
expect "None = 1" 1 "cannot assign to a literal" -- "$kiln" -c 'None = 1'
expect "and = 1" 1 "'and' is a keyword, not a name" -- "$kiln" -c 'and = 1'
expect "a keyword in a target list" 1 "1:4: 'in' is a keyword" -- "$kiln" -c 'x, in = 1, 2'
expect "a keyword as a loop's variable" 1 "'not' is a keyword" -- "$kiln" -c 'for not in range(2): print(1)'
expect "a mask's values that do not fit" 1 "cannot assign 2 input values to the 3 output values where the mask is true" -- "$kiln" -c 'r = arange(6)
r[r > 2] = [1, 2]'
expect "an index array's values that do not fit" 1 "could not broadcast input array from shape (3,) into shape (2,)" -- "$kiln" -c 'r = arange(6)
r[[0, 1]] = [5, 6, 7]'
expect "a mask that does not fit its axis" 1 "boolean index did not match indexed array along axis 1; size of axis is 4 but size of corresponding boolean axis is 3" -- "$kiln" -c 'x = zeros((3, 4))
x[1, array([True, False, True])]'
expect ":threads 99999999999999" 1 "usage: :threads N" -- "$kiln" -c ':threads 99999999999999'
python3 - "$d/nul_descr.npy" <<'EOF'
import sys
head = "{'descr': '<f8\\x00', 'fortran_order': False, 'shape': (1,), }"
head += " " * (118 - len(head)) + "\n"
open(sys.argv[1], "wb").write(b"\x93NUMPY\x01\x00" + len(head).to_bytes(2, "little") + head.encode() + b"\0" * 8)
EOF
expect "a descr with a NUL in it" 1 "is not supported" -- "$kiln" -c "load(\"$d/nul_descr.npy\")"
python3 - "$d/odd.npy" <<'EOF'
import sys
head = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"
head += " " * (117 - len(head)) + "\n"   # data at offset 127: not 8-byte aligned
open(sys.argv[1], "wb").write(b"\x93NUMPY\x01\x00" + len(head).to_bytes(2, "little") + head.encode() + (1.5).hex().encode()[:0] + b"\0" * 24)
EOF
expect "a loaded array whose data is not aligned" 0 "array([0., 0., 0.])" -- "$kiln" -c "load(\"$d/odd.npy\")"
mkdir -p "$d/locked" && chmod 000 "$d/locked"
if [ "$(id -u)" -ne 0 ]; then
  expect "an unreadable cache directory" 0 "disk cache: off" -- env KILN_CACHE_DIR="$d/locked/c" "$kiln" -c ':cache'
fi
chmod 700 "$d/locked"
# a cache directory that is a symbolic link says so; one named with a trailing slash is made 0700
mkdir -m 700 "$d/real-cache" && ln -s "$d/real-cache" "$d/link-cache"
expect "a cache directory that is a symbolic link" 1 "is a symbolic link" -- env KILN_CACHE_DIR="$d/link-cache" "$kiln" cache info
expect "a cache directory named with a trailing slash" 0 "slash-cache" -- env KILN_CACHE_DIR="$d/slash-cache/" "$kiln" cache info
[ "$(stat -c %a "$d/slash-cache")" = 700 ] && ok "and is made 0700" || no "a trailing slash's cache directory is $(stat -c %a "$d/slash-cache"), not 700"

finish
