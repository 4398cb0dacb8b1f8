#!/usr/bin/env bash
# cli_test.sh — the kiln program end to end: -c, scripts, standard input, output as NumPy
# prints it, errors (stderr lines beginning "error:", exit status 1), .npy files in and out,
# and a failing save that leaves no file.      usage: cli_test.sh path/to/kiln
set -u
kiln=$1
. "$(dirname "$0")/harness.sh" # $d, ok, no, expect NAME STATUS PATTERN -- command..., finish

expect "--version" 0 "kiln 0.1.0" -- "$kiln" --version
expect "KILN_MAX_ARRAY_MB past size_t's MB is no limit" 0 "10.0" -- env KILN_MAX_ARRAY_MB=1e30 "$kiln" -c 'print(ones(10).sum())'
expect "KILN_MAX_ARRAY_MB=inf too" 0 "10.0" -- env KILN_MAX_ARRAY_MB=inf "$kiln" -c 'print(ones(10).sum())'
expect "KILN_MAX_ARRAY_MB still limits" 1 "over the limit" -- env KILN_MAX_ARRAY_MB=0.001 "$kiln" -c 'print(ones(1000).sum())'
expect "assert's message" 1 "error: -c:2:1: AssertionError: bad shape (2, 3)" -- "$kiln" -c $'x = zeros((2, 3))\nassert x.shape == (3, 2), f"bad shape {x.shape}"'
expect "assert passes" 0 "ok" -- "$kiln" -c $'assert 1 < 2 < 3, "no"\nprint("ok")'
printf '"""A docstring,\nover lines."""\nprint("after")\n' > "$d/doc.kiln"
printf 's = """a\r\nb\\\r\nc"""\r\nprint(repr(s))\r\n' > "$d/crlf.kiln"
expect "a CRLF file's triple-quoted string" 0 "'a\nbc'" -- "$kiln" "$d/crlf.kiln"
rm -f "$d/crlf.kiln"
out=$("$kiln" -c 'assert False, ""' 2>&1 | head -1)
[ "$out" = "error: -c:1:1: AssertionError" ] && ok "assert's empty message" || no "assert's empty message (output: $out)"
out=$("$kiln" "$d/doc.kiln" 2>&1)
[ "$out" = "after" ] && ok "a program's docstring is not shown" || no "a program's docstring is not shown (output: $out)"
rm -f "$d/doc.kiln"
# a backslash ending a line inside a quoted string continues the string (Python's), in a file and at the REPL
printf 'print("a\\\nb", len(f"c\\\nd"))\n' > "$d/bsnl.kiln"
expect "a backslash-newline inside a string" 0 "ab 2" -- "$kiln" "$d/bsnl.kiln"
expect "if x: \\ and the body on the next line (Python's joined line)" 0 "in" -- "$kiln" -c $'x = 1\nif x: \\\n    print("in")'
rm -f "$d/bsnl.kiln"
expect "a backslash-newline inside a string, typed" 0 "ab" -- sh -c "printf 'print(\"a\\\\\\nb\")\\n' | \"$kiln\" --transcript"
printf 'y_c = 2 # C:\\dir\\\nprint(y_c + 1)\n' > "$d/combs.txt"
expect "a comment ending in a backslash joins no line, typed" 0 "kiln> print(y_c + 1)
3" -- sh -c "\"$kiln\" --transcript < \"$d/combs.txt\""
rm -f "$d/combs.txt"
# output that cannot be written (a full disk, a closed stdout) is an error, not status 0
expect "a full disk" 1 "the output could not be written" -- sh -c "\"$kiln\" -c 'print(1)' > /dev/full"
expect "a closed stdout" 1 "the output could not be written" -- sh -c "\"$kiln\" -c 'print(1)' >&-"
expect "abs of the smallest Python int" 1 "integer overflow: kiln's Python integers are 64-bit" -- "$kiln" -c 'm = -9223372036854775807 - 1; abs(m)'
expect "--help" 0 "usage: kiln" -- "$kiln" --help
# the language hunt: Python's compile-time errors before anything runs, where they are; unsupported Python said so
expect "break outside a loop, before anything runs" 1 "error: -c:3:5: 'break' outside loop" -- "$kiln" -c $'print("ran")\nif True:\n    break'
out=$("$kiln" -c $'print("ran")\ncontinue' 2>&1)
case "$out" in *ran*) no "nothing runs before a loose continue (output: $out)" ;; *) ok "nothing runs before a loose continue" ;; esac
expect "continue in a loop's else" 1 "error: -c:4:5: 'continue' not properly in loop" -- "$kiln" -c $'for i in range(2):\n    pass\nelse:\n    continue'
out=$("$kiln" -c $'print("ran")\nif False:\n    x = 5 5' 2>&1)
case "$out" in *ran*) no "a syntax error in a branch never taken (output: $out)" ;; *"-c:3:11: invalid syntax: two values side by side"*) ok "a syntax error in a branch never taken" ;; *) no "a syntax error in a branch never taken (output: $out)" ;; esac
expect "an operator with nothing after it, in a loop's later branch" 1 "error: -c:4:17: expected a value after '+', found ')'" -- "$kiln" -c $'for i in range(3):\n    print(i)\n    if i > 5:\n        y = (1 +)'
expect "Python 2's print" 1 "two values side by side" -- "$kiln" -c 'print "x"'
expect "an empty item" 1 "invalid syntax: an empty item before ','" -- "$kiln" -c 'print(1,, 2)'
expect "a dot without a name" 1 "invalid syntax: a name must follow '.'" -- "$kiln" -c 'x = a.'
expect "strings side by side, and a :command after ';'" 0 "ab1c" -- "$kiln" -c $'print("a" "b" f"{1}" r"c"); :threads 1'
expect "from numpy import * is not an operator without its value" 0 "1" -- "$kiln" -c $'from numpy import *\nprint(1)'
expect "a NumPy float in a loop's range" 1 "'numpy.float64' object cannot be interpreted as an integer" -- "$kiln" -c $'import numpy as np\nfor i in range(np.float64(2)):\n    print(i)'
expect "the first error in the text is the one reported" 1 "error: -c:1:7: invalid syntax" -- "$kiln" -c $'x = 5 5\nbreak'
printf 'x = 1\ry = x:' > "$d/cr_end.kiln"
expect "a CR file ending in a name and a colon" 1 "unexpected ':'" -- "$kiln" "$d/cr_end.kiln"
rm -f "$d/cr_end.kiln"
out=$("$kiln" -c 'print("a"); savetxt("/dev/stdout", eye(2), fmt="%d"); print("b")' 2>&1 | tr '\n' '|')
[ "$out" = "a|1 0|0 1|b|" ] && ok "savetxt to /dev/stdout, in order" || no "savetxt to /dev/stdout (output: $out)"
expect "a match statement" 1 "match statements are Python, but not part of kiln's language" -- "$kiln" -c $'x = 1\nmatch x:\n    case 1:\n        print(1)'
expect "match and case as names" 0 "5 [1]" -- "$kiln" -c $'match = 5\ncase = [1]\nprint(match, case)'
expect "an unmatched bracket" 1 "error: -c:1:9: unmatched ')'" -- "$kiln" -c 'print(1))'
expect "a bracket closing another's" 1 "closing parenthesis ']' does not match opening parenthesis '('" -- "$kiln" -c 'x = [1, (2]'
expect "raise" 1 "this is Python, but not part of kiln's language" -- "$kiln" -c 'raise ValueError'
expect "await" 1 "error: -c:1:5: 'await' is not part of kiln's language here" -- "$kiln" -c 'x = await y'
expect "a walrus" 1 "assignment expressions (x := ...) are not part of kiln's language" -- "$kiln" -c $'x = 1\nprint(x := 5)'
expect "an annotation" 1 "annotations (x: int = v) are not part of kiln's language" -- "$kiln" -c 'x: int = 5'
expect "a bytes literal" 1 "bytes literals" -- "$kiln" -c 'print(b"ab")'
expect "a keyword as a value" 1 "invalid syntax: 'else' cannot begin a value" -- "$kiln" -c 'x = else'
expect "a number's append" 1 "'int' object has no attribute 'append'" -- "$kiln" -c $'x = 5\nx.append(1)'
expect "a number called" 1 "'float' object is not callable" -- "$kiln" -c $'sum = 3.5\nprint(sum([1, 2]))'
expect "range of a float in a loop" 1 "'float' object cannot be interpreted as an integer" -- "$kiln" -c 'for i in range(1.5): pass'
expect "range of too many" 1 "range expected at most 3 arguments, got 4" -- "$kiln" -c 'for i in range(1, 2, 3, 4): pass'
expect "split's unknown keyword" 1 "'sepp' is an invalid keyword argument for split()" -- "$kiln" -c 'print("a".split(sepp=1))'
expect "f-string fields nested twice" 1 "f-string: expressions nested too deeply" -- "$kiln" -c $'x = 1\nprint(f"{x:{x:{x}}}")'
expect "float modulo by zero" 1 "float modulo" -- "$kiln" -c 'print(1.0 % 0.0)'
printf 'x = 1\rprint(x + 1)\r\nif x:\r    print("cr")\r' > "$d/cr.kiln"
expect "a file whose lines end in CR (universal newlines)" 0 "cr" -- "$kiln" "$d/cr.kiln"
rm -f "$d/cr.kiln"
expect "bad option" 2 "unknown option" -- "$kiln" --frobnicate
expect "-c prints like NumPy" 0 "array([0, 2, 4, 6, 8])" -- "$kiln" -c 'a = arange(5); a*2'
expect "floats like NumPy" 0 "array([0. , 0.5, 1. ])" -- "$kiln" -c 'linspace(0, 1, 3)'
expect "float32 named" 0 "dtype=float32)" -- "$kiln" -c 'float32(arange(3))/3'
expect "precedence" 0 "np.float64(-4.0)" -- "$kiln" -c 'x = -2**2; x + zeros(())'
expect "syntax error" 1 "error: -c:1:" -- "$kiln" -c 'a = arange(5); b = a +'
expect "error message" 1 "error: -c:1:22: expected a value after '+', found the end of the line" -- "$kiln" -c 'a = arange(5); b = a +'
expect "shape error has an offset" 1 "error: -c:1:17: operands could not be broadcast" -- "$kiln" -c 'a = zeros(3); a + zeros(4)'
# the caret stands under the character the message names, as a terminal shows the line: one
# column for a 2-byte character, two for a wide one (a column per byte put it to the right)
out=$("$kiln" -c 's = "é日"; y = arange(3) + ones(4)' 2>&1 | sed -n 3p)
[ "$out" = "                           ^" ] && ok "the caret after wide characters" || no "the caret after wide characters (line: '$out')"
expect "the column counts characters" 1 "error: -c:1:25: operands could not be broadcast" -- "$kiln" -c 's = "é日"; y = arange(3) + ones(4)'
# max's gradient goes to the element equal to the row's maximum: sin(w) in the gradient's kernel
# has the bits of sin(w) in the reduction's (a row of 4, a kernel's tail, took libm's sin, 1 ulp
# from libmvec's, and the first row's gradient was all zeros)
expect "max's gradient of sin, rows of 4" 0 "[[ 0.         -0.41614684  0.          0.        ]" -- "$kiln" -c 'w = array([[1.0, 2.0, 0.5, -1.0], [0.3, 1.4, -0.2, 2.5]]); print(grad(sum(max(sin(w), axis=1)), w))'
# a variable under two names (p = W, a list's item and a loop's name) is one variable: the gradient sums both, in a
# statement bound to a name as in one printed, and a loop whose names share arrays differently in each run rebuilds it
expect "grad with respect to another name of the array" 0 "[2. 4.] 8.0 [3. 5.]" -- "$kiln" -c $'W = array([1.0, 2.0])\np = W\ng = grad(sum(W ** 2), p)\nv, g2 = value_and_grad(sum(W ** 2 + p), p)\nprint(g, v, g2)'
expect "grad over a list of parameters in a loop" 0 "[[0.704 0.704]" -- "$kiln" -c $'W = ones((2, 2))\nb = zeros(2)\nparams = [W, b]\nfor k in range(2):\n    for q in params:\n        q -= 0.1 * grad(sum(params[0] @ params[1] + params[1] ** 2 + params[0] ** 2), q)\nprint(W, b)'
expect "every name of the array in the variables gets its whole gradient" 0 "(array([ 3., 12.]), array([ 3., 12.])) (array([2., 4.]), array([2., 4.]))" -- "$kiln" -c $'W = array([1.0, 2.0]); p = W; q = W\ng = grad(sum(W * p * q), (W, p))\nh = grad(sum(W ** 2), (p, p))\nprint(g, h)'
out=$("$kiln" -c $'W = array([1.0, 2.0]); p = W\ng = grad(sum(p ** 2), W)\nprint(g)' 2>&1)
[ "$out" = "[2. 4.]" ] && ok "no warning for another name of the variable" || no "no warning for another name of the variable (output: $out)"
expect "logaddexp's gradient at infinite ties" 0 "(array([0.5, 0.5]), array([0.5, 0.5]))" -- "$kiln" -c $'x = array([inf, -inf]); y = array([inf, -inf])\nprint(grad(sum(logaddexp(x, y)), (x, y)))'
expect "the names' sharing changes between runs" 0 "2 [2. 3.]" -- "$kiln" -c $'X = array([1.0, 2.0])\nY = array([3.0, 4.0])\nfor k in range(3):\n    for z in [X, Y]:\n        gz = grad(sum(X * Y + z), z)\n        print(k, gz)'
out=$("$kiln" -c $'X = array([1.0, 2.0])\nY = array([3.0, 4.0])\nfor k in range(3):\n    for z in [X, Y]:\n        gz = grad(sum(X * Y + z), z)\n        print(k, gz)' 2>&1)
[ "$(grep -c '\[4. 5.\]' <<<"$out")" = 3 ] && [ "$(grep -c '\[2. 3.\]' <<<"$out")" = 3 ] && ok "each run's gradient for its own sharing" || no "each run's gradient for its own sharing (output: $out)"
# gradients at edges: sigmoid's far below zero is 0 (not NaN), logaddexp's at equal arguments half each, hypot's at
# the origin 0; and one update after another (w -= ..., b -= ...) warns of nothing: w is updated, not made from b
expect "sigmoid's gradient far below zero" 0 "[0.00000000e+000 0.00000000e+000 1.21678075e-308 2.50000000e-001] [0. 0.]" -- "$kiln" -c $'x = array([-1000., -710., -709., 0.])\nf = array([-89., -100.], dtype=float32)\nprint(grad(sum(sigmoid(x)), x), grad(sum(sigmoid(f)), f))'
expect "logaddexp's gradient at a tie" 0 "(array([0.5, 0.5]), array([0.5, 0.5])) [-0.38333333  0.08333333]" -- "$kiln" -c $'x = array([0.3, 0.0]); y = array([0.3, 0.0])\nX = array([[1.0, 2.0], [-1.0, 0.5], [0.3, -2.0]]); t = array([1.0, 0.0, 1.0]); w = zeros(2)\nprint(grad(sum(logaddexp(x, y)), (x, y)), grad(mean(logaddexp(0, X @ w) - t * (X @ w)), w))'
expect "hypot's gradient at the origin" 0 "(array([0. , 0.6]), array([0. , 0.8]))" -- "$kiln" -c $'x = array([0., 3.]); y = array([0., 4.])\nprint(grad(sum(hypot(x, y)), (x, y)))'
out=$("$kiln" -c $'x = array([1., 2., 3.]); y = array([2., 4., 7.])\nw = array(0.5); b = array(0.0)\nfor k in range(3):\n    w -= 0.1 * grad(mean((w * x + b - y) ** 2), w)\n    b -= 0.1 * grad(mean((w * x + b - y) ** 2), b)\nprint(w, b)' 2>&1)
[ "$out" = "2.2092266666666664 -0.009344000000000015" ] && ok "updates one after another warn of nothing" || no "updates one after another warn of nothing (output: $out)"
out=$("$kiln" -c $'x = array([1., 2., 3.]); y = array([2., 4., 7.])\nw = array(0.5); b = array(0.0)\nfor k in range(3):\n    w = w - 0.1 * grad(mean((w * x + b - y) ** 2), w)\n    b = b - 0.1 * grad(mean((w * x + b - y) ** 2), b)\nprint(w, b)' 2>&1)
[ "$out" = "2.2092266666666664 -0.009344000000000015" ] && ok "w = w - ... updates warn of nothing either" || no "w = w - ... updates warn of nothing either (output: $out)"
# unique's values inside grad(): a gather at each value's first place (a constant gave zeros)
expect "unique's gradient: to each value's first place" 0 "[100.   1.   0.  10.   0.] 14.0 [6. 2. 0. 4. 0.]" -- "$kiln" -c $'v = array([3.0, 1.0, 3.0, 2.0, 1.0])\nl, g = value_and_grad(sum(unique(v) ** 2), v)\nprint(grad(sum(unique(v) * array([1.0, 10.0, 100.0])), v), l, g)'
# grad()'s errors at the argument at fault: a seed of another shape, an integer variable
expect "a seed of another shape" 1 "error: -c:1:38: grad(): seed has shape (3,), which is not the expression's (2,)" -- "$kiln" -c 'w = ones(2); print(grad(w*2, w, seed=array([1.,2.,3.])))'
expect "an integer variable" 1 "error: -c:1:54: grad(): this variable is int64" -- "$kiln" -c 'w = ones(2); k = arange(2); print(grad(sum(w*k), (w, k)))'
expect "the first error ends a program" 1 "error:" -- "$kiln" -c $'a = arange(3)\nnope\na'
out=$("$kiln" -c $'a = arange(3)\nnope\na' 2>/dev/null)
[ -z "$out" ] && ok "nothing runs after the error" || no "statements ran after the error: $out"
expect ":help lists signatures" 0 "logsumexp(a, axis=None, keepdims=False)" -- "$kiln" -c ':help'
expect ":help NAME" 0 "the sum over axis" -- "$kiln" -c ':help sum'
expect ":help of a constant" 0 "as numpy.pi" -- "$kiln" -c ':help pi'
expect ":help np.NAME" 0 "np.linalg.svd: (u, s, vh)" -- "$kiln" -c ':help np.linalg.svd'
expect "help(np.sin), as Python's help()" 0 "sine" -- "$kiln" -c 'help(np.sin)'
expect "help() lists" 0 "Functions (:help NAME" -- "$kiln" -c 'help()'
# _ is the last value the REPL showed (as Python's), until the user binds a _ of their own
out=$(printf 'a = arange(4.)\na * 10\n_.sum()\n_ = 7\n1 + 1\n_\ndel _\n3\n_ + 1\n' | "$kiln" --transcript 2>&1 | grep -v '^kiln>' | tr '\n' ' ')
[ "$out" = "array([ 0., 10., 20., 30.]) np.float64(60.0) 2 7 3 4 " ] && ok "_ is the last value shown" || no "_ is the last value shown (output: $out)"
out=$(printf '0\nxs = [1, 2, 3]; xs.pop()\n_ * 10\nx = np.arange(3.)\nnp.add(x, 1, out=x)\n_.sum()\nhelp(np.sin,)\n' | "$kiln" --transcript 2>&1 | grep -v '^kiln>' | tr '\n' ' ')
[ "$out" = "0 3 30 array([1., 2., 3.]) np.float64(6.0) sin(x)     sine " ] && ok "_ after a pop and an out= shown; help(np.sin,)" || no "_ after xs.pop() and out= (output: $out)"
expect "exit(n) typed into the REPL is its status" 7 "kiln> exit(7)" -- sh -c "printf 'exit(7)\\n' | \"$kiln\" --transcript"
out=$(printf 'x = "%s"\nprint(len(x))\n' "$(head -c 6000 /dev/zero | tr '\0' a)" | "$kiln" - 2>&1)
[ "$out" = 6000 ] && ok "a string literal of 6000 characters (4095 were the most)" || no "a long string literal (output: $out)"
printf 'print(len("a\0b"))\n' > "$d/nul.kiln"
expect "a NUL byte inside a string literal is an error (it cut the string)" 1 "a NUL byte in the source" -- "$kiln" "$d/nul.kiln"
rm -f "$d/nul.kiln"
expect "exit(n) is the status" 5 "" -- "$kiln" -c 'x = 3; exit(x + 2); print("not run")'
out=$("$kiln" -c $'for i in range(9):\n    if i == 3:\n        exit("stopped")\n    print(i)' 2>&1; echo "status $?")
[ "$out" = $'0\n1\n2\nstopped\nstatus 1' ] && ok "exit(message) in a loop: printed, status 1" || no "exit(message) in a loop (output: $out)"
out=$(printf 'print(1)\nquit()\nprint(2)\n' | "$kiln" 2>&1; echo "status $?")
[ "$out" = $'1\nstatus 0' ] && ok "quit() ends standard input's program" || no "quit() (output: $out)"
expect "max and min of numbers are Python's" 0 "1.5 2.5 1 2 3" -- "$kiln" -c $'best = 10.0\nfor loss in [3.0, 5.0, 1.5]:\n    best = min(best, loss)\nprint(best, max(1, 2.5), min(3, 1, 2), max(2, 2.0), max(float64(2.0), 3))'
expect "choice without replacement: a permutation" 0 "[0 1 2 3 4 5 6 7 8 9]" -- "$kiln" -c 'seed(3); print(sort(np.random.choice(10, 10, replace=False)))'
expect "choice by probabilities" 0 "0 True (2000,)" -- "$kiln" -c 'd = choice(4, 2000, p=[0.1, 0.0, 0.6, 0.3]); print((d == 1).sum(), abs((d == 2).mean() - 0.6) < 0.05, d.shape)'
expect "choice of an array's elements" 0 "True (2, 3)" -- "$kiln" -c 'c = choice(array([1.5, 2.5]), size=(2, 3)); print(isin(c, [1.5, 2.5]).all(), c.shape)'
expect "shuffle moves rows in place" 0 "[0 1 2 3 4 5 6 7 8 9] 45 [1 1 1]" -- "$kiln" -c $'x = arange(10)\nnp.random.shuffle(x)\nM = arange(6).reshape(3, 2)\nshuffle(M)\nprint(sort(x), x.sum(), M[:, 1] - M[:, 0])'
expect "sum(generator, start) is Python's" 0 "13 [1. 5. 9.]" -- "$kiln" -c $'X = arange(6.).reshape(3, 2)\nprint(sum((i for i in range(3)), 10), sum(r for r in X.T))'
expect "from numpy import linalg as LA binds LA, np.linalg's (its trace)" 0 "2.0 1.0 [12. 39.] 1.0" -- "$kiln" -c $'from numpy import linalg as LA\nfrom numpy import asarray, ascontiguousarray\nfrom numpy import (linalg as L2)\nprint(LA.norm(ones(4)), LA.det(eye(2)), LA.trace(arange(18.).reshape(2, 3, 3)), L2.det(eye(2)))'
expect "import numpy as LA rebinds LA to numpy" 0 "[12. 14. 16.]" -- "$kiln" -c $'from numpy import linalg as LA\nimport numpy as LA\nprint(LA.trace(arange(18.).reshape(2, 3, 3)))'
expect "from numpy import NAME as ALIAS is refused (it bound nothing)" 1 "binds no ALIAS in kiln" -- "$kiln" -c $'from numpy import zeros as z\nprint(z(3))'
cbrt_want="[3.0, 13.0, 19.0, 1e+100, 4.641588833612774e-104, -2.0, 0.1, 2.1544346900318838e-97, 1.4422495703074083, -2.1544266950262728e-107]"
for tier in jit interp; do # the nearest float64 cube roots in both tiers (libmvec's were an ulp off at times: 12.999999999999998)
  expect "cbrt rounded to the nearest, KILN_TIER=$tier" 0 "$cbrt_want" -- env KILN_TIER=$tier "$kiln" -c $'v = array([27.0, 2197.0, 6859.0, 1e300, 1e-310, -8.0, 0.001, 1e-290, 3.0, -1e-320])\nprint(cbrt(v).tolist())'
