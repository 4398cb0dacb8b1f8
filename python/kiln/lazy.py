"""Lazy arrays: NumPy-style operators and functions that build one kiln expression, evaluated
(fused, compiled once, cached) when its value is asked for.

    x = kiln.asarray(np_array)              # no copy: the array is read when evaluated
    y = kiln.sin(x) * kiln.sin(x) + 2 * x   # nothing computed yet
    np.asarray(y)                           # one fused kernel; y.numpy() the same

An expression is kept as kiln's own text over its operands, so evaluating it is a call of
kiln.evaluate: the same expression over arrays of the same dtypes and shapes is parsed and
planned once.  Every function of kiln's language is reachable as kiln.NAME(...).

Text has no names for what an expression shares: x - (x*x - 2) / (2*x) writes x out four times,
so ten such steps wrote it 4**10 times (11 MB, and 15 steps ran out of memory).  An expression
whose text passes _LIMIT_TEXT characters, _LIMIT_DEPTH of the parser's levels or _LIMIT_OPS
operands is computed when it is made and goes on as an array (the same values; what follows
fuses from there; the arrays it read are read then, and rand() drawn then).  grad refuses a
variable that such a computed part depends on, rather than give its derivative without that
part (an unpickled expression no longer knows its parts' sources).
"""
import itertools
import operator
import re
import weakref

from ._kiln import evaluate

