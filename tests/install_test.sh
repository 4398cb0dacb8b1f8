#!/usr/bin/env bash
# install_test.sh — kiln as a dependency: `cmake --install` into a fresh prefix, then a program
# outside the tree (examples/downstream) built against it with find_package(kiln) (shared and
# static) and with pkg-config, each run; the installed program runs; the shared library's soname
# is libkiln.so.0 and it exports kiln_* symbols only.
#     usage: install_test.sh SOURCE-DIR BUILD-DIR
set -u
src=$1 build=$2
. "$(dirname "$0")/harness.sh" # $d, ok, no, finish
run() { # NAME command...: passes when the command succeeds
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then ok "$name"; else no "$name: $(tail -c 1500 <<<"$out")"; fi
}
prefix=$d/prefix
run "cmake --install" cmake --install "$build" --prefix "$prefix"
lib=$(find "$prefix" -name 'libkiln.so.0' | head -1)
[ -n "$lib" ] && ok "libkiln.so.0 installed" || no "no libkiln.so.0 under $prefix"
[ -f "$prefix/include/kiln.h" ] && ok "kiln.h installed" || no "no include/kiln.h"
soname=$(readelf -d "$lib" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libkiln.so.0 ] && ok "soname libkiln.so.0" || no "soname is '$soname'"
others=$(nm -D --defined-only "$lib" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^kiln_' | grep -v '^_init$\|^_fini$\|^__bss_start$\|^_edata$\|^_end$' | head -5)
count=$(nm -D --defined-only "$lib" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -c '^kiln_')
[ -z "$others" ] && ok "only kiln_ symbols exported ($count of them)" || no "symbols exported besides kiln_*: $others"
run "the installed kiln program runs" "$prefix/bin/kiln" -c 'print(sum(arange(10.)))'
export CMAKE_PREFIX_PATH=$prefix
run "find_package(kiln): configure" cmake -S "$src/examples/downstream" -B "$d/ds" -DCMAKE_BUILD_TYPE=Release
run "find_package(kiln): build" cmake --build "$d/ds" -j 2
run "kiln::kiln: runs" env LD_LIBRARY_PATH="$(dirname "$lib")" "$d/ds/downstream"
run "kiln::kiln_static: runs" "$d/ds/downstream_static"
pc=$(dirname "$lib")/pkgconfig
run "pkg-config kiln: build" bash -c "cc -std=c11 \$(PKG_CONFIG_PATH=$pc pkg-config --cflags kiln) '$src/examples/downstream/main.c' -o '$d/pc' \$(PKG_CONFIG_PATH=$pc pkg-config --libs kiln) -lm"
run "pkg-config kiln: runs" env LD_LIBRARY_PATH="$(dirname "$lib")" "$d/pc"
libdir=$(dirname "$lib")
static_libs=$(PKG_CONFIG_PATH=$pc pkg-config --static --libs kiln | sed 's/ -lkiln\b//')
run "pkg-config --static kiln: build" bash -c "cc -std=c11 \$(PKG_CONFIG_PATH=$pc pkg-config --cflags kiln) '$src/examples/downstream/main.c' -o '$d/pcs' -Wl,-Bstatic -L'$libdir' -lkiln -Wl,-Bdynamic $static_libs -lm"
run "pkg-config --static kiln: runs" "$d/pcs"
finish