done
# a number's too (NumPy's is its libm's or SVML's: 3.0000000000000004 without AVX-512, 3.0 with it)
expect "cbrt of a number rounded to the nearest" 0 "3.0 3.0 13.0 [ 3. 13.]" -- "$kiln" -c $'print(cbrt(27.0), cbrt(array(27.0)), cbrt(2197), cbrt(array([27.0, 2197.0])))'
expect "sum(list, start=...) is Python's" 0 "[[2. 2.]]" -- "$kiln" -c $'print(sum([ones((1, 2)), zeros((1, 2))], start=ones(2)))'
expect "sum(list) takes no NumPy keywords" 1 "'keepdims' is an invalid keyword argument for sum() of a list" -- "$kiln" -c $'print(sum([ones(2), ones(2)], keepdims=True))'
expect "sum(list) is Python's: element-wise of arrays (np.sum's is the total)" 0 "[0 2 4] [1. 3. 5.] 3.5 [4. 4.] 0 6 6" -- "$kiln" -c $'rows = [arange(3), arange(3)]\nprint(sum(rows), sum(rows, ones(3)), sum([1, 2.5]), sum((ones(2), ones(2) * 3)), sum([]), np.sum(rows), sum(arange(4)))'
expect "NumPy's integers index" 0 "array([0, 1, 2])" -- "$kiln" -c 'x = arange(10); n = sum(arange(3)); x[:n]'
# an out-of-bounds index names the axis of the array indexed, as NumPy's message does (not the
# axis of what the subscript made of it before taking)
while IFS='|' read -r sub said; do
  expect "out of bounds: $sub" 1 "$said" -- "$kiln" -c "x = arange(60).reshape(3, 4, 5); print($sub)"