_counter = itertools.count()
_OPERAND = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|\b_k\d+\b""")  # (a string literal: skipped)
_LIMIT_TEXT, _LIMIT_DEPTH, _LIMIT_OPS = 8192, 80, 48  # (kiln's parser: 200 levels, a bracket two; evaluate: 64 names)


def _canonical(text, ops):
    """text with its operands renamed _k0, _k1... in order of appearance, and the operands by
    those names: the same expression over other arrays is the same text (evaluate's cache)."""
    names = {}
    for m in _OPERAND.finditer(text):
        if not m.group(1):
            names.setdefault(m.group(0), f"_k{len(names)}")
    return _OPERAND.sub(lambda m: m.group(1) or names[m.group(0)], text), {names[k]: v for k, v in ops.items() if k in names}


# Python's operator precedence, as kiln's language reads it: an operand is parenthesized only where
# it binds looser than its operator (each pair of parentheses is a level of the parser's 200:
# "(lhs) op (rhs)" took two a step, and x*1.0 + 1 fifty times was too deep)
_PREC = {"<": 1, "<=": 1, ">": 1, ">=": 1, "==": 1, "!=": 1, "|": 2, "^": 3, "&": 4, "<<": 5, ">>": 5,
         "+": 6, "-": 6, "*": 7, "/": 7, "//": 7, "%": 7, "@": 7, "**": 9}
_UNARY, _ATOM = 8, 10


def _merge(items):
    """The operands of items (expressions) as one set: one name per object (an array under two
    names is one variable, as grad needs: asarray(W) twice, or an expression and W itself), and a
    name two objects had (a deep copy, an unpickled or a forked expression's) kept by one of them.
    Returns the items' texts, renamed where needed, the operands and their computed parts' sources."""
    ops, named, texts, parts = {}, {}, [], {}
    for e in items:
        ren = {}
        for k, v in e._ops.items():
            j = named.get(id(v))
            if j is None:
                j = k if k not in ops else f"_k{next(_counter)}"
                ops[j], named[id(v)] = v, j
            if k in e._parts:  # (every occurrence's sources: one may hold a copy's)
                parts[j] = _union(parts.get(j, []), e._parts[k])
            if j != k:
                ren[k] = j
        texts.append(_OPERAND.sub(lambda m: m.group(1) or ren.get(m.group(0), m.group(0)), e._text) if ren else e._text)
    return texts, ops, parts


class Expr:
    """A lazy array: kiln text over named operands (buffers or other expressions' operands)."""

    __slots__ = ("_text", "_ops", "_prec", "_depth", "_parts")

    def __init__(self, text, ops, prec=None, depth=0, parts=None):
        self._text, self._ops = text, ops
        # (a literal such as -1 is a unary minus; a name, a call or a subscript an atom)
        self._prec = prec if prec is not None else _UNARY if text[:1] in "-+~" else _ATOM
        self._depth = depth  # brackets deep
        self._parts = parts or {}  # operand name -> weak references to what a computed part was made from

    def __getstate__(self):  # (pickle: the weak references stay behind)
        return self._text, self._ops, self._prec, self._depth

    def __setstate__(self, state):
        self._text, self._ops, self._prec, self._depth = state
        self._parts = {}

    def __copy__(self):
        return Expr(self._text, dict(self._ops), self._prec, self._depth, dict(self._parts))

    def __deepcopy__(self, memo):  # (the operands copied; the computed parts' sources still the originals)
        import copy
        return Expr(self._text, copy.deepcopy(self._ops, memo), self._prec, self._depth, dict(self._parts))

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """NumPy's ufuncs of a lazy array build kiln's expressions (np.sin(x), np_array + x,
        np.add.reduce(x, axis=0)); with out= the value is computed into out, as NumPy's (a += x)."""
        if method not in ("__call__", "reduce", "accumulate", "outer"):
            return NotImplemented
        out = kwargs.pop("out", None)
        out = out[0] if isinstance(out, tuple) and len(out) == 1 else out
        call = out is not None and method == "__call__"  # (reduce's where= picks the elements: kiln's own)
        where = kwargs.pop("where", True) if call else True
        casting = kwargs.get("casting", "same_kind") if call else "same_kind"  # (kiln's own check of the inputs reads it too)
        e = _call(ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}", (), inputs, kwargs)
        if out is None or isinstance(out, tuple):  # (several outputs: kiln's own out= check says so)
            return e if out is None else e.numpy(out=out)
        import numpy as np
        dt = getattr(out, "dtype", None)
        if dt is not None and e.dtype != dt:  # NumPy's casting of the value into out (float64 into a float32 out: same_kind)
            if not np.can_cast(e.dtype, dt, casting=casting):
                raise TypeError(f"Cannot cast ufunc '{ufunc.__name__}' output from {e.dtype!r} to {dt!r} with casting rule {casting!r}")
            e = e.astype(dt)
        shape = getattr(out, "shape", None)
        if call and shape is not None and tuple(shape) != e.shape:  # NumPy's: a call's value broadcast to out's shape (not reduce's)
            e = function("broadcast_to")(e, tuple(shape))
        if where is not True:  # out keeps its values where where is false
            e = function("where")(where, e, asarray(out))
        return e.numpy(out=out)

    def __format__(self, spec):  # computed, as NumPy's (a 0-d value formats as its number; a tuple as Python's)
        import numpy as np
        v = self.numpy()
        return format(v if isinstance(v, (tuple, list)) else np.asarray(v), spec)

    # ---- evaluation
    def numpy(self, out=None):
        """The value: a kiln.Array (numpy.asarray wraps it without a copy), or written into out."""
        text, ops = _canonical(self._text, self._ops)
        return evaluate(text, ops, {}, out=out)

    def __array__(self, dtype=None, copy=None):
        import numpy as np
        a = np.asarray(self.numpy())
        return a if dtype is None else a.astype(dtype, copy=False)

    def __repr__(self):
        return f"kiln.Expr({self._text!r})"

    # ---- operators (Python's, as kiln's language reads them)
    def _bin(self, other, op, right=False):
        o = _as_expr(other)
        lhs, rhs = (o, self) if right else (self, o)
        (lt, rt), ops, parts = _merge((lhs, rhs))
        p = _PREC[op]
        if op == "**":  # (right-associative, and its right side may be unary: 2 ** -x)
            wrap_l, wrap_r = lhs._prec <= p, rhs._prec < _UNARY
        elif p == 1:  # (comparisons chain: a < b < c is not (a < b) < c)
            wrap_l, wrap_r = lhs._prec <= p, rhs._prec <= p
        else:
            wrap_l, wrap_r = lhs._prec < p, rhs._prec <= p
        lt = f"({lt})" if wrap_l else lt
        rt = f"({rt})" if wrap_r else rt
        nest = op == "**"  # (the parser's levels: a bracket two, a power or a unary operator one)
        return _made(f"{lt} {op} {rt}", ops, p, max(lhs._depth + 2 * wrap_l + nest, rhs._depth + 2 * wrap_r + nest), parts)

    def __add__(self, o): return self._bin(o, "+")
    def __radd__(self, o): return self._bin(o, "+", True)
    def __sub__(self, o): return self._bin(o, "-")
    def __rsub__(self, o): return self._bin(o, "-", True)
    def __mul__(self, o): return self._bin(o, "*")
    def __rmul__(self, o): return self._bin(o, "*", True)
    def __truediv__(self, o): return self._bin(o, "/")
    def __rtruediv__(self, o): return self._bin(o, "/", True)
    def __floordiv__(self, o): return self._bin(o, "//")
    def __rfloordiv__(self, o): return self._bin(o, "//", True)
    def __mod__(self, o): return self._bin(o, "%")
    def __rmod__(self, o): return self._bin(o, "%", True)
    def __pow__(self, o): return self._bin(o, "**")
    def __rpow__(self, o): return self._bin(o, "**", True)
    def __matmul__(self, o): return self._bin(o, "@")
    def __rmatmul__(self, o): return self._bin(o, "@", True)
    def __and__(self, o): return self._bin(o, "&")
    def __rand__(self, o): return self._bin(o, "&", True)
    def __or__(self, o): return self._bin(o, "|")
    def __ror__(self, o): return self._bin(o, "|", True)
    def __xor__(self, o): return self._bin(o, "^")
    def __rxor__(self, o): return self._bin(o, "^", True)
    def __lshift__(self, o): return self._bin(o, "<<")
    def __rlshift__(self, o): return self._bin(o, "<<", True)
    def __rshift__(self, o): return self._bin(o, ">>")
    def __rrshift__(self, o): return self._bin(o, ">>", True)
    def __divmod__(self, o): return _call("divmod", {}, (self, o), {})
    def __rdivmod__(self, o): return _call("divmod", {}, (o, self), {})
    def __round__(self, ndigits=None): return _call("round", {}, (self,) if ndigits is None else (self, ndigits), {})
    def __lt__(self, o): return self._bin(o, "<")
    def __le__(self, o): return self._bin(o, "<=")
    def __gt__(self, o): return self._bin(o, ">")
    def __ge__(self, o): return self._bin(o, ">=")
    def __eq__(self, o): return self._bin(o, "==")  # noqa: PLE0307 -- element-wise, as NumPy's
    def __ne__(self, o): return self._bin(o, "!=")
    def _unary(self, op):
        wrap = self._prec <= _UNARY
        return _made(f"{op}({self._text})" if wrap else f"{op}{self._text}", self._ops, _UNARY, self._depth + 1 + 2 * wrap, self._parts)

    def __neg__(self): return self._unary("-")
    def __pos__(self): return self
    def __invert__(self): return self._unary("~")
    def __abs__(self): return _made(f"abs({self._text})", self._ops, None, self._depth + 2, self._parts)
    __hash__ = None

    def __contains__(self, v):  # NumPy's: v in x is (x == v).any()
        return bool(self._bin(v, "==").any())

    @property
    def T(self):
        return _made(f"({self._text}).T", self._ops, None, self._depth + 2, self._parts)

    @property
    def mT(self):
        return _made(f"({self._text}).mT", self._ops, None, self._depth + 2, self._parts)

    @property
    def real(self):  # (kiln's numbers are real: the array itself, as NumPy's .real of a real array)
        return self

    @property
    def imag(self):
        return _compose("imag({})", [self])

    @property
    def itemsize(self):
        return self.dtype.itemsize

    @property
    def nbytes(self):
        return self.size * self.dtype.itemsize

    # ---- what NumPy's arrays tell: kiln knows the shape and dtype from the expression, without
    # computing it (a parse, cached as any evaluate's)
    @property
    def shape(self):
        import numpy as np
        text, ops = _canonical(f"array(({self._text}).shape, dtype=int64)", self._ops)
        return tuple(int(d) for d in np.asarray(evaluate(text, ops, {})))

    @property
    def dtype(self):
        import numpy as np
        text, ops = _canonical(f"zeros((), dtype=({self._text}).dtype)", self._ops)
        return np.asarray(evaluate(text, ops, {})).dtype

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        n = 1
        for d in self.shape:
            n *= d
        return n

    def __len__(self):
        try:
            shape = self.shape
        except ValueError:  # a tuple's values (list(kiln.linalg.svd(x))): how many, from the parse alone
            import numpy as np
            text, ops = _canonical(f"len({self._text})", self._ops)
            try:
                return int(np.asarray(evaluate(text, ops, {})))
            except (ValueError, TypeError):
                pass
            raise
        if not shape:
            raise TypeError("len() of unsized object")
        return shape[0]

    # ---- Python numbers and truth values: computed, as NumPy's
    def __float__(self):
        import numpy as np
        return float(np.asarray(self))

    def __int__(self):
        import numpy as np
        return int(np.asarray(self))

    def __index__(self):
        import numpy as np
        return operator.index(np.asarray(self))

    def __bool__(self):
        import numpy as np
        v = self.numpy()
        return bool(v) if isinstance(v, (tuple, list)) else bool(np.asarray(v))  # (a tuple's or list's: Python's, its length)

    def __getitem__(self, key):
        items = [self] + [k if isinstance(k, Expr) else Expr(k, {}) for k in _index(key)]
        return _compose("({})[" + ", ".join("{}" for _ in items[1:]) + "]", items)

    def __iter__(self):
        """Iterating evaluates: a tuple's or a list's values (u, s, vh = kiln.linalg.svd(x);
        kiln.split(x, 3)), or an array's rows (indexing alone, lazily, would never end)."""
        import numpy as np
        v = self.numpy()
        return iter(v if isinstance(v, (tuple, list)) else np.asarray(v))

    def __getattr__(self, name):  # x.sum(axis=1), x.reshape(...), x.astype(float32)...: kiln's methods
        if name.startswith("_"):
            raise AttributeError(name)
        if name in _NO_ATTRIBUTES:  # NumPy's attributes of memory, which a lazy expression has none of
            raise AttributeError(f"a lazy kiln expression has no attribute '{name}' (kiln.evaluate(...) or numpy.asarray(x) gives an array that has)")
        if name in _RESULT_FIELDS:  # a field of NumPy's named tuple: kiln.linalg.svd(m).S
            return _made(f"({self._text}).{name}", self._ops, None, self._depth + 2, self._parts)
        if name in ("tolist", "item"):  # Python values: computed now, as NumPy's
            import numpy as np
            return lambda *args: getattr(np.asarray(self), name)(*args)

        def method(*args, **kw):
            if kw.get("order", "C") in ("C", "K", "A") and name in ("reshape", "ravel", "flatten", "copy", "astype"):
                kw.pop("order", None)  # (numpy.reshape(x, s) passes order='C'; kiln's arrays are C-ordered)
            return _call(f"({{}}).{name}", (self,), args, kw)
        return method


# names whose bare call in kiln's text is Python's (sum of a list, round of a number...): kiln.sum is np.sum
_PY_BUILTINS = frozenset(("sum", "round", "abs", "divmod", "pow", "max", "min"))

# the fields of NumPy's named tuples (svd's, eigh's, slogdet's, qr's, unique_all's...)
_RESULT_FIELDS = frozenset(("U", "S", "Vh", "Q", "R", "sign", "logabsdet", "eigenvalues", "eigenvectors", "values", "indices",
                            "inverse_indices", "counts"))
_NO_ATTRIBUTES = frozenset(("flat", "strides", "flags", "base", "data", "ctypes", "device"))


def _index(key):
    """A subscript's items: kiln's text of each, or an expression (an index array, a mask)."""
    import numpy as np
    if not isinstance(key, tuple):
        key = (key,)
    parts = []
    for k in key:
        if isinstance(k, slice):
            parts.append(":".join("" if v is None else repr(operator.index(v)) for v in (k.start, k.stop, k.step)))
        elif k is None:
            parts.append("None")
        elif k is Ellipsis:
            parts.append("...")
        elif isinstance(k, (bool, np.bool_)):
            parts.append("True" if k else "False")
        elif isinstance(k, (Expr, list, np.ndarray)) or (not isinstance(k, (int, np.integer)) and hasattr(k, "__array_interface__")):
            parts.append(_arg(k))  # an index array or a mask
        else:
            try:
                parts.append(repr(operator.index(k)))
            except TypeError:
                raise IndexError("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or "
                                 "boolean arrays are valid indices") from None
    return parts


def _strong_scalar(x):
    """Whether x is a NumPy scalar or 0-d array whose dtype a literal would lose: not bool,
    float64 or int64 (np.float32(1), np.int8(1); np.int64(1) reads as 1, so that a list of
    argsort's integers stays a list of axes)."""
    dt = getattr(x, "dtype", None)
    return (type(x) not in (bool, int, float) and getattr(x, "shape", None) == () and dt is not None and
            (dt.kind, dt.itemsize) not in (("b", 1), ("f", 8), ("i", 8)))


def _literal(v):
    """v as kiln's text when it is a Python literal; NumPy's scalars (np.float64 derives from
    float) are not: they go in as 0-d arrays, strong as in NumPy."""
    if type(v) is bool:
        return "True" if v else "False"
    if type(v) is int:
        return repr(v)
    if type(v) is float:
        return repr(v) if v == v and abs(v) != float("inf") else ("nan" if v != v else ("inf" if v > 0 else "-inf"))
    if isinstance(v, str):
        return repr(v)  # dtype names: astype('float32')
    if v is None:
        return "None"
    if isinstance(v, list) and any(_strong_scalar(x) for x in v):
        return None  # data: np.asarray's dtype ([np.float32(1)] is float32)
    if isinstance(v, (tuple, list)):
        items = [_literal(x.item() if hasattr(x, "item") and getattr(x, "shape", None) == () else x) for x in v]  # a tuple's NumPy scalars: shapes, axes
        if any(x is None for x in items):
            return None
        inner = ", ".join(items)
        return f"({inner},)" if isinstance(v, tuple) and len(v) == 1 else (f"({inner})" if isinstance(v, tuple) else f"[{inner}]")
    return None


def _as_expr(v):
    if isinstance(v, Expr):
        return v
    lit = _literal(v)
    if lit is not None and not isinstance(v, (str, tuple, list)):
        return Expr(lit, {})
    return asarray(v)


def _arg(v):
    """An argument of a call: an expression's text (its operands merged by the caller) or a literal."""
    if isinstance(v, Expr):
        return v
    if isinstance(v, (tuple, list)) and any(isinstance(x, Expr) for x in v):  # grad(f, (W, b)); x[[i, 2]]
        items = [_arg(x) for x in v]
        inner = ", ".join("{}" for _ in items)
        return _compose(f"({inner},)" if isinstance(v, tuple) else f"[{inner}]", items)
    lit = _literal(v)
    if lit is not None:
        return Expr(lit, {})
    if isinstance(v, type):  # a type NumPy reads as a dtype (np.float32, int as int64; np.float16 and complex: kiln's message names them)
        import numpy as np
        try:
            return Expr(repr(np.dtype(v).name), {})
        except TypeError:
            pass
    if hasattr(v, "__name__") and getattr(v, "__module__", "") == "numpy":  # np.float32 as a dtype
        return Expr(v.__name__, {})
    if type(v).__name__.endswith("DType") or type(v).__name__ == "dtype":  # numpy.dtype('int32')
        return Expr(repr(str(v)), {})
    return asarray(v)


def _compose(fmt, items, prec=None):
    """fmt (str.format's {} for each of items' texts) over items' operands, one bracket deeper."""
    texts, ops, parts = _merge(items)
    return _made(fmt.format(*texts), ops, prec, 2 + max((e._depth for e in items), default=0), parts)


def _made(text, ops, prec, depth, parts):
    """A new expression, computed now when it has grown past the limits (see the module's note)."""
    e = Expr(text, ops, prec, depth, parts)
    if len(text) <= _LIMIT_TEXT and depth <= _LIMIT_DEPTH and len(ops) <= _LIMIT_OPS:
        return e
    v = e.numpy()
    if isinstance(v, tuple):  # (a tuple's values stay an expression)
        return e
    sources = _union([_ref(o) for o in ops.values()], [r for refs in parts.values() for r in refs])
    name = f"_k{next(_counter)}"
    return Expr(name, {name: v}, None, 0, {name: sources})


def _union(refs, more):
    """refs and the references in more to objects refs lacks (each object once, the dead left out)."""
    seen = {id(r()) for r in refs if r() is not None}
    out = [r for r in refs if r() is not None]
    for r in more:
        o = r()
        if o is not None and id(o) not in seen:
            seen.add(id(o))
            out.append(r)
    return out


def _ref(o):
    """A reference to o: weak where o takes one (a bytearray does not: held then)."""
    try:
        return weakref.ref(o)
    except TypeError:
        return lambda: o


def _call(fn, heads, args, kw):
    """fn(args, kw=...) where fn is a name, or a format over heads' texts ("({}).sum" for x.sum)."""
    items, inner = list(heads), []
    for a in args:
        items.append(_arg(a))
        inner.append("{}")
    for k, a in kw.items():
        items.append(_arg(a))
        inner.append(f"{k}={{}}")
    return _compose(fn + "(" + ", ".join(inner) + ")", items)


def _grad_sources_check(name, args, kw):
    """grad(f, x): a computed part of f made from x would be a constant to kiln: refused."""
    f = args[0] if args else kw.get("expr")
    wrt = args[1] if len(args) > 1 else kw.get("wrt")
    if not isinstance(f, Expr) or wrt is None:
        return
    wrt = wrt if isinstance(wrt, (tuple, list)) else (wrt,)
    targets = [o for w in wrt for o in (w._ops.values() if isinstance(w, Expr) else (w,))]
    for refs in f._parts.values():
        if any(r() is t for r in refs for t in targets):
            raise ValueError(f"{name}(): part of the function was computed ahead from the variable (its text grew past "
                             f"{_LIMIT_TEXT} characters, {_LIMIT_DEPTH} brackets or {_LIMIT_OPS} operands), and kiln "
                             "cannot differentiate through it: build the function without reusing so much of it")


def eval_many(*exprs, out=None):
    """The values of several expressions from one plan (what they share computed once): a tuple
    of kiln.Array, or written into out (a tuple of as many arrays)."""
    if not exprs:
        raise TypeError("eval_many() takes one expression or more")
    items = [_as_expr(e) for e in exprs]
    if out is not None:
        out = tuple(out) if isinstance(out, (tuple, list)) else None
        if out is None or len(out) != len(items):
            raise ValueError(f"eval_many(): out must be a tuple of {len(items)} array{'s' if len(items) > 1 else ''}, one for each expression")
    if len(items) == 1:
        return (items[0].numpy(out=out[0] if out else None),)
    texts, ops, _ = _merge(items)
    text, ops = _canonical(", ".join(f"({t})" for t in texts), ops)
    return evaluate(text, ops, {}, out=out)


def asarray(a):
    """A lazy array over a's memory (any object with the buffer protocol; not copied)."""
    if isinstance(a, Expr):
        return a
    if isinstance(a, (list, tuple, int, float, bool)):  # nested lists of numbers, a number: NumPy's array of them
        import numpy as np
        a = np.asarray(a)
        if (a.dtype.kind, a.dtype.itemsize) not in (("f", 8), ("f", 4), ("i", 8), ("i", 4), ("i", 2), ("i", 1), ("u", 4), ("u", 2),
                                                    ("u", 1), ("b", 1)):
            raise TypeError(f"kiln has no dtype for these values (NumPy reads them as {a.dtype}): "
                            "kiln's are float64, float32, int64, int32, int16, int8, uint32, uint16, uint8 and bool")
    if getattr(getattr(a, "dtype", None), "kind", "") in ("M", "m"):  # (a datetime64 scalar exports its 8 bytes as uint8)
        raise TypeError(f"kiln.asarray: this array is of dtype {a.dtype}: kiln's dtypes are float64, float32, int64, int32, int16, "
                        "int8, uint32, uint16, uint8 and bool")
    try:
        memoryview(a)
    except TypeError:
        raise TypeError(f"kiln cannot read a {type(a).__name__} as an array: it takes objects with the buffer protocol "
                        "(NumPy arrays) of float64, float32, signed and unsigned integers up to int64 and uint32, or bool, and "
                        "Python numbers") from None
    name = f"_k{next(_counter)}"
    return Expr(name, {name: a})


def function(name):
    """kiln's function NAME as a Python function building expressions (kiln.sin, kiln.sum...)."""
    def f(*args, **kw):
        if name in ("grad", "value_and_grad"):
            _grad_sources_check(name, args, kw)
        return _call(f"np.{name}" if name in _PY_BUILTINS else name, (), args, kw)
    f.__name__ = name
    f.__doc__ = f"kiln's {name}(...), lazily: an expression evaluated by .numpy() or numpy.asarray."
    return f