done <<'CASES'
x[0, [0, 9], [1, 2]]|index 9 is out of bounds for axis 1 with size 4
x[[0, 2], [1, 3], [4, 9]]|index 9 is out of bounds for axis 2 with size 5
x[[0, 1], :, [1, 7]]|index 7 is out of bounds for axis 2 with size 5
x[None, 0, [0, 9], [1, 2]]|index 9 is out of bounds for axis 1 with size 4
x[None, [0, 9]]|index 9 is out of bounds for axis 0 with size 3
x[..., [0, 1], [2, 8]]|index 8 is out of bounds for axis 2 with size 5
x[[2, 0], ..., [1, 7]]|index 7 is out of bounds for axis 2 with size 5
x[[0, 1], [0, -5]]|index -5 is out of bounds for axis 1 with size 4
CASES
expect "out of bounds in an assignment" 1 "index 9 is out of bounds for axis 1 with size 4" -- "$kiln" -c 'x = arange(60).reshape(3, 4, 5); x[0, [0, 9], [1, 2]] = 1'
# one-element target lists unpack, as Python's
expect "n, = x.shape" 0 "5 10" -- "$kiln" -c 'x = arange(5.); n, = x.shape; print(n, n * 2)'
expect "(n,) = and [n] =" 0 "6 5" -- "$kiln" -c 'x = arange(5.); (n,) = x.shape; [m] = x.shape; print(n + 1, m)'
expect "c, = an array of one row" 0 "7.0" -- "$kiln" -c 'c, = array([7.]); print(c)'
expect "a, = nonzero(...)" 0 "[3 4]" -- "$kiln" -c 'x = arange(5.); a, = nonzero(x > 2); print(a)'
expect "(b) is b, (b,) unpacks" 0 "1 2 3" -- "$kiln" -c 'a, (b) = 1, 2; c, (d,) = 1, (3,); print(a, b, d)'
expect "n, = two values" 1 "too many values to unpack (expected 1)" -- "$kiln" -c 'n, = (1, 2)'
expect "for over a Python number" 1 "'int' object is not iterable" -- "$kiln" -c $'for i in 5:\n    pass'
expect "linalg. without np." 0 "[2. 2.] 4.0" -- "$kiln" -c 'A = eye(2) * 2; print(linalg.diagonal(A), linalg.det(A))'
expect "asfortranarray of a C-ordered array copies" 0 "[0. 1. 2.]" -- "$kiln" -c 'a = arange(6.).reshape(2, 3); b = asfortranarray(a); b[0, 0] = 9; print(a[0])'
expect "asfortranarray of a transpose is a view" 0 "[7. 4. 5.]" -- "$kiln" -c 'a = arange(6.).reshape(2, 3); b = asfortranarray(a.T); b[0, 1] = 7; print(a[1])'
expect "power.at of a negative integer exponent" 1 "Integers to negative integer powers are not allowed." -- "$kiln" -c 'a = arange(6); np.power.at(a, [2, 3], -1)'
expect "einsum's invalid subscript whole in UTF-8" 1 "invalid subscript 'é'" -- "$kiln" -c "einsum('é', arange(3))"
expect "an array's rows, too many" 1 "too many values to unpack (expected 2)" -- "$kiln" -c 'a, b = ones(3)'
expect "an array's rows, too few" 1 "not enough values to unpack (expected 2, got 1)" -- "$kiln" -c 'a, b = ones(1)'
expect "for u, in: refused" 1 "not supported in a for loop" -- "$kiln" -c $'for u, in [(1,), (2,)]:\n    print(u)'
# out= writes into out's memory (never ignored): in a statement of one call, or x = f(..., out=x); inside an expression it is refused
for call in "clip(x, 1, 3, out=x)" "x.clip(1, 3, out=x)" "np.clip(x, 1, 3, out=y)"; do
  expect "out=: $call" 0 "[1. 1. 2. 3. 3.] [1. 1. 2. 3. 3.]" -- "$kiln" -c "x = arange(5.); y = x; $call; print(x, y)"
done
expect "out=: x = round(..., out=x)" 0 "[0. 1. 2. 2.]" -- "$kiln" -c 'x = arange(4.) * 0.75 + 0.25; x = np.round(x, out=x); print(x)'
expect "out=: a view" 0 "[0. 5. 6. 7. 8.]" -- "$kiln" -c 'x = arange(5.); np.add(x[1:], 4, out=x[1:]); print(x)'
for call in "median(x, out=x)" "quantile(x, 0.5, out=x)" "sum(x, out=x)"; do
  expect "out= of another shape: $call" 1 "out= has shape (5,), the value shape ()" -- "$kiln" -c "x = arange(5.); $call"
done
expect "out= inside an expression" 1 "in a statement of one call" -- "$kiln" -c 'x = arange(5.); y = 2 * np.add(x, 1, out=x)'
expect "y = f(out=x)" 1 "in a statement of its own" -- "$kiln" -c 'x = arange(5.); y = np.add(x, 1, out=x)'
expect "out= of a list" 1 "out= takes an array's name" -- "$kiln" -c 'x = [1., 2.]; np.add(arange(2.), 1, out=x)'
expect "out= of a number" 1 "out= takes an array's name" -- "$kiln" -c 'x = 3.0; np.add(arange(2.), 1, out=x)'
expect "out= of a new array" 1 "out= takes an array's name" -- "$kiln" -c 'np.add(arange(2.), 1, out=zeros(2))'
expect "out= same_kind" 1 "with casting rule 'same_kind'" -- "$kiln" -c 'x = zeros(3, dtype=int32); np.add(arange(3.), 1, out=x)'
expect "where= without out=" 1 "give out= as well" -- "$kiln" -c 'x = arange(3.); np.add(x, 1, where=x > 0)'
expect "dtype= no loop" 1 "No loop matching" -- "$kiln" -c 'np.divide(arange(3), 2, dtype=int32)' 
expect "nan_to_num(copy=False) refused" 1 "copy=False" -- "$kiln" -c 'x = arange(5.); nan_to_num(x, copy=False)'
# Python's numbers: int() past 64 bits, int32 of a Python integer past int32, 0.0 ** -1
expect "int(1e20)" 1 "too large for kiln's 64-bit integers" -- "$kiln" -c 'int(1e20)'
expect "int(-9.2e18)" 0 "-9200000000000000000" -- "$kiln" -c 'print(int(-9.2e18))'
expect "int32(2**31)" 1 "Python integer 2147483648 out of bounds for int32" -- "$kiln" -c 'int32(2**31)'
expect "array([2**31], dtype=int32)" 1 "Python integer 2147483648 out of bounds for int32" -- "$kiln" -c 'array([1, 2**31], dtype=int32)'
expect "full(..., -2**31 - 1, dtype=int32)" 1 "Python integer -2147483649 out of bounds for int32" -- "$kiln" -c 'full(2, -2**31 - 1, dtype=int32)'
expect "int32's extremes fit" 0 "2147483647 -2147483648 [2147483647]" -- "$kiln" -c 'print(int32(2**31 - 1), int32(-2**31), array([2**31 - 1], dtype=int32))'
expect "0.0 ** -1" 1 "zero cannot be raised to a negative power" -- "$kiln" -c 'print(0.0 ** -1)'
expect "an array's 0 ** -1 is inf" 0 "[inf inf]" -- "$kiln" -c 'print(zeros(2) ** -1)'
# tuples are array-likes, as NumPy's; x[(1, 2)] is x[1, 2]; where(condition) is nonzero
expect "array of a tuple" 0 "[1 2 3] [[1 2]" -- "$kiln" -c 'print(array((1, 2, 3)), array([(1, 2), (3, 4)]))'
expect "an array plus a tuple" 0 "[1. 2. 3.]" -- "$kiln" -c 'print(zeros(3) + (1, 2, 3))'
expect "a tuple plus a tuple is still Python's" 0 "(1, 2, 3)" -- "$kiln" -c 'print((1, 2) + (3,))'
expect "x[(1, 2)]" 0 "5 [3 4 5]" -- "$kiln" -c 'x = arange(6).reshape(2, 3); i = (1, 2); print(x[i], x[(1,)])'
expect "where(condition)" 0 "(array([1, 1, 1]), array([0, 1, 2]))" -- "$kiln" -c 'print(where(arange(6).reshape(2, 3) > 2))'
expect "where(condition, x)" 1 "either both or neither of x and y" -- "$kiln" -c 'where(arange(3) > 1, 1)'
# Python's literals and strings: 0x 0o 0b, characters not bytes, printf's right alignment, a BOM
expect "hex, octal, binary literals" 0 "31 15 5 255" -- "$kiln" -c 'print(0x1f, 0o17, 0b1_01, 0XFF)'
expect "a bad binary digit" 1 "invalid digit in a binary literal" -- "$kiln" -c 'print(0b102)'
expect "len() and padding count characters" 0 "5 [  héllo] [  héllo] [     ab]" -- "$kiln" -c 's = "héllo"; print(len(s), f"[{s:>7}]", "[%7s]" % s, "[%7s]" % "ab")'
printf '\xef\xbb\xbfx = 1\nprint(x + 1)\n' > "$d/bom.kiln"
expect "a file starting with UTF-8's byte order mark" 0 "2" -- "$kiln" "$d/bom.kiln"
expect "the truth value of an empty array" 1 "The truth value of an empty array is ambiguous. Use \`array.size > 0\` to check that an array is not empty." -- "$kiln" -c 'bool(zeros(0))'
# from the review of the above: a tuple then a comma is an index array; views; edge cases
expect "x[(0, 1),] is x[[0, 1]]" 0 "[[0 1 2]" -- "$kiln" -c 'x = arange(6).reshape(2, 3); print(x[(0, 1),])'
expect "x[(0,),] keeps the axis" 0 "[[0]]" -- "$kiln" -c 'print(arange(3).reshape(3, 1)[(0,),])'
expect "x[(0, 1),] = 5 writes both rows" 0 "[[5 5 5]" -- "$kiln" -c 'x = arange(6).reshape(2, 3); x[(0, 1),] = 5; print(x)'
expect "atleast_1d is a view" 0 "[5. 0. 0.]" -- "$kiln" -c 'x = zeros(3); y = atleast_1d(x); y[0] = 5; print(x)'
expect "cross(axis=0)" 0 "[[-3. -3. -3.]" -- "$kiln" -c 'print(cross(arange(9.).reshape(3, 3), ones((3, 3)), axis=0))'
expect "inner of empty vectors" 0 "0.0" -- "$kiln" -c 'print(inner(zeros(0), zeros(0)))'
expect "bincount([])" 0 "[] [0 0 0]" -- "$kiln" -c 'print(bincount([]), bincount([], minlength=3))'
expect "0.0 ** -inf is inf" 0 "inf" -- "$kiln" -c 'print(0.0 ** -inf)'
expect "n, += 1 refused" 1 "an augmented assignment has one target" -- "$kiln" -c 'n = 1; n, += 1'
expect "int32 of a list past int32" 1 "Python integer 2147483648 out of bounds for int32" -- "$kiln" -c 'int32([1, 2**31])'
expect "int32(1e10)" 1 "out of bounds for int32" -- "$kiln" -c 'int32(1e10)'
expect "einsum with more labels than dims (fuzz: wrote past its labels)" 1 "name more dims than operand" -- "$kiln" -c "x = ones(2); einsum('abcdefghijk->', x)"
expect "comments and blank lines" 0 "array([1., 1.])" -- "$kiln" -c $'# a comment\n\nones(2)  # trailing'

# .npy out and back in
expect "save" 0 "" -- "$kiln" -c "a = linspace(0, 1, 5); save(\"$d/a.npy\", a*2)"
expect "load" 0 "array([0. , 0.5, 1. , 1.5, 2. ])" -- "$kiln" -c "load(\"$d/a.npy\")"
expect "failing save" 1 "No such file" -- "$kiln" -c "save(\"$d/no/dir/x.npy\", ones(2))"
[ -z "$(ls -A "$d" | grep -v -e '^a.npy$' -e '^w1.npy$' -e '^bom.kiln$')" ] && ok "a failing save leaves no file" || no "left: $(ls -A "$d")"
expect "corrupt file" 1 "not a valid .npy file" -- "$kiln" -c "load(\"$0\")"

# a script file and standard input
printf 'x = arange(4)\ny = x * x\ny\n' >"$d/s.kiln"
expect "script file" 0 "array([0, 1, 4, 9])" -- "$kiln" "$d/s.kiln"
expect "standard input" 0 "array([0, 1, 4, 9])" -- bash -c "\"$kiln\" < \"$d/s.kiln\""
printf 'x = arange(4)\ny = x +* 2\n' >"$d/bad.kiln"
expect "script error names file and line" 1 "error: $d/bad.kiln:2:8:" -- "$kiln" "$d/bad.kiln"
expect "missing script" 1 "error:" -- "$kiln" "$d/none.kiln"
expect ":ir" 0 "= sin" -- "$kiln" -c 'a = arange(3.); :ir sin(a)*sin(a)'
# the backend: LLVM's code where kiln has LLVM, the interpreter's program everywhere
if "$kiln" -c ':backend' | grep -q '^backend: cpu'; then llvm=1; else llvm=0; fi
expect ":backend" 0 "this build has:" -- "$kiln" -c ':backend'
expect ":backend interp" 0 "backend: interp" -- "$kiln" -c ':backend interp'
# CUDA without a driver (forced: KILN_CUDA_DRIVER names one that is not there): one sentence
expect ":backend cuda, no driver" 1 "libcuda.so.1 cannot be loaded" -- env KILN_CUDA_DRIVER=/nonexistent/libcuda.so.1 "$kiln" -c ':backend cuda'
expect "--backend cuda, no driver" 1 "needs the NVIDIA driver" -- env KILN_CUDA_DRIVER=/nonexistent/libcuda.so.1 "$kiln" --backend cuda -c '1+1'
expect "--backend unknown" 1 "no backend 'metal'" -- "$kiln" --backend metal -c '1+1'
expect ":code" 0 "multiply" -- "$kiln" -c 'a = arange(3.); :backend interp
:code a*2+1'
expect "KILN_BACKEND=interp" 0 "array([0.        , 0.84147098, 0.90929743])" -- env KILN_BACKEND=interp "$kiln" -c 'a = arange(3.); sin(a)'
if [ "$llvm" = 1 ]; then
  expect ":llvm" 0 "_ZGV" -- "$kiln" -c 'a = arange(3.); :llvm sin(a)*sin(a)'
  expect ":asm" 0 "ret" -- "$kiln" -c 'a = arange(3.); :asm a*2+1'
else
  expect ":llvm without LLVM" 1 "no LLVM IR" -- "$kiln" -c 'a = arange(3.); :llvm sin(a)*sin(a)'
fi
expect ":time" 0 "cached" -- "$kiln" -c 'a = arange(1000.); :time exp(a)*2'
# :time's cached runs change nothing: a del runs once, the random draws are the first run's (NumPy's next after)
out=$(printf 'xs = list(range(20))\n:time del xs[0]\nlen(xs)\nnp.random.seed(0)\n:time r = np.random.rand(3)\nnp.random.rand(2)\n:timeit t = np.random.rand(2)\nnp.random.rand(1)\n' | "$kiln" --transcript 2>&1 | grep -E '^(19|array)' | tr '\n' ' ')
[ "$out" = "19 array([0.54488318, 0.4236548 ]) array([0.64589411]) " ] && ok ":time and :timeit leave lists and random state as one run (or none) does" || no ":time's side effects (output: $out)"
out=$("$kiln" -c ':time print(4242)' 2>&1 | grep -c '^4242$')
[ "$out" = 1 ] && ok ":time print(x) prints once (its cached runs are mute)" || no ":time print(x) printed $out times"
expect ":cuda without a GPU" 0 "extern \"C\" __global__" -- env KILN_CUDA_DRIVER=/nonexistent/libcuda.so.1 "$kiln" -c 'a = arange(3.); :cuda sum(a*2)'
expect "unknown command" 1 "unknown command" -- "$kiln" -c ':frob'
if [ "$llvm" = 0 ]; then
  echo "skipped: the disk cache's tests (the interpreter keeps nothing on disk)"
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
fi
# tiers: a new kernel starts on the interpreter, and is compiled once it has run long enough
expect "auto tier interprets first" 0 "runs on the interpreter" -- env KILN_LOG=compile KILN_DISABLE_CACHE=1 "$kiln" -c 'a = arange(5.); a*3'
expect "a hot kernel is compiled" 0 "compiled kiln_" -- env KILN_LOG=compile KILN_DISABLE_CACHE=1 KILN_JIT_AFTER_MS=0 "$kiln" -c 'a = arange(5.); b = a*3; :time a*3'
expect "KILN_TIER=interp" 0 "runs on the interpreter (KILN_TIER=interp)" -- env KILN_LOG=compile KILN_TIER=interp KILN_DISABLE_CACHE=1 "$kiln" -c 'a = arange(5.); a*3'
# the disk cache, through the kiln program (kernels compiled before their first call)
export KILN_CACHE_DIR="$d/cache" KILN_TIER=jit
expect "first process compiles" 0 "stored on disk" -- env KILN_LOG=compile "$kiln" -c 'a = arange(5.); tanh(a) * 3'
expect "second process loads" 0 "loaded kiln_" -- env KILN_LOG=compile "$kiln" -c 'a = arange(7.); tanh(a) * 3'
expect "cache info" 0 "entries    1" -- "$kiln" cache info
expect "cache info counts" 0 "hits       1" -- "$kiln" cache info
expect "cache list" 0 ".ko" -- "$kiln" cache list
expect ":time from disk" 0 "loaded from the disk cache" -- "$kiln" -c 'a = arange(9.); :time tanh(a) * 3'
expect "cache prune" 0 "entries removed" -- "$kiln" cache prune
expect "cache clear" 0 "1 entries removed" -- "$kiln" cache clear
expect "cache off" 1 "disabled by KILN_DISABLE_CACHE" -- env KILN_DISABLE_CACHE=1 "$kiln" cache info
expect "cache usage" 2 "unknown cache command" -- "$kiln" cache frob
unset KILN_CACHE_DIR KILN_TIER
# grad() through a name an earlier statement computed from the variable: a warning (the gradient
# through it is zero), once per statement even in a loop; none when the expression is inline, or
# when the variable was bound again after the name was computed
expect "grad warns of a computed name" 0 "warning: -c:1:29: grad(): 'z' was computed from 'w'" -- "$kiln" -c 'w = ones(3); z = w * 2; g = grad(sum(z), w)'
expect "grad warns through two statements" 0 "'y' was computed from 'w'" -- "$kiln" -c 'w = ones(3); z = w * 2; y = z + 1; grad(sum(y * w), w)'
expect "grad warns through a tuple" 0 "'p' was computed from 'w'" -- "$kiln" -c 'w = ones(3); p, q = w * 2, 1; grad(sum(p), w)'
no_warning() {
  local name=$1 out; shift
  out=$("$kiln" -c "$1" 2>&1)
  if [ $? -eq 0 ] && ! grep -q "warning" <<<"$out"; then ok "$name"; else no "$name (output: $out)"; fi
}
no_warning "grad inline: no warning" 'w = ones(3); g = grad(sum(w * 2), w); g'
# functions that compute a part now (lstsq's rank, average's zero check) keep their graph inside grad(): the gradient flows
expect "grad through lstsq" 0 "True True" -- "$kiln" -c $'seed(0)\na = randn(20, 4)\nb = randn(20)\ng = grad(lstsq(a, b)[0].sum(), a)\ne = zeros((20, 4))\ne[0, 1] = 1e-6\nfd = (lstsq(a + e, b)[0].sum() - lstsq(a - e, b)[0].sum()) / 2e-6\nprint(abs(g[0, 1] - fd) < 1e-7, abs(g[0, 1]) > 1e-3)'
expect "grad through average's weights" 0 "True True" -- "$kiln" -c $'seed(1)\nb = randn(20)\nw = rand(20)\ng = grad(average(b, weights=w), w)\ne = zeros(20)\ne[3] = 1e-6\nfd = (average(b, weights=w + e) - average(b, weights=w - e)) / 2e-6\nprint(abs(g[3] - fd) < 1e-7, abs(g[3]) > 1e-3)'
no_warning "grad after w is bound again: no warning" 'w = ones(3); z = w * 2; w = ones(3); g = grad(sum(z * w), w)'
no_warning "a training loop: no warning" $'w = ones(3)\nx = ones((4, 3))\nfor i in range(3):\n    l, g = value_and_grad(sum((x @ w) ** 2), w)\n    w = w - 0.01 * g\nw'
expect "grad warns inside print" 0 "'h' was computed from 'w'" -- "$kiln" -c 'w = ones(3); h = w * 2; print(grad(sum(h * w), w))'
expect "grad warns after x[i] = f(w)" 0 "'x' was computed from 'w'" -- "$kiln" -c 'w = ones(3); x = zeros(3); x[0] = w[1] * 2; g = grad(sum(x * w), w)'
expect "grad warns of a loop variable" 0 "'r' was computed from 'w'" -- "$kiln" -c $'w = ones(3)\nfor r in w * 2:\n    g = grad(sum(r * w), w)'
expect "grad warns of a tuple's item" 0 "'t' was computed from 'a'" -- "$kiln" -c 'a = ones(2); t = (a, a * 2); g = grad(sum(t[1]), a)'
expect "grad does not warn of a variable in a tuple" 0 "[2. 2.]" -- "$kiln" -c 'a = ones(2); t = (a, a * 2); print(grad(sum(t[0] * t[0]), a))'
expect "grad warns of an array's rows unpacked" 0 "'a' was computed from 'w'" -- "$kiln" -c 'w = ones(3); a, b = ones((2, 3)) * w; g = grad(sum(a * w), w)'
no_warning "a tuple's names: each its own sources" 'w = ones(3); x = ones(3); a, c = w * 2, x; g = grad(sum(c * w), w)'
no_warning "integer and bool names carry no gradient: no warning" 'w = ones(3); m = w > 0; i = argsort(w); g = grad(sum(where(m, w, 0)) + sum(w[i]), w)'
no_warning "variables updated from each other's gradients, a batch of another size: no warning" "save(\"$d/w1.npy\", ones((3, 4)) * 0.1)"$'\nW1 = load("'"$d/w1.npy"$'")\nW2 = ones((4, 2)) * 0.2\nX = ones((10, 3))\nfor s in range(0, 10, 4):\n    xb = X[s:s+4]\n    loss, (dW1, dW2) = value_and_grad(mean(tanh(xb @ W1) @ W2), (W1, W2))\n    W1 -= 0.1 * dW1\n    W2 -= 0.1 * dW2'
out=$("$kiln" -c $'w = ones(3)\nfor i in range(3):\n    h = w * 2\n    g = grad(sum(h * w * randn(3)), w)' 2>&1)
[ "$(grep -c '^warning:' <<<"$out")" = 1 ] && ok "the warning once, a statement rebuilt each time" || no "the warning once, a statement rebuilt each time (output: $out)"
out=$("$kiln" -c $'w = ones(3)\nfor i in range(4):\n    z = w * 2\n    g = grad(sum(z), w)' 2>&1)
[ "$(grep -c '^warning:' <<<"$out")" = 1 ] && ok "the warning once in a loop" || no "the warning once in a loop (output: $out)"

# the vector products' shape errors in NumPy's words (they named matmul)
expect "vecdot's core dimensions" 1 "vecdot: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n),(n)->() (size 3 is different from 4)" -- "$kiln" -c 'print(vecdot(ones((2, 3, 4)), ones(3)))'
expect "vecmat's core dimensions" 1 "vecmat: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n),(n,m)->(m) (size 3 is different from 4)" -- "$kiln" -c 'print(vecmat(ones(4), ones((2, 3, 4))))'
expect "matvec's core dimensions" 1 "matvec: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,n),(n)->(m) (size 3 is different from 4)" -- "$kiln" -c 'print(matvec(ones((2, 3, 4)), ones(3)))'
expect "vdot's lengths" 1 "cannot reshape array of size 4 into shape (3,)" -- "$kiln" -c 'print(vdot(ones(3), ones(4)))'
# :vars shows a list's length and its repr on one line, cut
expect ":vars of a long list" 0 "z            list     10000 items: [0, 1, 2, 3" -- "$kiln" -c $'z = list(range(10000))\nm = [eye(2), 2]\n:vars'
out=$("$kiln" -c $'z = list(range(10000))\nm = [eye(2), 2]\n:vars' 2>&1)
[ "$(wc -l <<<"$out")" = 2 ] && grep -q '26, 2 \.\.\.$' <<<"$out" && grep -q 'm            list     2 items: \[array(\[\[1., 0.\], \[0., 1.\]\]), 2\]' <<<"$out" && ok ":vars: one line each, cut at 100 characters" || no ":vars: one line each, cut at 100 characters (output: $out)"

# NumPy's words where kiln refuses a write: into a read-only view (however it was reached), and a
# value of two dims into a mask of all of the array's
ro="assignment destination is read-only"
expect "a write into a diagonal" 1 "$ro" -- "$kiln" -c $'a = arange(9.).reshape(3, 3)\nd = a.diagonal()\nd[0] = 5'
expect "a write through a.diagonal()[...]" 1 "error: -c:2:1: $ro" -- "$kiln" -c $'a = arange(9.).reshape(3, 3)\na.diagonal()[1:][0] += 5'
expect "a write into a row of a broadcast in a for loop" 1 "error: -c:3:5: $ro" -- "$kiln" -c $'a = arange(3.)\nfor r in broadcast_to(a, (3, 3)):\n    r[0] = 7'
expect "a write into a row unpacked from a broadcast" 1 "$ro" -- "$kiln" -c $'a = arange(3.)\nx, y = broadcast_to(a, (2, 3))\nx[0] = 9'
expect "a write into one of a chained assignment's names" 1 "$ro" -- "$kiln" -c $'a = arange(9.).reshape(3, 3)\nb = c = a.diagonal()\nc[0] = 9'
expect "a write into a broadcast to the array's own shape" 1 "$ro" -- "$kiln" -c $'a = arange(3.)\nb = broadcast_to(a, (3,))\nb[0] = 9'
expect "a write through a[:2].diagonal()[...]" 1 "error: -c:2:1: $ro" -- "$kiln" -c $'a = arange(9.).reshape(3, 3)\na[:2].diagonal()[0] = 1'
expect "a write through a list's item's diagonal" 1 "$ro" -- "$kiln" -c $'a = arange(9.).reshape(3, 3)\nxs = [a]\nxs[0].diagonal()[0] += 50'
expect "a write into what np.f() returns" 1 "writes into what a function returns" -- "$kiln" -c $'a = arange(9.).reshape(3, 3)\nnp.diagonal(a)[0] = 1'
expect "a write into a broadcast in a tuple" 1 "$ro" -- "$kiln" -c $'a = arange(3.)\nt = (broadcast_to(a, a.shape), 1)\nt[0][0] = 5'
expect "an element of a diagonal is a value of its own" 0 "1.0 3.0" -- "$kiln" -c $'a = arange(9.).reshape(3, 3)\ns = diagonal(a * 2)[0]\ns += 1\nt = broadcast_to(arange(3.0), (2, 3))[1, 2]\nt += 1\nprint(s, t)'
expect "the array itself is written" 0 "[[0. 1.]" -- "$kiln" -c $'a = arange(4.).reshape(2, 2)\nd = a.diagonal()\nb = broadcast_to(a, (2, 2))\na += 0\na[0, 0] = 0\nprint(a)'
# from numpy import makes Python's builtins NumPy's (numpy-100's exercise 26); before it, and without it, they are Python's
expect "from numpy import *" 0 $'9 5 2 2 3\n10 [5 7] [1 0] 2.57 3 [4 6]' -- "$kiln" -c $'print(sum(range(5), -1), max(3, 5), min([4, 2, 8]), round(2.5), abs(-3))\nfrom numpy import *\nprint(sum(range(5), -1), max([[1, 5], [7, 0]], 1), min([[1, 5], [7, 0]], 0), round(2.567, 2), abs(-3), sum([[1, 2], [3, 4]], 0))'
expect "from numpy import sum, max" 0 "10 [5 7] 3 2" -- "$kiln" -c $'from numpy import sum, max\nprint(sum(range(5), -1), max([[1, 5], [7, 0]], 1), min(3, 4), round(2.5))'
expect "from numpy import in a loop" 0 $'9\n9\n10' -- "$kiln" -c $'for i in range(3):\n    s = sum(range(5), -1)\n    print(s)\n    if i == 1:\n        from numpy import sum'
expect "from numpy import of many names" 0 "10" -- "$kiln" -c $'from numpy import array, zeros, ones, arange, linspace, exp, log, sqrt, sum\nprint(sum(range(5), -1))'
expect "del after from numpy import" 0 $'9\n9' -- "$kiln" -c $'from numpy import sum\nsum = 5\ndel sum\nprint(sum(range(5), -1))\nfrom numpy import sum\ndel sum\nprint(sum(range(5), -1))'
expect "from numpy import rebinds a name" 0 $'3.141592653589793\n10' -- "$kiln" -c $'pi = 3\nfrom numpy import pi\nprint(pi)\nsum = 5\nfrom numpy import *\nprint(sum(range(5), -1))'
expect "Python's sum takes no axis=" 1 "'axis' is an invalid keyword argument for sum() of a list" -- "$kiln" -c $'a = array([1., 2.])\nprint(sum([a, a * 10], axis=1))'
expect "Python's sum's start" 0 "[6. 7.] 6" -- "$kiln" -c 'print(sum([arange(2.), ones(2)], 5), sum([1, 2], start=3))'
expect "a ufunc's reduceat" 1 "error: -c:1:14: np.add.reduceat is not supported: of a ufunc, kiln has .reduce, .accumulate, .outer and .at" -- "$kiln" -c 'print(np.add.reduceat(np.arange(8), [0, 4]))'
expect "sliding windows are read-only" 1 "error: -c:3:1: $ro" -- "$kiln" -c $'x = arange(6.)\nw = sliding_window_view(x, 3)\nw[0, 0] = 5'
expect "a gradient through sliding windows" 0 "[ 0.  4. 12. 18. 16. 10.]" -- "$kiln" -c $'x = arange(6.)\nprint(grad(sum(sliding_window_view(x, 3) ** 2), x))'
expect "a write through .real is the array's" 0 "[7. 9. 2.]" -- "$kiln" -c $'a = arange(3.)\nb = a.real\nb[0] = 7\na.real[1] = 9\nprint(a)'
expect "a write into .imag" 1 "error: -c:2:1: $ro" -- "$kiln" -c $'a = arange(3.)\na.imag[0] = 1'
expect "a 2-d value into a mask of all dims" 1 "NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, input has 2 dimensions" -- "$kiln" -c $'m = zeros((2, 3))\nm[m == 0] = arange(6.).reshape(2, 3)'

finish
