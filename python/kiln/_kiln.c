/*
 * _kiln.c — kiln for Python: numexpr's evaluate() over kiln's parser, fusion, JIT and caches.
 *
 * Operands come in through the buffer protocol (any dtype kiln has, any strides, read-only or
 * writable) and are wrapped without a copy; an ndarray's fields are read directly where the
 * build had NumPy's headers (its buffer export costs more than the rest of a small call).
 * Results go out as kiln.Array objects, which export the buffer protocol, so numpy.asarray
 * wraps them without a copy either.
 *
 *     evaluate(text, names, values, out)
 *       key: the text, the names, each value's dtype and shape (a Python number's value)
 *         ├─ hit:  the template's placeholders bound to the operands' buffers ─▶ launch
 *         └─ miss: parsed once with the operands (kiln_parse_params), kept as a template
 *
 * A template is an expression over placeholders: a repeated call costs the key, the binding
 * and the launch (plan and kernel are cached on the expression).  The GIL is released while
 * kernels run.  A template in use by one thread is not shared: another thread parses its own.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <kiln.h>
#include <math.h>
#include <signal.h>
#include <unistd.h>
#include <stdbool.h>
#include <string.h>
#ifdef KILN_HAVE_NUMPY /* NumPy's C API: an ndarray's fields read directly, not through its buffer export */
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>
#endif

#define MAX_OPERANDS 64
#define MAX_VALUES 4096 /* arrays of a value's tuples and lists ("a*b, sum(a*b)", split(x, 3)), evaluated together */
#define MAX_FORM (4 * MAX_VALUES) /* the room for the value's form (kiln_parse_params_form) */

static kiln_ctx *ctx;       /* one context for the interpreter's life */
static PyObject *templates; /* key -> Template */
static PyObject *named_types; /* a named tuple's head ("SVDResult U S Vh") -> its namedtuple class */

/* ------------------------------------------------------------------ Ctrl-C */

/* Kernels run with the GIL released, and Python's SIGINT handler only notes the signal for the
 * main thread to act on once it holds the GIL again: a ten-second kernel ignored Ctrl-C for ten
 * seconds.  Where Python's handler is installed when kiln loads, kiln's goes in front of it: while
 * the main thread runs a kernel (main_running) it stops the context's kernels at their next piece
 * (kiln_interrupt), and it always calls Python's.  The main thread's evaluation that comes back
 * interrupted raises the KeyboardInterrupt there (PyErr_CheckSignals) and clears the context's
 * flag.  Another thread's evaluation caught by it waits for the main thread's to end (which
 * clears the flag) and runs again, or, where its out is also an operand (its partial writes would
 * be read again), raises KeyboardInterrupt in its thread too; so does the main thread's where the
 * handler raised nothing.  A Ctrl-C while Python code runs leaves kiln alone.  (A handler the
 * program installs later, signal.signal, replaces kiln's: kernels then finish.) */
static struct sigaction python_sigint;
static volatile sig_atomic_t main_running; /* the main thread is in a kernel (its GIL released) */
static unsigned long main_thread;

static void on_sigint(int sig, siginfo_t *info, void *uc) {
    if (ctx && main_running) kiln_interrupt(ctx); /* (an atomic store) */
    if (python_sigint.sa_flags & SA_SIGINFO) python_sigint.sa_sigaction(sig, info, uc);
    else if (python_sigint.sa_handler != SIG_DFL && python_sigint.sa_handler != SIG_IGN) python_sigint.sa_handler(sig);
}

static void watch_sigint(void) {
    struct sigaction now, sa;
    PyObject *th = PyImport_ImportModule("threading"), *m = th ? PyObject_CallMethod(th, "main_thread", NULL) : NULL;
    PyObject *id = m ? PyObject_GetAttrString(m, "ident") : NULL;
    main_thread = id ? PyLong_AsUnsignedLong(id) : PyThread_get_thread_ident();
    Py_XDECREF(id);
    Py_XDECREF(m);
    Py_XDECREF(th);
    PyErr_Clear();
    if (sigaction(SIGINT, NULL, &now) != 0 || now.sa_handler == SIG_DFL || now.sa_handler == SIG_IGN ||
        ((now.sa_flags & SA_SIGINFO) && now.sa_sigaction == on_sigint)) /* (a second load of the module: in front already) */
        return;
    python_sigint = now;
    sa = now;
    sa.sa_flags |= SA_SIGINFO;
    sa.sa_sigaction = on_sigint;
    sigaction(SIGINT, &sa, NULL);
}

typedef enum { RUN_ONE, RUN_INTO, RUN_MANY } run_kind;

/* The bytes an array's elements span. */
static void extent(const kiln_array *a, const char **lo, const char **hi) {
    const char *p = kiln_array_data((kiln_array *)a);
    int64_t l = 0, h = (int64_t)kiln_dtype_size(kiln_array_dtype(a));
    for (int d = 0; d < kiln_array_ndim(a); d++) {
        int64_t span = (kiln_array_shape(a)[d] - 1) * kiln_array_strides(a)[d];
        if (kiln_array_shape(a)[d] == 0) h = l; /* (empty: nothing) */
        else if (span < 0) l += span;
        else h += span;
    }
    *lo = p + l, *hi = p + h;
}

/* Whether running again is safe after a partial run: no output shares memory with an input
 * (out=a of a*2, cut midway, would double the part already written twice). */
static bool rerun_safe(kiln_array *const *outs, int nout, kiln_array *const *ins, int nin) {
    for (int o = 0; o < nout; o++) {
        const char *ol, *oh, *il, *ih;
        if (!outs[o]) continue;
        extent(outs[o], &ol, &oh);
        for (int i = 0; i < nin; i++)
            if (ins[i] && (extent(ins[i], &il, &ih), il < oh && ol < ih)) return false;
    }
    return true;
}

/* An evaluation with the GIL released (see the note above on Ctrl-C); -1 with the handler's
 * exception set (KeyboardInterrupt), else the evaluation's status (its result in *got for
 * RUN_ONE).  ins are the evaluation's inputs (nin of them). */
static int run_released(run_kind kind, int n, kiln_expr *const *es, kiln_array **outs, kiln_array *into, kiln_array **got,
                        kiln_array *const *ins, int nin) {
    bool main = PyThread_get_thread_ident() == main_thread;
    for (;;) {
        kiln_status st;
        kiln_array *a = NULL;
        Py_BEGIN_ALLOW_THREADS
        if (main) main_running = 1;
        if (kind == RUN_MANY) st = kiln_eval_many(ctx, n, es, outs);
        else if (kind == RUN_INTO) st = kiln_eval_into(ctx, es[0], into);
        else st = (a = kiln_eval(ctx, es[0])) ? KILN_OK : kiln_errcode(ctx);
        if (main) {
            main_running = 0;
            kiln_clear_interrupt(ctx); /* (only the main thread's kernels are stopped: the flag is its) */
        } else if (st == KILN_ERR_INTERRUPTED) {
            while (main_running) usleep(1000); /* (the main thread's run clears it as it ends) */
            kiln_clear_interrupt(ctx);         /* (or a stale one: set as the main thread's run ended) */
        }
        Py_END_ALLOW_THREADS
        if (got) *got = a;
        if (st != KILN_ERR_INTERRUPTED) return st;
        kiln_clear_error(ctx);
        if (main && PyErr_CheckSignals() < 0) return -1;
        if (kind != RUN_ONE && !rerun_safe(kind == RUN_INTO ? &into : outs, kind == RUN_INTO ? 1 : n, ins, nin)) {
            PyErr_SetString(PyExc_KeyboardInterrupt, "kiln: Ctrl-C stopped this evaluation, whose out overlaps its operands: out is partly written");
            return -1;
        }
    }
}

/* ------------------------------------------------------------------ errors */

/* NumPy's exception class module.name (a new reference), or NULL without an error where NumPy
 * is not there. */
static PyObject *numpy_class(const char *module, const char *name) {
    PyObject *m = PyImport_ImportModule(module), *c = m ? PyObject_GetAttrString(m, name) : NULL;
    Py_XDECREF(m);
    if (!c || !PyExceptionClass_Check(c)) {
        Py_XDECREF(c);
        PyErr_Clear();
        return NULL;
    }
    return c;
}

/* The context's error as a Python exception (with a caret under text's offending token). */
static PyObject *raise_kiln(kiln_status st, const char *text) {
    if (st == KILN_ERR_INTERRUPTED) { /* (a parse's evaluation, cut by a stale flag: Ctrl-C's all the same) */
        kiln_clear_interrupt(ctx);
        kiln_clear_error(ctx);
        if (PyErr_CheckSignals() == 0) PyErr_SetString(PyExc_KeyboardInterrupt, "kiln: interrupted");
        return NULL;
    }
    const char *msg = kiln_errmsg(ctx);
    int64_t off = kiln_error_offset(ctx);
    PyObject *type = st == KILN_ERR_NOMEM ? PyExc_MemoryError : st == KILN_ERR_DTYPE ? PyExc_TypeError : st == KILN_ERR_INDEX ? PyExc_IndexError : PyExc_ValueError;
    /* two of kiln's dtype errors are NumPy's sentences of other exceptions: a Python integer out
     * of an array's range (OverflowError) and an integer's negative power (ValueError) */
    if (st == KILN_ERR_DTYPE && strstr(msg, "Python integer ") && strstr(msg, " out of bounds for ")) type = PyExc_OverflowError;
    if (st == KILN_ERR_DTYPE && !strncmp(msg, "Integers to negative integer powers", 35)) type = PyExc_ValueError;
    /* text that is no Python is Python's SyntaxError (numexpr's too), as Python's own compile
     * says; Python that kiln's language leaves out (5j, {1: 2}, import) stays a ValueError */
    if (st == KILN_ERR_SYNTAX && text) {
        const char *t = text;
        while (*t == ' ' || *t == '\t') t++; /* (kiln reads an indented expression) */
        PyCompilerFlags flags = _PyCompilerFlags_INIT;
        flags.cf_flags = PyCF_ONLY_AST; /* (the parse alone: no compiler's warnings, [1, 2](0)'s SyntaxWarning) */
        PyObject *code = Py_CompileStringExFlags(t, "<kiln>", Py_eval_input, &flags, -1);
        if (!code && PyErr_ExceptionMatches(PyExc_SyntaxError)) type = PyExc_SyntaxError;
        Py_XDECREF(code);
        PyErr_Clear();
    }
    /* Python's own sentences, of the exceptions Python raises with them: a call's arguments
     * (TypeError), a Python number's division by zero (ZeroDivisionError) */
    static const char *const type_errors[] = {"got an unexpected keyword argument", " missing required argument", "object cannot be interpreted as an integer",
                                              "got multiple values for argument", "positional argument", "object is not iterable",
                                              "object is not callable", "object is not subscriptable", "len() of unsized object",
                                              "Axis must be specified when shapes of a and weights differ", NULL};
    for (int i = 0; st == KILN_ERR_ARG && type_errors[i]; i++)
        if (strstr(msg, type_errors[i])) type = PyExc_TypeError;
    if (st == KILN_ERR_ARG && (!strcmp(msg, "division by zero") || !strcmp(msg, "float division by zero") || !strcmp(msg, "integer division or modulo by zero") ||
                               !strcmp(msg, "float modulo") || !strcmp(msg, "float floor division by zero") || !strcmp(msg, "integer modulo by zero")))
        type = PyExc_ZeroDivisionError;
    /* and NumPy's own classes, as its callers catch them: np.linalg.LinAlgError (a ValueError) and
     * numpy.exceptions.AxisError (a ValueError and an IndexError) */
    PyObject *own = NULL;
    const char *linalg[] = {": Singular matrix", ": Matrix is not positive definite", ": SVD did not converge", ": Eigenvalues did not converge",
                            "Last 2 dimensions of the array must be square", "-dimensional array given. Array must be at least two-dimensional"};
    size_t ml = strlen(msg);
    for (int i = 0; i < 6 && !own; i++) /* (linalg.c's sentences, ending the message: not a user's text inside one) */
        if (ml >= strlen(linalg[i]) && !strcmp(msg + ml - strlen(linalg[i]), linalg[i])) own = numpy_class("numpy.linalg", "LinAlgError");
    const char *ax = strstr(msg, "axis "), *oob = ax ? strstr(ax, " is out of bounds for array of dimension ") : NULL;
    if (!own && st == KILN_ERR_ARG && oob && !strchr(oob + 41, ' ') && !strchr(oob + 41, '\'')) own = numpy_class("numpy.exceptions", "AxisError");
    if (own) type = own;
    if (text && off >= 0 && off <= (int64_t)strlen(text)) {
        /* the line the offset is on, and the caret under it: a tab for a tab before it, a space
         * for each other character (not its UTF-8 bytes: ü + zz) */
        int64_t line = off;
        while (line > 0 && text[line - 1] != '\n' && text[line - 1] != '\r') line--;
        size_t len = strcspn(text + line, "\n\r"), cols = 0;
        char pad[4097];
        for (int64_t i = line; i < off && cols < sizeof pad - 1; i++)
            if (((unsigned char)text[i] & 0xC0) != 0x80) pad[cols++] = text[i] == '\t' ? '\t' : ' ';
        pad[cols] = 0;
        PyObject *src = PyUnicode_DecodeUTF8(text + line, (Py_ssize_t)len, "replace");
        if (src) PyErr_Format(type, "%s\n    %U\n    %s^", msg, src, pad);
        Py_XDECREF(src);
    } else {
        PyErr_SetString(type, msg);
    }
    Py_XDECREF(own);
    kiln_clear_error(ctx);
    return NULL;
}

/* ------------------------------------------------------------------ buffers */

/* The dtype of a buffer's format; *swap when its byte order is not this machine's. */
static int dtype_of(const Py_buffer *v, kiln_dtype *dt, bool *swap) {
    const char *f = v->format ? v->format : "B";
#if PY_BIG_ENDIAN
    *swap = *f == '<';
#else
    *swap = *f == '>' || *f == '!';
#endif
    if (*f == '<' || *f == '>' || *f == '!' || *f == '=' || *f == '@') f++;
    if (f[0] && f[1]) return -1;
    switch (f[0]) {
    case 'd': *dt = KILN_F64; return v->itemsize == 8 ? 0 : -1;
    case 'f': *dt = KILN_F32; return v->itemsize == 4 ? 0 : -1;
    case '?': *dt = KILN_BOOL; *swap = false; return v->itemsize == 1 ? 0 : -1;
    case 'B': *dt = KILN_U8; *swap = false; return v->itemsize == 1 ? 0 : -1;
    case 'b': *dt = KILN_I8; *swap = false; return v->itemsize == 1 ? 0 : -1;
    case 'h': *dt = KILN_I16; return v->itemsize == 2 ? 0 : -1;
    case 'H': *dt = KILN_U16; return v->itemsize == 2 ? 0 : -1;
    case 'I':
    case 'L': *dt = KILN_U32; return v->itemsize == 4 ? 0 : -1; /* (uint64 is not kiln's) */
    case 'i':
    case 'l':
    case 'q':
        if (v->itemsize == 8) *dt = KILN_I64;
        else if (v->itemsize == 4) *dt = KILN_I32;
        else return -1;
        return 0;
    }
    return -1;
}

/* An operand's buffer and its kiln array (wrapped, no copy). */
typedef struct operand {
    Py_buffer view;
    bool held;
    bool direct;   /* view filled from an ndarray's fields: view.obj a reference, no export;
                      its shape and strides copied here (Python code run meanwhile may reshape it) */
    Py_ssize_t shape[KILN_MAX_DIMS], strides[KILN_MAX_DIMS];
    bool swap;     /* read through a native copy (as NumPy converts): the other byte order, or unaligned */
    bool flip;     /* the other byte order: the copy's bytes reversed */
    bool borrowed; /* a is a template's wrapper (not a reference of the operand's) */
    kiln_array *a;
    kiln_dtype dt;
    PyObject *lit; /* a literal operand's text (literal_text's: read once a call) */
} operand;

static void operand_release(operand *o) {
    if (!o->borrowed) kiln_array_free(o->a);
    o->borrowed = false;
    o->a = NULL;
    if (o->held && o->direct) Py_CLEAR(o->view.obj);
    else if (o->held) PyBuffer_Release(&o->view);
    o->held = o->direct = false;
    Py_CLEAR(o->lit);
}

/* An ndarray of kiln's dtypes in this machine's byte order (writable for an output) read as its
 * buffer would be, without the export (NumPy's costs about 0.15 us an operand): 1, or 0 where
 * the buffer protocol is to take it (another dtype, the other byte order, read-only: its errors). */
static int operand_ndarray(PyObject *obj, bool writable, operand *o) {
#ifdef KILN_HAVE_NUMPY
    static int api = -1; /* NumPy's C API: -1 not looked for yet, 0 unusable, 1 imported */
    if (api < 0) {
        if (!PyDict_GetItemString(PyImport_GetModuleDict(), "numpy")) return 0; /* not imported: no ndarray exists yet */
        api = _import_array() < 0 ? 0 : 1;
        if (!api) PyErr_Clear();
    }
    if (api != 1 || !PyArray_Check(obj)) return 0;
    PyArrayObject *arr = (PyArrayObject *)obj;
    int nd = PyArray_NDIM(arr);
    npy_intp es = PyArray_ITEMSIZE(arr);
    static const char fmt[][2] = {"d", "f", "?", "B", "i", "q", "b", "h", "H", "I"};
    kiln_dtype dt;
    int f;
    switch (PyArray_TYPE(arr)) {
    case NPY_DOUBLE: dt = KILN_F64, f = 0; break;
    case NPY_FLOAT: dt = KILN_F32, f = 1; break;
    case NPY_BOOL: dt = KILN_BOOL, f = 2; break;
    case NPY_UBYTE: dt = KILN_U8, f = 3; break;
    case NPY_BYTE: dt = KILN_I8, f = 6; break;
    case NPY_SHORT: dt = KILN_I16, f = 7; break;
    case NPY_USHORT: dt = KILN_U16, f = 8; break;
    case NPY_UINT:
    case NPY_ULONG:
        if (es != 4) return 0; /* (uint64: the buffer protocol's error) */
        dt = KILN_U32, f = 9;
        break;
    case NPY_INT:
    case NPY_LONG:
    case NPY_LONGLONG:
        if (es != 4 && es != 8) return 0;
        dt = es == 4 ? KILN_I32 : KILN_I64, f = es == 4 ? 4 : 5;
        break;
    default: return 0;
    }
    if (!PyArray_ISNOTSWAPPED(arr) || (writable && !PyArray_ISWRITEABLE(arr)) || nd > KILN_MAX_DIMS) return 0;
    memcpy(o->shape, PyArray_DIMS(arr), (size_t)nd * sizeof *o->shape);
    memcpy(o->strides, PyArray_STRIDES(arr), (size_t)nd * sizeof *o->strides);
    o->view = (Py_buffer){.buf = PyArray_DATA(arr), .obj = Py_NewRef(obj), .len = PyArray_NBYTES(arr), .itemsize = es,
                          .readonly = !PyArray_ISWRITEABLE(arr), .ndim = nd, .format = (char *)fmt[f],
                          .shape = o->shape, .strides = o->strides};
    o->dt = dt;
    o->held = o->direct = true;
    return 1;
#else
    (void)obj, (void)writable, (void)o;
    return 0;
#endif
}

/* What an operand is called in messages: "operand 'a'", or "out" (name NULL). */
static void describe(PyObject *name, char *buf, size_t cap) {
    const char *s = name ? PyUnicode_AsUTF8(name) : NULL;
    if (s) snprintf(buf, cap, "operand '%s'", s);
    else snprintf(buf, cap, "out");
    PyErr_Clear();
}

/* A NumPy dtype's kind character ('f', 'i', 'M'...), or 0 where dt is NULL or has none (an error
 * may be left set: callers clear it). */
static char dtype_kind(PyObject *dt) {
    PyObject *kind = dt ? PyObject_GetAttrString(dt, "kind") : NULL;
    const char *k = kind && PyUnicode_Check(kind) ? PyUnicode_AsUTF8(kind) : NULL;
    char c = k && k[0] && !k[1] ? k[0] : 0;
    Py_XDECREF(kind);
    return c;
}

/* Takes obj's buffer through the buffer protocol (writable for an output) into o, with its
 * dtype; -1 with a Python error. */
static int operand_buffer(PyObject *obj, bool writable, PyObject *name, operand *o) {
    char what[96];
    PyObject *dt = PyObject_GetAttrString(obj, "dtype"); /* a NumPy scalar's (a datetime64 exports 8 bytes, format 'B') */
    char k = dtype_kind(dt);
    PyErr_Clear();
    if (k == 'M' || k == 'm') {
        describe(name, what, sizeof what);
        PyErr_Format(PyExc_TypeError, "%s is of dtype %S: kiln's dtypes are float64, float32, int64, int32, int16, int8, uint32, uint16, "
                     "uint8 and bool", what, dt);
    }
    Py_XDECREF(dt);
    if (PyErr_Occurred()) return -1;
    if (PyObject_GetBuffer(obj, &o->view, writable ? PyBUF_RECORDS : PyBUF_RECORDS_RO) < 0) {
        PyObject *type, *value, *tb; /* (the exporter's reason: NumPy's for a datetime64 array) */
        PyErr_Fetch(&type, &value, &tb);
        PyObject *why = value ? PyObject_Str(value) : NULL;
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        PyErr_Clear();
        bool readable = writable && PyObject_GetBuffer(obj, &o->view, PyBUF_RECORDS_RO) == 0;
        if (readable) PyBuffer_Release(&o->view);
        describe(name, what, sizeof what);
        if (readable) PyErr_Format(PyExc_ValueError, "%s is read-only", what);
        else if (!PyObject_CheckBuffer(obj)) PyErr_Format(PyExc_TypeError, "%s is of type %s, not an array (an object with the buffer protocol)", what, Py_TYPE(obj)->tp_name);
        else PyErr_Format(PyExc_TypeError, "%s: kiln cannot read its buffer (%S): kiln's dtypes are float64, float32, int64, int32, int16, int8, "
                          "uint32, uint16, uint8 and bool", what, why ? why : Py_None);
        Py_XDECREF(why);
        return -1;
    }
    o->held = true;
    if (writable && dtype_of(&o->view, &o->dt, &o->swap) == 0 && o->swap) {
        describe(name, what, sizeof what);
        PyErr_Format(PyExc_TypeError, "%s: kiln writes this machine's byte order only", what);
        operand_release(o);
        return -1;
    }
    if (dtype_of(&o->view, &o->dt, &o->swap) < 0) {
        describe(name, what, sizeof what);
        const char *f = o->view.format ? o->view.format : "B", *c = f + strlen(f) - (*f ? 1 : 0); /* (NumPy's name for the usual ones) */
        const char *np = strchr("LQ", *c) && o->view.itemsize == 8 ? "uint64" : *c == 'e' ? "float16" : *c == 'g' ? "longdouble" : strchr(f, 'Z') ? "complex" : NULL;
        PyErr_Format(PyExc_TypeError, "%s: kiln has no dtype for %s%sbuffer format '%s'%s (kiln's: float64, float32, int64, int32, int16, int8, "
                     "uint32, uint16, uint8 and bool)",
                     what, np ? np : "", np ? " (" : "", f, np ? ")" : "");
        operand_release(o);
        return -1;
    }
    return 0;
}

/* Takes obj's buffer (writable for an output) into o: an ndarray's fields directly where it can,
 * else the buffer protocol; -1 with a Python error. */
static int operand_get(PyObject *obj, bool writable, PyObject *name, operand *o) {
    char what[96];
    memset(o, 0, sizeof *o);
    if (PyBytes_Check(obj)) { /* (NumPy's asarray(b'ab') is a string of dtype 'S2'; a bytearray's buffer is uint8) */
        describe(name, what, sizeof what);
        PyErr_Format(PyExc_TypeError, "%s is bytes, which NumPy reads as a string (dtype 'S'); for its bytes as uint8, pass bytearray(x) or memoryview(x)", what);
        return -1;
    }
    if (!operand_ndarray(obj, writable, o) && operand_buffer(obj, writable, name, o) < 0) return -1;
    o->flip = o->swap;
    bool unaligned = (uintptr_t)o->view.buf % (uintptr_t)o->view.itemsize != 0; /* (a record's field, frombuffer at an offset) */
    for (int d = 0; d < o->view.ndim && o->view.strides; d++) unaligned |= o->view.strides[d] % o->view.itemsize != 0;
    if (unaligned && !writable) o->swap = true; /* an input: read through an aligned copy */
    if (unaligned && writable) {
        describe(name, what, sizeof what);
        PyErr_Format(PyExc_ValueError, "%s is not aligned (its data or strides are not multiples of its %d-byte items): kiln writes aligned "
                     "arrays only (pass an aligned one and copy it into this one)", what, (int)o->view.itemsize);
        operand_release(o);
        return -1;
    }
    if (o->view.ndim > KILN_MAX_DIMS) {
        describe(name, what, sizeof what);
        PyErr_Format(PyExc_ValueError, "%s has %d dimensions; kiln has at most %d", what, o->view.ndim, KILN_MAX_DIMS);
        operand_release(o);
        return -1;
    }
    return 0;
}

/* A native C-ordered copy of o's elements (their bytes reversed when in the other byte order), as
 * o->a; a broadcast dimension (stride 0) is copied once and read through a view with stride 0 (a
 * big-endian scalar broadcast to 2*10^7 elements was 160 MB of copy). */
static int operand_swapped(operand *o) {
    const Py_buffer *v = &o->view;
    int64_t shape[KILN_MAX_DIMS] = {0}, held[KILN_MAX_DIMS] = {0}, idx[KILN_MAX_DIMS] = {0}, n = 1;
    bool broadcast = false;
    for (int d = 0; d < v->ndim; d++) {
        shape[d] = v->shape[d];
        held[d] = v->strides && v->strides[d] == 0 && v->shape[d] > 1 ? 1 : v->shape[d];
        broadcast |= held[d] != shape[d];
        n *= held[d];
    }
    kiln_array *copy = kiln_array_new(ctx, o->dt, v->ndim, held);
    if (!copy) {
        PyErr_NoMemory();
        return -1;
    }
    unsigned char *dst = kiln_array_data(copy);
    Py_ssize_t es = v->itemsize;
    for (int64_t e = 0; e < n; e++) {
        const unsigned char *src = v->buf;
        Py_ssize_t step = es;
        for (int d = v->ndim - 1; d >= 0; d--) {
            src += idx[d] * (v->strides ? v->strides[d] : step);
            step *= v->shape[d];
        }
        for (Py_ssize_t b = 0; b < es; b++) dst[e * es + b] = src[o->flip ? es - 1 - b : b];
        for (int d = v->ndim - 1; d >= 0; d--) {
            if (++idx[d] < held[d]) break;
            idx[d] = 0;
        }
    }
    if (!broadcast) {
        o->a = copy;
        return 0;
    }
    int64_t strides[KILN_MAX_DIMS];
    for (int d = 0; d < v->ndim; d++) strides[d] = held[d] != shape[d] ? 0 : kiln_array_strides(copy)[d];
    o->a = kiln_array_view(ctx, copy, v->ndim, shape, strides, 0);
    kiln_array_free(copy);
    return o->a ? 0 : (raise_kiln(kiln_errcode(ctx), NULL), -1);
}

/* o's kiln array (the buffer wrapped; a native copy for the other byte order); -1 with a
 * Python error. */
static int operand_wrap(operand *o, PyObject *name) {
    if (o->swap) return operand_swapped(o);
    int64_t shape[KILN_MAX_DIMS], strides[KILN_MAX_DIMS];
    for (int d = 0; d < o->view.ndim; d++) {
        shape[d] = o->view.shape[d];
        strides[d] = o->view.strides ? o->view.strides[d] : 0;
    }
    o->a = kiln_wrap(ctx, o->dt, o->view.ndim, shape, o->view.strides ? strides : NULL, o->view.buf);
    if (!o->a) {
        char what[96];
        describe(name, what, sizeof what);
        PyErr_Format(PyExc_ValueError, "%s: %s", what, kiln_errmsg(ctx));
        kiln_clear_error(ctx);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ kiln.Array */

typedef struct {
    PyObject_HEAD
    kiln_array *a;
    Py_ssize_t shape[KILN_MAX_DIMS], strides[KILN_MAX_DIMS];
    PyObject *weakrefs; /* (weakref.ref(x), as an ndarray's: caches keyed on arrays) */
} ArrayObject;

static const char *const formats[] = {[KILN_BOOL] = "?", [KILN_I32] = "i", [KILN_I64] = "q", [KILN_F32] = "f", [KILN_F64] = "d",
                                      [KILN_U8] = "B",   [KILN_I8] = "b",  [KILN_I16] = "h", [KILN_U16] = "H", [KILN_U32] = "I"};

static void Array_dealloc(ArrayObject *self) {
    if (self->weakrefs) PyObject_ClearWeakRefs((PyObject *)self);
    kiln_array_free(self->a);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Array_getbuffer(ArrayObject *self, Py_buffer *view, int flags) {
    kiln_dtype dt = kiln_array_dtype(self->a);
    int nd = kiln_array_ndim(self->a);
    view->buf = kiln_array_data(self->a);
    view->obj = Py_NewRef((PyObject *)self);
    view->itemsize = (Py_ssize_t)kiln_dtype_size(dt);
    view->len = (Py_ssize_t)kiln_array_size(self->a) * view->itemsize;
    view->readonly = 0;
    view->ndim = nd;
    view->format = (flags & PyBUF_FORMAT) ? (char *)formats[dt] : NULL;
    view->shape = (flags & PyBUF_ND) ? self->shape : NULL;
    view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? self->strides : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    if (!(flags & PyBUF_STRIDES)) { /* kiln's results are C-ordered: a plain buffer is fine */
        Py_ssize_t want = view->itemsize;
        for (int d = nd - 1; d >= 0; d--) {
            if (self->shape[d] != 1 && self->strides[d] != want) {
                Py_CLEAR(view->obj);
                PyErr_SetString(PyExc_BufferError, "kiln.Array: not C-contiguous");
                return -1;
            }
            want *= self->shape[d];
        }
    }
    return 0;
}

static PyBufferProcs Array_as_buffer = {(getbufferproc)Array_getbuffer, NULL};

static PyObject *Array_get_shape(ArrayObject *self, void *closure) {
    (void)closure;
    int nd = kiln_array_ndim(self->a);
    PyObject *t = PyTuple_New(nd);
    for (int d = 0; t && d < nd; d++) PyTuple_SET_ITEM(t, d, PyLong_FromSsize_t(self->shape[d]));
    return t;
}

/* numpy.dtype of it (r.dtype == np.float64 holds, and == "float64"), or its name without NumPy */
static PyObject *Array_get_dtype(ArrayObject *self, void *closure) {
    (void)closure;
    const char *name = kiln_array_dtype(self->a) == KILN_BOOL ? "bool" : kiln_dtype_name(kiln_array_dtype(self->a));
    PyObject *np = PyImport_ImportModule("numpy");
    if (!np) {
        PyErr_Clear();
        return PyUnicode_FromString(name);
    }
    PyObject *r = PyObject_CallMethod(np, "dtype", "s", name);
    Py_DECREF(np);
    return r;
}

static PyObject *Array_get_ndim(ArrayObject *self, void *closure) {
    (void)closure;
    return PyLong_FromLong(kiln_array_ndim(self->a));
}

static PyObject *Array_get_size(ArrayObject *self, void *closure) {
    (void)closure;
    return PyLong_FromLongLong(kiln_array_size(self->a));
}

/* NumPy's __array_interface__ (version 3): what numpy.asarray reads of an array nested in a
 * tuple or list (a 0-d one's buffer is not taken there), the memory kept alive as the base. */
static PyObject *Array_get_array_interface(ArrayObject *self, void *closure) {
    (void)closure;
    static const char *const typestr[] = {[KILN_BOOL] = "|b1", [KILN_I32] = "<i4", [KILN_I64] = "<i8", [KILN_F32] = "<f4", [KILN_F64] = "<f8",
                                          [KILN_U8] = "|u1",   [KILN_I8] = "|i1",  [KILN_I16] = "<i2", [KILN_U16] = "<u2", [KILN_U32] = "<u4"};
    int nd = kiln_array_ndim(self->a);
    PyObject *shape = Array_get_shape(self, NULL), *strides = PyTuple_New(nd);
    for (int d = 0; strides && d < nd; d++) PyTuple_SET_ITEM(strides, d, PyLong_FromSsize_t(self->strides[d]));
    PyObject *r = shape && strides ? Py_BuildValue("{s:O,s:s,s:(N,O),s:O,s:i}", "shape", shape, "typestr",
                                                     typestr[kiln_array_dtype(self->a)], "data",
                                                     PyLong_FromVoidPtr(kiln_array_data(self->a)), Py_False, "strides", strides,
                                                     "version", 3)
                                   : NULL;
    Py_XDECREF(shape);
    Py_XDECREF(strides);
    return r;
}

static PyGetSetDef Array_getset[] = {
    {"__array_interface__", (getter)Array_get_array_interface, NULL, "NumPy's array interface (no copy)", NULL},
    {"shape", (getter)Array_get_shape, NULL, "the shape, as NumPy's", NULL},
    {"dtype", (getter)Array_get_dtype, NULL, "the dtype, a numpy.dtype (its name without NumPy)", NULL},
    {"ndim", (getter)Array_get_ndim, NULL, NULL, NULL},
    {"size", (getter)Array_get_size, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static Py_ssize_t Array_len(ArrayObject *self) {
    if (kiln_array_ndim(self->a) == 0) {
        PyErr_SetString(PyExc_TypeError, "len() of a 0-d array");
        return -1;
    }
    return self->shape[0];
}

/* The array as numpy.ndarray over its memory (no copy): what indexing, iteration and tolist()
 * go through, as NumPy's own; a TypeError saying so without NumPy. */
static PyObject *Array_numpy(ArrayObject *self) {
    PyObject *np = PyImport_ImportModule("numpy");
    if (!np) {
        PyErr_SetString(PyExc_TypeError, "indexing a kiln.Array needs NumPy (numpy.asarray(x) wraps it without a copy)");
        return NULL;
    }
    PyObject *r = PyObject_CallMethod(np, "asarray", "O", (PyObject *)self);
    Py_DECREF(np);
    return r;
}
static PyObject *Array_subscript(ArrayObject *self, PyObject *key) {
    PyObject *a = Array_numpy(self), *r = a ? PyObject_GetItem(a, key) : NULL;
    Py_XDECREF(a);
    return r;
}
static int Array_ass_subscript(ArrayObject *self, PyObject *key, PyObject *v) {
    PyObject *a = Array_numpy(self);
    int r = !a ? -1 : v ? PyObject_SetItem(a, key, v) : PyObject_DelItem(a, key);
    Py_XDECREF(a);
    return r;
}
static PyObject *Array_iter(ArrayObject *self) {
    PyObject *a = Array_numpy(self), *r = a ? PyObject_GetIter(a) : NULL;
    Py_XDECREF(a);
    return r;
}
static PyObject *Array_tolist(ArrayObject *self, PyObject *unused) {
    (void)unused;
    PyObject *a = Array_numpy(self), *r = a ? PyObject_CallMethod(a, "tolist", NULL) : NULL;
    Py_XDECREF(a);
    return r;
}
/* format(x, spec) and round(x[, n]): NumPy's, on numpy.asarray of it (f"{total:.3f}") */
static PyObject *Array_format(ArrayObject *self, PyObject *spec) {
    PyObject *a = Array_numpy(self), *r = a ? PyObject_CallMethod(a, "__format__", "O", spec) : NULL;
    Py_XDECREF(a);
    return r;
}
static PyObject *Array_round(ArrayObject *self, PyObject *args) {
    if (kiln_array_ndim(self->a) != 0) {
        PyErr_SetString(PyExc_TypeError, "type numpy.ndarray doesn't define __round__ method");
        return NULL;
    }
    PyObject *a = Array_numpy(self), *none = PyTuple_New(0), *x = a && none ? PyObject_GetItem(a, none) : NULL; /* NumPy's scalar: a[()] */
    PyObject *m = x ? PyObject_GetAttrString(x, "__round__") : NULL, *r = m ? PyObject_Call(m, args, NULL) : NULL;
    Py_XDECREF(m);
    Py_XDECREF(x);
    Py_XDECREF(none);
    Py_XDECREF(a);
    return r;
}
/* pickle and copy: the values as a NumPy array (numpy.array of them: a kiln.Array comes back as
 * the ndarray it wraps, so that multiprocessing and copy.deepcopy take results) */
static PyObject *Array_reduce(ArrayObject *self, PyObject *unused) {
    (void)unused;
    PyObject *np = PyImport_ImportModule("numpy"), *fn = np ? PyObject_GetAttrString(np, "array") : NULL, *a = fn ? Array_numpy(self) : NULL;
    Py_XDECREF(np);
    if (!a) {
        Py_XDECREF(fn);
        return NULL;
    }
    return Py_BuildValue("(N(N))", fn, a);
}

static PyMethodDef Array_methods[] = {
    {"__reduce__", (PyCFunction)Array_reduce, METH_NOARGS, "pickled as the NumPy array of its values"},
    {"tolist", (PyCFunction)Array_tolist, METH_NOARGS, "the values as nested Python lists (NumPy's tolist)"},
    {"__format__", (PyCFunction)Array_format, METH_O, "NumPy's format of the array (a 0-d one: of its number)"},
    {"__round__", (PyCFunction)Array_round, METH_VARARGS, "NumPy's round"},
    {NULL, NULL, 0, NULL},
};

/* v in x: NumPy's (any(x == v)) */
static int Array_contains(ArrayObject *self, PyObject *v) {
    PyObject *a = Array_numpy(self);
    int r = a ? PySequence_Contains(a, v) : -1;
    Py_XDECREF(a);
    return r;
}
static PySequenceMethods Array_as_sequence = {.sq_length = (lenfunc)Array_len, .sq_contains = (objobjproc)Array_contains};
static PyMappingMethods Array_as_mapping = {.mp_length = (lenfunc)Array_len, .mp_subscript = (binaryfunc)Array_subscript,
                                            .mp_ass_subscript = (objobjargproc)Array_ass_subscript};

/* The one element of a size-1 array as a double (float(x), int(x), bool(x), as NumPy's); -1 and
 * an error otherwise. */
static int Array_scalar(ArrayObject *self, double *out, long long *iout) {
    if (kiln_array_size(self->a) != 1) {
        PyErr_SetString(PyExc_TypeError, "only length-1 arrays can be converted to Python scalars");
        return -1;
    }
    const char *p = kiln_array_data(self->a);
    switch (kiln_array_dtype(self->a)) {
    case KILN_F64: *out = *(const double *)(const void *)p; break;
    case KILN_F32: *out = *(const float *)(const void *)p; break;
    case KILN_I64: *iout = *(const int64_t *)(const void *)p, *out = (double)*iout; return 1;
    case KILN_I32: *iout = *(const int32_t *)(const void *)p, *out = (double)*iout; return 1;
    case KILN_U8: *iout = *(const uint8_t *)p, *out = (double)*iout; return 1;
    case KILN_I8: *iout = *(const int8_t *)p, *out = (double)*iout; return 1;
    case KILN_I16: *iout = *(const int16_t *)(const void *)p, *out = (double)*iout; return 1;
    case KILN_U16: *iout = *(const uint16_t *)(const void *)p, *out = (double)*iout; return 1;
    case KILN_U32: *iout = *(const uint32_t *)(const void *)p, *out = (double)*iout; return 1;
    default: *iout = *(const uint8_t *)p != 0, *out = (double)*iout; return 1;
    }
    return 0;
}
static PyObject *Array_float(ArrayObject *self) {
    double d;
    long long i;
    return Array_scalar(self, &d, &i) < 0 ? NULL : PyFloat_FromDouble(d);
}
static PyObject *Array_int(ArrayObject *self) {
    double d;
    long long i;
    int k = Array_scalar(self, &d, &i);
    return k < 0 ? NULL : k ? PyLong_FromLongLong(i) : PyLong_FromDouble(d);
}
static int Array_bool(ArrayObject *self) {
    double d;
    long long i;
    if (kiln_array_size(self->a) == 0) { /* NumPy 2's words */
        PyErr_SetString(PyExc_ValueError, "The truth value of an empty array is ambiguous. Use `array.size > 0` to check that an array is not empty.");
        return -1;
    }
    if (kiln_array_size(self->a) != 1) {
        PyErr_SetString(PyExc_ValueError, "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()");
        return -1;
    }
    return Array_scalar(self, &d, &i) < 0 ? -1 : d != 0 || d != d;
}
/* operator.index(x): a 0-d integer array's value, as NumPy's (list[kiln.evaluate("argmax(a)")]) */
static PyObject *Array_index(ArrayObject *self) {
    kiln_dtype dt = kiln_array_dtype(self->a);
    if (kiln_array_ndim(self->a) != 0 || dt == KILN_BOOL || dt == KILN_F32 || dt == KILN_F64) {
        PyErr_SetString(PyExc_TypeError, "only integer scalar arrays can be converted to a scalar index");
        return NULL;
    }
    return Array_int(self);
}

static PyTypeObject ArrayType;

/* Arithmetic and comparisons on a kiln.Array: NumPy's, on numpy.asarray of it (no copy), so a
 * result behaves as the ndarray it wraps (x + 1, x == y, -x). */
static PyObject *as_numpy_operand(PyObject *o) {
    return PyObject_TypeCheck(o, &ArrayType) ? Array_numpy((ArrayObject *)o) : Py_NewRef(o);
}
#define ARRAY_BINARY(NAME, CALL)                                              \
    static PyObject *Array_##NAME(PyObject *x, PyObject *y) {                 \
        PyObject *a = as_numpy_operand(x), *b = a ? as_numpy_operand(y) : NULL; \
        PyObject *r = a && b ? CALL(a, b) : NULL;                             \
        Py_XDECREF(a);                                                        \
        Py_XDECREF(b);                                                        \
        return r;                                                             \
    }
ARRAY_BINARY(add, PyNumber_Add)
ARRAY_BINARY(sub, PyNumber_Subtract)
ARRAY_BINARY(mul, PyNumber_Multiply)
ARRAY_BINARY(truediv, PyNumber_TrueDivide)
ARRAY_BINARY(floordiv, PyNumber_FloorDivide)
ARRAY_BINARY(mod, PyNumber_Remainder)
ARRAY_BINARY(matmul, PyNumber_MatrixMultiply)
ARRAY_BINARY(and, PyNumber_And)
ARRAY_BINARY(or, PyNumber_Or)
ARRAY_BINARY(xor, PyNumber_Xor)
ARRAY_BINARY(lshift, PyNumber_Lshift)
ARRAY_BINARY(rshift, PyNumber_Rshift)
ARRAY_BINARY(divmod, PyNumber_Divmod)
#undef ARRAY_BINARY
/* x += y and the like change x's memory in place, as NumPy's (x stays the kiln.Array it was, and
 * every name of it sees the change); NumPy's casting errors are its */
#define ARRAY_INPLACE(NAME, CALL)                                          \
    static PyObject *Array_i##NAME(PyObject *x, PyObject *y) {             \
        PyObject *a = as_numpy_operand(x), *b = a ? as_numpy_operand(y) : NULL; \
        PyObject *r = a && b ? CALL(a, b) : NULL;                          \
        Py_XDECREF(b);                                                     \
        if (r && r == a) Py_SETREF(r, Py_NewRef(x));                       \
        Py_XDECREF(a);                                                     \
        return r;                                                          \
    }
ARRAY_INPLACE(add, PyNumber_InPlaceAdd)
ARRAY_INPLACE(sub, PyNumber_InPlaceSubtract)
ARRAY_INPLACE(mul, PyNumber_InPlaceMultiply)
ARRAY_INPLACE(truediv, PyNumber_InPlaceTrueDivide)
ARRAY_INPLACE(floordiv, PyNumber_InPlaceFloorDivide)
ARRAY_INPLACE(mod, PyNumber_InPlaceRemainder)
ARRAY_INPLACE(and, PyNumber_InPlaceAnd)
ARRAY_INPLACE(or, PyNumber_InPlaceOr)
ARRAY_INPLACE(xor, PyNumber_InPlaceXor)
ARRAY_INPLACE(lshift, PyNumber_InPlaceLshift)
ARRAY_INPLACE(rshift, PyNumber_InPlaceRshift)
#undef ARRAY_INPLACE
static PyObject *Array_ipow(PyObject *x, PyObject *y, PyObject *z) {
    PyObject *a = as_numpy_operand(x), *b = a ? as_numpy_operand(y) : NULL, *r = a && b ? PyNumber_InPlacePower(a, b, z) : NULL;
    Py_XDECREF(b);
    if (r && r == a) Py_SETREF(r, Py_NewRef(x));
    Py_XDECREF(a);
    return r;
}
static PyObject *Array_pow(PyObject *x, PyObject *y, PyObject *z) {
    PyObject *a = as_numpy_operand(x), *b = a ? as_numpy_operand(y) : NULL, *r = a && b ? PyNumber_Power(a, b, z) : NULL;
    Py_XDECREF(a);
    Py_XDECREF(b);
    return r;
}
#define ARRAY_UNARY(NAME, CALL)                                \
    static PyObject *Array_##NAME(ArrayObject *x) {             \
        PyObject *a = Array_numpy(x), *r = a ? CALL(a) : NULL; \
        Py_XDECREF(a);                                         \
        return r;                                              \
    }
ARRAY_UNARY(neg, PyNumber_Negative)
ARRAY_UNARY(pos, PyNumber_Positive)
ARRAY_UNARY(abs, PyNumber_Absolute)
ARRAY_UNARY(invert, PyNumber_Invert)
#undef ARRAY_UNARY
static PyObject *Array_richcompare(PyObject *x, PyObject *y, int op) {
    PyObject *a = as_numpy_operand(x), *b = a ? as_numpy_operand(y) : NULL, *r = a && b ? PyObject_RichCompare(a, b, op) : NULL;
    Py_XDECREF(a);
    Py_XDECREF(b);
    return r;
}
static PyNumberMethods Array_as_number = {
    .nb_float = (unaryfunc)Array_float, .nb_int = (unaryfunc)Array_int, .nb_bool = (inquiry)Array_bool, .nb_index = (unaryfunc)Array_index,
    .nb_add = Array_add, .nb_subtract = Array_sub, .nb_multiply = Array_mul, .nb_true_divide = Array_truediv,
    .nb_floor_divide = Array_floordiv, .nb_remainder = Array_mod, .nb_power = Array_pow, .nb_matrix_multiply = Array_matmul,
    .nb_and = Array_and, .nb_or = Array_or, .nb_xor = Array_xor, .nb_lshift = Array_lshift, .nb_rshift = Array_rshift,
    .nb_negative = (unaryfunc)Array_neg, .nb_positive = (unaryfunc)Array_pos, .nb_absolute = (unaryfunc)Array_abs, .nb_invert = (unaryfunc)Array_invert,
    .nb_divmod = Array_divmod, .nb_inplace_add = Array_iadd, .nb_inplace_subtract = Array_isub, .nb_inplace_multiply = Array_imul,
    .nb_inplace_true_divide = Array_itruediv, .nb_inplace_floor_divide = Array_ifloordiv, .nb_inplace_remainder = Array_imod,
    .nb_inplace_power = Array_ipow, .nb_inplace_and = Array_iand, .nb_inplace_or = Array_ior, .nb_inplace_xor = Array_ixor,
    .nb_inplace_lshift = Array_ilshift, .nb_inplace_rshift = Array_irshift};

static PyObject *Array_repr(ArrayObject *self) {
    PyObject *shape = Array_get_shape(self, NULL);
    if (!shape) return NULL;
    PyObject *r = PyUnicode_FromFormat("kiln.Array(shape=%R, dtype=%s)", shape, kiln_dtype_name(kiln_array_dtype(self->a)));
    Py_DECREF(shape);
    return r;
}

/* str(r), print(r): NumPy's str of the values, without NumPy the repr */
static PyObject *Array_str(ArrayObject *self) {
    PyObject *a = Array_numpy(self);
    if (!a) {
        PyErr_Clear();
        return Array_repr(self);
    }
    PyObject *r = PyObject_Str(a);
    Py_DECREF(a);
    return r;
}

static PyTypeObject ArrayType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kiln.Array",
    .tp_doc = "An array kiln computed; numpy.asarray(x) wraps its memory without a copy (indexing, iteration and tolist() go through it).",
    .tp_basicsize = sizeof(ArrayObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_weaklistoffset = offsetof(ArrayObject, weakrefs),
    .tp_dealloc = (destructor)Array_dealloc,
    .tp_as_buffer = &Array_as_buffer,
    .tp_as_sequence = &Array_as_sequence,
    .tp_as_mapping = &Array_as_mapping,
    .tp_iter = (getiterfunc)Array_iter,
    .tp_methods = Array_methods,
    .tp_as_number = &Array_as_number,
    .tp_richcompare = Array_richcompare,
    .tp_getset = Array_getset,
    .tp_repr = (reprfunc)Array_repr,
    .tp_str = (reprfunc)Array_str,
};

static PyObject *array_new(kiln_array *a) {
    ArrayObject *self = PyObject_New(ArrayObject, &ArrayType);
    if (!self) {
        kiln_array_free(a);
        return NULL;
    }
    self->a = a;
    self->weakrefs = NULL;
    for (int d = 0; d < kiln_array_ndim(a); d++) {
        self->shape[d] = (Py_ssize_t)kiln_array_shape(a)[d];
        self->strides[d] = (Py_ssize_t)kiln_array_strides(a)[d];
    }
    return (PyObject *)self;
}

/* ------------------------------------------------------------------ templates */

#define TEMPLATES_PER_TEXT 8 /* signatures kept for one text (the oldest goes) */
#define MAX_TEXTS 1024        /* texts kept (all are forgotten when a new one would pass it) */

enum { OPD_ABSENT, OPD_ARRAY, OPD_NUMBER, OPD_LITERAL };

/* What a name was when its template was made. */
typedef struct sig {
    int kind;
    kiln_dtype dt;
    int ndim;
    Py_ssize_t shape[KILN_MAX_DIMS];
    PyObject *num; /* OPD_NUMBER: the value (a reference); OPD_LITERAL: its text (a str) */
    int same;      /* OPD_ARRAY: the earlier name holding the same object (one variable: grad's), or -1 */
} sig;

/* The first name before i whose value is the object vals[i] (an array under two names), or -1. */
static int same_object(PyObject **vals, const operand *ops, int i) {
    for (int j = 0; j < i; j++)
        if (vals[j] == vals[i] && ops[j].held) return j;
    return -1;
}

/* The wrapper of an operand's memory from the last call, reused while the memory is the same
 * (so that kiln's replayed launch finds the same arrays). */
typedef struct wrapper {
    kiln_array *a;
    const void *buf;
    Py_ssize_t strides[KILN_MAX_DIMS];
} wrapper;

typedef struct {
    PyObject_HEAD
    PyObject *names; /* every name the text reads (a tuple of str) */
    int nnames;
    sig *sigs;       /* nnames */
    wrapper *wraps;  /* nnames */
    wrapper out;
    int nvals;
    kiln_expr **e; /* the value's arrays (nvals: one, or its tuples' and lists' items) */
    char *form;    /* its form, kiln_parse_params_form's: "v" one array, "(vv)" a pair, "[vvv]" a list... */
    int n;
    kiln_expr *params[MAX_OPERANDS];
    int which[MAX_OPERANDS]; /* each placeholder's name */
    kiln_array *bound[MAX_OPERANDS]; /* what each placeholder is bound to (kept between calls:
                                        a wrapper, dereferenced only while its buffer is held) */
    bool busy;               /* bound and running (under the GIL) */
} TemplateObject;

static void Template_dealloc(TemplateObject *self) {
    for (int k = 0; k < self->n; k++) kiln_expr_free(self->params[k]);
    for (int k = 0; k < self->nvals; k++) kiln_expr_free(self->e[k]);
    PyMem_Free(self->e);
    PyMem_Free(self->form);
    for (int i = 0; i < self->nnames; i++) {
        if (self->sigs) Py_XDECREF(self->sigs[i].num);
        if (self->wraps) kiln_array_free(self->wraps[i].a);
    }
    kiln_array_free(self->out.a);
    PyMem_Free(self->sigs);
    PyMem_Free(self->wraps);
    Py_XDECREF(self->names);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject TemplateType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "kiln._Template",
    .tp_doc = "A parsed expression over placeholders, kept for later calls.",
    .tp_basicsize = sizeof(TemplateObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = (destructor)Template_dealloc,
};

/* Whether v is a Python number (bound as NumPy reads a Python scalar: weak).  NumPy's scalars
 * (np.float64 derives from float) are strong: they go in as 0-d arrays, through their buffers. */
static bool is_number(PyObject *v) { return PyFloat_CheckExact(v) || PyLong_CheckExact(v) || PyBool_Check(v); }

/* A NumPy scalar's (or 0-d array's) number as a Python int, bool or float: integers and bools,
 * float64 (an index x[(np.int64(0), 1)], an axis); NULL, without an error, for other v. */
static PyObject *numpy_number(PyObject *v) {
    PyObject *dt = PyObject_GetAttrString(v, "dtype"), *shape = dt ? PyObject_GetAttrString(v, "shape") : NULL;
    PyObject *size = dt ? PyObject_GetAttrString(dt, "itemsize") : NULL;
    char k = dtype_kind(dt);
    long bytes = size ? PyLong_AsLong(size) : 0;
    PyErr_Clear();
    PyObject *r = NULL;
    if (k && shape && PyTuple_Check(shape) && PyTuple_GET_SIZE(shape) == 0) {
        if (k == 'b') r = PyBool_FromLong(PyObject_IsTrue(v) == 1);
        else if (k == 'i' || k == 'u') r = PyNumber_Index(v);
        else if (k == 'f' && bytes == 8) r = PyNumber_Float(v);
        if (!r) PyErr_Clear();
    }
    Py_XDECREF(dt);
    Py_XDECREF(shape);
    Py_XDECREF(size);
    return r;
}

/* v's text as a Python literal: None, a string, a Python number (integers within int64), and
 * (below the top) NumPy's numbers as numpy_number reads them, in tuples and lists nested to depth
 * levels; a new str, or NULL for other v (and any Python error left set). */
static PyObject *literal_of(PyObject *v, int depth, bool top) {
    if (v == Py_None || PyBool_Check(v)) return PyObject_Repr(v);
    if (PyUnicode_Check(v)) { /* (a str subclass: its text) */
        PyObject *t = PyUnicode_CheckExact(v) ? Py_NewRef(v) : PyObject_Str(v), *r = t ? PyObject_Repr(t) : NULL;
        Py_XDECREF(t);
        return r;
    }
    if (PyLong_Check(v)) { /* (an IntEnum: its number) */
        int over;
        long long i = PyLong_AsLongLongAndOverflow(v, &over);
        return over || PyErr_Occurred() ? NULL : PyUnicode_FromFormat("%lld", i);
    }
    if (PyFloat_Check(v)) {
        double d = PyFloat_AsDouble(v);
        if (d != d) return PyUnicode_FromString(signbit(d) ? "(-nan)" : "nan"); /* (-nan keys apart from nan, as a number's bits do) */
        if (isinf(d)) return PyUnicode_FromString(d > 0 ? "inf" : "(-inf)");
        PyObject *f = PyFloat_FromDouble(d), *r = f ? PyObject_Repr(f) : NULL;
        Py_XDECREF(f);
        return r;
    }
    if (PyTuple_CheckExact(v) || PyList_CheckExact(v)) {
        PyObject *snap = depth > 0 && PySequence_Fast_GET_SIZE(v) <= 4096 ? PySequence_Tuple(v) : NULL; /* (Python code below may change a list) */
        if (!snap) return NULL;
        Py_ssize_t n = PyTuple_GET_SIZE(snap);
        PyObject *items = PyList_New(n), *sep = PyUnicode_FromString(", "), *joined = NULL, *r = NULL;
        for (Py_ssize_t i = 0; items && sep && i < n; i++) {
            PyObject *x = literal_of(PyTuple_GET_ITEM(snap, i), depth - 1, false);
            if (!x) {
                Py_CLEAR(items);
                break;
            }
            PyList_SET_ITEM(items, i, x);
        }
        if (items && sep && (joined = PyUnicode_Join(sep, items)))
            r = PyUnicode_FromFormat(PyList_CheckExact(v) ? "[%U]" : n == 1 ? "(%U,)" : "(%U)", joined);
        Py_XDECREF(items);
        Py_XDECREF(sep);
        Py_XDECREF(joined);
        Py_DECREF(snap);
        return r;
    }
    PyObject *num = top ? NULL : numpy_number(v), *r = num ? literal_of(num, depth, false) : NULL;
    Py_XDECREF(num);
    return r;
}

/* Python's text of v where kiln reads v as Python's value, not as an array: None, a string, or a
 * tuple of literals (an index x[t], an axis, a shape); a new str, or NULL (no error) for other v
 * (a list is NumPy's array of its numbers, as numexpr's callers pass them). */
static PyObject *literal_text(PyObject *v) {
    if (v != Py_None && !PyUnicode_CheckExact(v) && !PyTuple_CheckExact(v)) return NULL;
    PyObject *r = literal_of(v, 32, true);
    if (!r) PyErr_Clear();
    return r;
}

/* Whether tuple v holds numbers alone (Python's, NumPy's scalars: what NumPy's asarray makes an
 * array of numbers of), not arrays, lists or tuples. */
static bool tuple_of_numbers(PyObject *v) {
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(v); i++) {
        PyObject *x = PyTuple_GET_ITEM(v, i);
        if (PyLong_Check(x) || PyFloat_Check(x)) continue;
        if (!PyObject_CheckBuffer(x) || PyTuple_Check(x) || PyList_Check(x)) return false;
        PyObject *nd = PyObject_GetAttrString(x, "ndim"); /* (a NumPy scalar has a buffer, of no dims) */
        long d = nd && PyLong_Check(nd) ? PyLong_AsLong(nd) : 1;
        Py_XDECREF(nd);
        PyErr_Clear();
        if (d != 0) return false;
    }
    return true;
}

/* What an operand is: absent, an array (its buffer held), a Python number, or a literal. */
static int operand_kind(PyObject *v, const operand *o) { return !v ? OPD_ABSENT : o->held ? OPD_ARRAY : is_number(v) ? OPD_NUMBER : OPD_LITERAL; }

/* A Python number as a 0-d kiln array, or NULL with a Python error. */
static kiln_array *number_array(PyObject *v) {
    kiln_dtype dt = PyBool_Check(v) ? KILN_BOOL : PyLong_Check(v) ? KILN_I64 : KILN_F64;
    kiln_array *a = kiln_array_new(ctx, dt, 0, NULL);
    if (!a) return (kiln_array *)PyErr_NoMemory();
    void *p = kiln_array_data(a);
    if (dt == KILN_BOOL) *(uint8_t *)p = v == Py_True;
    else if (dt == KILN_F64) *(double *)p = PyFloat_AsDouble(v);
    else {
        int overflow = 0;
        long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
        if (overflow) {
            kiln_array_free(a);
            PyErr_SetString(PyExc_OverflowError, "Python int too large for kiln's int64");
            return NULL;
        }
        *(int64_t *)p = x;
    }
    return a;
}

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* A name of the text, where it is and in how many brackets. */
typedef struct name_at {
    const char *b;
    size_t len;
    int depth;
    bool word;  /* a keyword (for, in, if...): no operand */
    int target; /* a variable a comprehension binds (its index + 1), between a 'for' and its 'in' */
} name_at;

/* A comprehension ([... for t in it if c] in a bracket from at to end): the names its 'for'
 * clauses bind are its own inside it, but in its first iterable (from the first 'in' to the next
 * 'for' or 'if'), which is read outside, as Python's. */
typedef struct comp_at {
    const char *at, *end, *iter_from, *iter_to;
    int depth; /* the bracket's inside */
} comp_at;

static bool name_is(const name_at *m, const char *w) { return m->len == strlen(w) && !memcmp(m->b, w, m->len); }

/* The names text reads: identifiers outside strings (a backslash escaping a character in them),
 * comments and numbers (0xab, 1e5), not after a dot (attributes), not before a parenthesis
 * (calls) or a lone '=' (keyword arguments), blanks and newlines between, nor a comprehension's
 * variables where it binds them; in order, each once. */
static PyObject *names_of(const char *text) {
    size_t cap = strlen(text) / 2 + 2;
    name_at *nm = PyMem_Calloc(cap, sizeof *nm);
    comp_at *cs = PyMem_Calloc(cap, sizeof *cs);
    const char **open = PyMem_Calloc(cap, sizeof *open); /* the brackets open, by depth */
    int *comp_of = PyMem_Calloc(cap, sizeof *comp_of);  /* the comprehension a bracket holds (+1), by depth */
    PyObject *seen = PyDict_New();
    if (!nm || !cs || !open || !comp_of || !seen) {
        PyMem_Free(nm), PyMem_Free(cs), PyMem_Free(open), PyMem_Free(comp_of);
        Py_XDECREF(seen);
        return PyErr_NoMemory();
    }
    int nn = 0, nc = 0, depth = 0; /* (brackets: a keyword argument is inside one; "a = 3" outside is the parser's error to say) */
    int collecting = 0; /* the comprehension whose 'for' targets are being read (+1) */
    for (const char *c = text; *c;) {
        if (*c == '"' || *c == '\'') {
            const char *q = c + 1;
            while (*q && *q != *c) q += q[0] == '\\' && q[1] ? 2 : 1;
            c = *q ? q + 1 : q;
            continue;
        }
        if (*c == '#') { /* a comment, to the line's end */
            c += strcspn(c, "\n\r");
            continue;
        }
        bool ident = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || *c == '_' || (unsigned char)*c >= 0x80;
        if (*c >= '0' && *c <= '9') { /* a number, its letters too (0xab, 1e5, 2j) */
            while ((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || *c == '_' || *c == '.') c++;
            continue;
        }
        if (*c == '(' || *c == '[' || *c == '{') {
            if ((size_t)depth < cap) open[depth] = c, comp_of[depth] = 0;
            depth++;
        } else if ((*c == ')' || *c == ']' || *c == '}') && depth > 0) {
            depth--;
            if ((size_t)depth < cap && comp_of[depth]) cs[comp_of[depth] - 1].end = c;
        }
        if (!ident) {
            c++;
            continue;
        }
        const char *b = c;
        while ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' ||
               (unsigned char)*c >= 0x80)
            c++;
        const char *after = c;
        while (blank(*after)) after++;
        const char *before = b;
        while (before > text && blank(before[-1])) before--;
        static const char *const keywords[] = {"True", "False", "None", "and", "or", "not", "in", "is", "if", "else", "for", "lambda", NULL};
        name_at m = {.b = b, .len = (size_t)(c - b), .depth = depth};
        for (int k = 0; keywords[k] && !m.word; k++) m.word = name_is(&m, keywords[k]); /* (Python's: never an operand, whatever the dicts hold) */
        if (!m.word && (*after == '(' || (*after == '=' && after[1] != '=' && depth > 0) || (before > text && before[-1] == '.')))
            continue; /* a call, a keyword argument (sum(a, axis=0)), an attribute (for (i, j) in ...: a keyword) */
        comp_at *cur = depth > 0 && (size_t)depth <= cap && comp_of[depth - 1] ? &cs[comp_of[depth - 1] - 1] : NULL;
        if (!m.word && collecting) m.target = collecting;
        nm[nn++] = m;
        if (m.word && name_is(&m, "for") && depth > 0 && (size_t)depth <= cap) {
            if (!cur) { /* the bracket's first 'for': a comprehension */
                cs[nc] = (comp_at){.at = open[depth - 1], .end = c, .depth = depth};
                comp_of[depth - 1] = ++nc;
                cur = &cs[nc - 1];
            } else if (!cur->iter_to) {
                cur->iter_to = b;
            }
            collecting = (int)(cur - cs) + 1;
        } else if (m.word && name_is(&m, "in") && cur && collecting == (int)(cur - cs) + 1) {
            collecting = 0;
            if (!cur->iter_from) cur->iter_from = c;
        } else if (m.word && name_is(&m, "if") && cur && cur->iter_from && !cur->iter_to) {
            cur->iter_to = b;
        }
    }
    for (int i = 0; i < nn; i++) {
        if (nm[i].word) continue;
        bool bound = nm[i].target != 0; /* (by a comprehension around it, outside its first iterable) */
        for (int k = 0; k < nc && !bound; k++) {
            const comp_at *q = &cs[k];
            const char *to = q->iter_to ? q->iter_to : q->end;
            if (nm[i].b < q->at || nm[i].b > q->end || (q->iter_from && nm[i].b >= q->iter_from && nm[i].b < to)) continue;
            for (int j = 0; j < nn && !bound; j++)
                bound = nm[j].target == k + 1 && nm[j].len == nm[i].len && !memcmp(nm[j].b, nm[i].b, nm[i].len);
        }
        if (bound) continue;
        PyObject *name = PyUnicode_FromStringAndSize(nm[i].b, (Py_ssize_t)nm[i].len);
        if (!name || PyDict_SetItem(seen, name, Py_None) < 0) {
            Py_XDECREF(name);
            Py_CLEAR(seen);
            break;
        }
        Py_DECREF(name);
    }
    PyMem_Free(nm), PyMem_Free(cs), PyMem_Free(open), PyMem_Free(comp_of);
    PyObject *t = seen ? PySequence_Tuple(seen) : NULL;
    Py_XDECREF(seen);
    return t;
}

/* Parses text with the names bound to this call's operands: a template, or NULL. */
static TemplateObject *template_make(const char *text, PyObject *names, PyObject **vals, operand *ops, int *reusable) {
    int n = (int)PyTuple_GET_SIZE(names);
    TemplateObject *t = PyObject_New(TemplateObject, &TemplateType);
    if (!t) return NULL;
    t->names = Py_NewRef(names);
    t->nnames = n;
    t->sigs = PyMem_Calloc((size_t)n + 1, sizeof *t->sigs);
    t->wraps = PyMem_Calloc((size_t)n + 1, sizeof *t->wraps);
    memset(&t->out, 0, sizeof t->out);
    t->nvals = 0;
    t->e = NULL;
    t->form = NULL;
    t->n = 0;
    t->busy = false;
    kiln_scope *scope = kiln_scope_new(ctx);
    int *name_of = PyMem_Calloc((size_t)n + 1, sizeof *name_of); /* scope index -> name */
    if (!t->sigs || !t->wraps || !scope || !name_of) {
        PyErr_NoMemory();
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        sig *g = &t->sigs[i];
        g->kind = operand_kind(vals[i], &ops[i]);
        if (g->kind == OPD_ABSENT) continue;
        const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(names, i));
        kiln_array *num = g->kind == OPD_NUMBER ? number_array(vals[i]) : NULL;
        PyObject *text = g->kind == OPD_LITERAL ? Py_NewRef(ops[i].lit) : NULL;
        const char *lit = text ? PyUnicode_AsUTF8(text) : NULL;
        if (!name || (g->kind == OPD_NUMBER && !num) || (g->kind == OPD_LITERAL && !lit)) {
            Py_XDECREF(text);
            goto fail;
        }
        g->same = g->kind == OPD_ARRAY ? same_object(vals, ops, i) : -1;
        kiln_status st = num ? kiln_scope_set_number(scope, name, num) : lit ? kiln_scope_set_literal(scope, name, lit)
                                                                           : kiln_scope_set(scope, name, ops[g->same >= 0 ? g->same : i].a);
        kiln_array_free(num);
        if (g->kind == OPD_LITERAL) g->num = text; /* (its reference) */
        if (st != KILN_OK) {
            raise_kiln(st, NULL);
            goto fail;
        }
        if (g->kind == OPD_LITERAL) continue; /* (a value of the parse: no placeholder) */
        name_of[kiln_scope_count(scope) - 1] = i;
        if (g->kind == OPD_NUMBER) {
            g->num = Py_NewRef(vals[i]);
        } else {
            g->dt = ops[i].dt;
            g->ndim = ops[i].view.ndim;
            memcpy(g->shape, ops[i].view.shape, (size_t)g->ndim * sizeof *g->shape);
        }
    }
    kiln_expr **values = PyMem_Malloc(MAX_VALUES * sizeof *values);
    char *form = PyMem_Malloc(MAX_FORM);
    if (!values || !form) {
        PyMem_Free(values);
        PyMem_Free(form);
        PyErr_NoMemory();
        goto fail;
    }
    int nv = kiln_parse_params_form(ctx, scope, text, MAX_VALUES, values, form, MAX_FORM, MAX_OPERANDS, t->params, t->which, &t->n, reusable);
    if (nv < 0) {
        PyMem_Free(values);
        PyMem_Free(form);
        raise_kiln(kiln_errcode(ctx), text);
        goto fail;
    }
    /* (kept at their sizes: a few pointers and bytes, where the parse had room for thousands) */
    kiln_expr **e = PyMem_Realloc(values, (nv ? (size_t)nv : 1) * sizeof *values);
    char *f = PyMem_Realloc(form, strlen(form) + 1);
    t->e = e ? e : values;
    t->form = f ? f : form;
    t->nvals = nv;
    for (int k = 0; k < t->n; k++) {
        t->which[k] = name_of[t->which[k]];
        kiln_bind(ctx, t->params[k], NULL); /* bound again by each call */
        t->bound[k] = NULL;
    }
    PyMem_Free(name_of);
    kiln_scope_free(scope);
    return t;
fail:
    PyMem_Free(name_of);
    kiln_scope_free(scope);
    Py_DECREF(t);
    return NULL;
}

/* Whether t was made for operands like these. */
static bool template_fits(const TemplateObject *t, PyObject **vals, const operand *ops) {
    if (t->busy) return false;
    for (int i = 0; i < t->nnames; i++) {
        const sig *g = &t->sigs[i];
        int kind = operand_kind(vals[i], &ops[i]);
        if (kind != g->kind) return false;
        if (kind == OPD_LITERAL) { /* the same text ((1, 2) is not (1.0, 2.0)) */
            if (PyUnicode_Compare(ops[i].lit, g->num) != 0) return false;
            continue;
        }
        if (kind == OPD_NUMBER) {
            if (Py_TYPE(vals[i]) != Py_TYPE(g->num)) return false;
            if (!PyIndex_Check(vals[i])) { /* a float: the same bits (-0.0 is not 0.0, nor -nan nan) */
                double x = PyFloat_AsDouble(vals[i]), y = PyFloat_AsDouble(g->num);
                if (PyErr_Occurred()) {
                    PyErr_Clear();
                    return false;
                }
                if (memcmp(&x, &y, sizeof x)) return false;
                continue;
            }
            int eq = PyObject_RichCompareBool(vals[i], g->num, Py_EQ);
            if (eq != 1) {
                PyErr_Clear();
                return false;
            }
        } else if (kind == OPD_ARRAY) {
            if (ops[i].dt != g->dt || ops[i].view.ndim != g->ndim ||
                memcmp(ops[i].view.shape, g->shape, (size_t)g->ndim * sizeof *g->shape) || same_object(vals, ops, i) != g->same)
                return false;
        }
    }
    return true;
}

/* o's kiln array through w: the last call's wrapper when the memory is the same. */
static int wrap_reused(wrapper *w, operand *o, PyObject *name) {
    if (o->swap) return operand_wrap(o, name); /* a fresh copy each call */
    const Py_buffer *v = &o->view;
    bool same = w->a && w->buf == v->buf && kiln_array_dtype(w->a) == o->dt && kiln_array_ndim(w->a) == v->ndim;
    for (int d = 0; same && d < v->ndim; d++)
        same = kiln_array_shape(w->a)[d] == v->shape[d] && w->strides[d] == (v->strides ? v->strides[d] : 0);
    if (!same) {
        kiln_array_free(w->a);
        w->a = NULL;
        if (operand_wrap(o, name) < 0) return -1;
        w->a = kiln_array_retain(o->a);
        w->buf = v->buf;
        for (int d = 0; d < v->ndim; d++) w->strides[d] = v->strides ? v->strides[d] : 0;
        return 0;
    }
    o->a = w->a; /* the template keeps it */
    o->borrowed = true;
    return 0;
}

/* ------------------------------------------------------------------ evaluate */

/* The number of items of the tuple or list whose items start at f (just past its bracket); *end
 * gets where it ends (just past its closing bracket). */
static Py_ssize_t form_items(const char *f, const char **end) {
    Py_ssize_t items = 0;
    for (int depth = 0; *f && (depth || (*f != ')' && *f != ']')); f++) {
        if (*f == '<') { /* a named tuple's name and fields: not an item */
            f += strcspn(f, ">") - (f[strcspn(f, ">")] ? 0 : 1);
            continue;
        }
        if (!depth) items++;
        if (*f == '(' || *f == '[') depth++;
        else if (*f == ')' || *f == ']') depth--;
    }
    *end = *f ? f + 1 : f;
    return items;
}

/* Past a named tuple's head at f ("<SVDResult U S Vh>", just past its bracket), or f where it has
 * none; *head gets the head's text without its angle brackets (a new str) where given and there is one. */
static const char *form_head(const char *f, PyObject **head) {
    if (head) *head = NULL;
    if (*f != '<') return f;
    size_t n = strcspn(f, ">");
    if (head) *head = PyUnicode_FromStringAndSize(f + 1, (Py_ssize_t)n - 1);
    return f + n + (f[n] ? 1 : 0);
}

/* Whether form is a tuple of arrays alone ("(vvv)", evaluate("a*b, sum(a*b)")'s). */
static bool form_flat(const char *form) {
    return form[0] == '(' && strspn(form + 1, "v") == strlen(form) - 2;
}

/* form as Python's text of such a value, arrays written x: "(x, [x, x])", "(x,)". */
static void form_text(const char *f, char *buf, size_t cap) {
    size_t n = 0;
    int items[128] = {0}, depth = 0; /* items of each open tuple or list so far */
    for (const char *p = f; *p && n + 8 < cap; p++) {
        if (*p == '<') { /* (a named tuple's head: shown as a tuple) */
            p = form_head(p, NULL) - 1;
            continue;
        }
        const char *w = *p == 'v' ? "x" : *p == 'n' ? "None" : *p == '(' ? "(" : *p == '[' ? "[" : *p == ']' ? "]" : ")";
        if (*p != ')' && *p != ']') {
            if (depth && items[depth]++) n += (size_t)snprintf(buf + n, cap - n, ", ");
            if ((*p == '(' || *p == '[') && depth < 127) items[++depth] = 0;
        } else {
            if (*p == ')' && items[depth] == 1) n += (size_t)snprintf(buf + n, cap - n, ",");
            if (depth) depth--;
        }
        n += (size_t)snprintf(buf + n, cap - n, "%s", w);
    }
    if (n + 8 >= cap) snprintf(buf + cap - 4, 4, "...");
}

/* out's arrays into flat (at most nv), walking it along form from *f: -1 with a ValueError where
 * out's nesting is not the value's (None where the value has None). */
static int out_flatten(PyObject *o, const char **f, PyObject **flat, int *k, int nv) {
    char c = *(*f)++;
    if (c == 'v') {
        if (*k == nv) return -1;
        flat[(*k)++] = Py_NewRef(o); /* (a reference: reading a buffer may run Python code that changes out's lists) */
        return 0;
    }
    if (c == 'n') return o == Py_None ? 0 : -1;
    *f = form_head(*f, NULL);
    const char *end;
    Py_ssize_t items = form_items(*f, &end);
    if (!(PyTuple_Check(o) || PyList_Check(o)) || PySequence_Fast_GET_SIZE(o) != items) return -1;
    for (Py_ssize_t i = 0; i < items; i++)
        if (out_flatten(PySequence_Fast_GET_ITEM(o, i), f, flat, k, nv) < 0) return -1;
    *f = end;
    return 0;
}

/* The namedtuple class of a named tuple's head ("SVDResult U S Vh"), made once, of module kiln
 * and kiln's attribute too (kiln.SVDResult: pickle finds it there); borrowed, or NULL with an error. */
static PyObject *named_class(PyObject *head) {
    PyObject *cls = PyDict_GetItemWithError(named_types, head);
    if (cls || PyErr_Occurred()) return cls;
    PyObject *parts = PyUnicode_Split(head, NULL, 1);
    if (parts && PyList_GET_SIZE(parts) != 2) {
        PyErr_Format(PyExc_ValueError, "kiln: the named tuple '%U' has no fields", head);
        Py_CLEAR(parts);
    }
    PyObject *collections = parts ? PyImport_ImportModule("collections") : NULL;
    PyObject *make = collections ? PyObject_GetAttrString(collections, "namedtuple") : NULL;
    PyObject *args = make ? PyTuple_Pack(2, PyList_GET_ITEM(parts, 0), PyList_GET_ITEM(parts, 1)) : NULL;
    PyObject *kw = args ? Py_BuildValue("{s:s}", "module", "kiln") : NULL;
    PyObject *made = kw ? PyObject_Call(make, args, kw) : NULL;
    Py_XDECREF(collections);
    Py_XDECREF(make);
    Py_XDECREF(args);
    Py_XDECREF(kw);
    if (made) cls = PyDict_SetDefault(named_types, head, made); /* (two threads' classes: the first one kept) */
    Py_XDECREF(made);
    PyObject *package = cls ? PyImport_ImportModule("kiln") : NULL;
    if (package && PyObject_SetAttr(package, PyList_GET_ITEM(parts, 0), cls) < 0) cls = NULL;
    if (cls && !package) PyErr_Clear(); /* (no kiln package: _kiln alone, unpicklable but whole) */
    Py_XDECREF(package);
    Py_XDECREF(parts);
    return cls;
}

/* The value of form from *f over the arrays of vals (new references, taken from *k on). */
static PyObject *form_build(const char **f, PyObject **vals, int *k) {
    char c = *(*f)++;
    if (c == 'v') return Py_NewRef(vals[(*k)++]);
    if (c == 'n') return Py_NewRef(Py_None);
    PyObject *head = NULL;
    *f = form_head(*f, &head);
    const char *end;
    Py_ssize_t items = form_items(*f, &end);
    PyObject *r = c == '(' ? PyTuple_New(items) : PyList_New(items);
    for (Py_ssize_t i = 0; r && i < items; i++) {
        PyObject *x = form_build(f, vals, k);
        if (!x) Py_CLEAR(r);
        else if (c == '(') PyTuple_SET_ITEM(r, i, x);
        else PyList_SET_ITEM(r, i, x);
    }
    *f = end;
    if (r && head) { /* NumPy's named tuple (svd's SVDResult): a namedtuple of its name and fields */
        PyObject *cls = named_class(head);
        Py_SETREF(r, cls ? PyObject_Call(cls, r, NULL) : NULL);
    }
    Py_XDECREF(head);
    return r;
}

/* A value of several arrays (a tuple's, a list's, nested ones', or none: "()", None), evaluated
 * together (what they share computed once): tuples and lists of new arrays as Python's value
 * would be, or written into out (tuples or lists of writable buffers nested as the value), which
 * is returned. */
static PyObject *evaluate_many(TemplateObject *t, PyObject *out) {
    int nv = t->nvals;
    PyObject *result = NULL, **flat = PyMem_Calloc((size_t)nv + 1, sizeof *flat);
    kiln_array **outs = PyMem_Calloc((size_t)nv + 1, sizeof *outs);
    operand *res = PyMem_Calloc((size_t)nv + 1, sizeof *res);
    int got = 0, owned = 0;
    if (!flat || !outs || !res) {
        PyErr_NoMemory();
        goto done;
    }
    if (out != Py_None) {
        const char *f = t->form;
        int k = 0;
        int bad = out_flatten(out, &f, flat, &k, nv);
        owned = k; /* (out_flatten's references, let go at the end) */
        if (bad < 0 || k != nv) {
            char text[256];
            form_text(t->form, text, sizeof text);
            if (form_flat(t->form))
                PyErr_Format(PyExc_ValueError, "out: the expression has %d values; out must be a tuple of as many arrays", nv);
            else
                PyErr_Format(PyExc_ValueError, "out: the expression's value is %s; out must be tuples or lists nested as it, "
                             "an array for each x", text);
            goto done;
        }
    }
    for (; out != Py_None && got < nv; got++) {
        if (operand_get(flat[got], true, NULL, &res[got]) < 0 || operand_wrap(&res[got], NULL) < 0) {
            got++;
            goto done;
        }
        outs[got] = res[got].a;
    }
    if (nv) {
        int st = run_released(RUN_MANY, nv, t->e, outs, NULL, NULL, t->bound, t->n);
        if (st != KILN_OK) {
            if (st > 0) raise_kiln((kiln_status)st, NULL);
            goto done;
        }
    }
    if (out != Py_None) {
        result = Py_NewRef(out);
        goto done;
    }
    int made = 0;
    for (; made < nv; made++) {
        kiln_array *a = outs[made];
        outs[made] = NULL;
        if (!(flat[made] = array_new(a))) break;
    }
    if (made == nv) {
        const char *f = t->form;
        int k = 0;
        result = form_build(&f, flat, &k);
    }
    for (int i = 0; i < made; i++) Py_DECREF(flat[i]);
    for (int i = made; i < nv; i++) kiln_array_free(outs[i]);
done:
    for (int i = 0; res && i < got; i++) operand_release(&res[i]);
    for (int i = 0; i < owned; i++) Py_DECREF(flat[i]);
    PyMem_Free(flat);
    PyMem_Free(outs);
    PyMem_Free(res);
    return result;
}

/* evaluate(ex, local_dict=None, global_dict=None, out=None)'s arguments into a[4] (NULL where
 * not given), as PyArg_ParseTupleAndKeywords would, without its tuple and dict; -1 with
 * Python's TypeError. */
static int evaluate_args(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject *a[4]) {
    static const char *const kw[4] = {"ex", "local_dict", "global_dict", "out"};
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    if (nargs + nkw > 4) {
        PyErr_Format(PyExc_TypeError, "evaluate() takes at most 4 arguments (%zd given)", nargs + nkw);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) a[i] = args[i];
    for (Py_ssize_t k = 0; k < nkw; k++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, k);
        int j = 0;
        while (j < 4 && PyUnicode_CompareWithASCIIString(name, kw[j]) != 0) j++;
        if (j == 4) {
            PyErr_Format(PyExc_TypeError, "evaluate() got an unexpected keyword argument '%U'", name);
            return -1;
        }
        if (a[j]) {
            PyErr_Format(PyExc_TypeError, "evaluate() got multiple values for argument '%s'", kw[j]);
            return -1;
        }
        a[j] = args[nargs + k];
    }
    if (!a[0]) {
        PyErr_SetString(PyExc_TypeError, "evaluate() missing required argument 'ex' (pos 1)");
        return -1;
    }
    if (!PyUnicode_Check(a[0])) {
        PyErr_Format(PyExc_TypeError, "evaluate() argument 'ex' must be str, not %.50s", Py_TYPE(a[0])->tp_name);
        return -1;
    }
    return 0;
}

static PyObject *py_evaluate(PyObject *mod, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)mod;
    PyObject *a[4] = {NULL, NULL, NULL, NULL};
    if (evaluate_args(args, nargs, kwnames, a) < 0) return NULL;
    PyObject *text = a[0], *locals = a[1] ? a[1] : Py_None, *globals = a[2] ? a[2] : Py_None, *out = a[3] ? a[3] : Py_None;
    if (locals == Py_None && !(locals = PyEval_GetLocals())) PyErr_Clear(); /* the caller's, as numexpr's (none without a Python frame) */
    if (globals == Py_None) globals = PyEval_GetGlobals();
    if ((locals && (!PyMapping_Check(locals) || PyList_Check(locals) || PyTuple_Check(locals))) || (globals && !PyDict_Check(globals))) {
        PyErr_SetString(PyExc_TypeError, "evaluate: local_dict must be a mapping and global_dict a dict");
        return NULL;
    }
    Py_ssize_t len;
    const char *src = PyUnicode_AsUTF8AndSize(text, &len);
    if (!src) return NULL;
    const char *nul = memchr(src, 0, (size_t)len);
    if (nul) { /* (kiln's text ends at a NUL: the rest would be dropped) */
        PyErr_Format(PyExc_ValueError, "evaluate: the expression holds a NUL character (byte %zd)", (Py_ssize_t)(nul - src));
        return NULL;
    }
    /* a reference of our own: reading the operands may run Python code (a mapping's __getitem__,
     * an item's __array__) that clears the templates */
    PyObject *list = Py_XNewRef(PyDict_GetItemWithError(templates, text));
    if (!list && PyErr_Occurred()) return NULL;
    PyObject *names = list && PyList_GET_SIZE(list) ? ((TemplateObject *)PyList_GET_ITEM(list, 0))->names : NULL;
    if (names) Py_INCREF(names);
    else if (!(names = names_of(src))) return NULL;
    int n = (int)PyTuple_GET_SIZE(names);
    if (n > MAX_OPERANDS) {
        Py_DECREF(names);
        Py_XDECREF(list);
        PyErr_Format(PyExc_ValueError, "evaluate: the expression reads more than %d names", MAX_OPERANDS);
        return NULL;
    }
    PyObject *vals[MAX_OPERANDS]; /* references, NULL where the name is not an operand */
    operand ops[MAX_OPERANDS], res;
    memset(&res, 0, sizeof res);
    PyObject *result = NULL;
    TemplateObject *t = NULL;
    int got = 0;
    for (; got < n; got++) {
        PyObject *nm = PyTuple_GET_ITEM(names, got), *v = NULL;
        memset(&ops[got], 0, sizeof ops[got]);
        vals[got] = NULL;
        if (locals) {
            /* (a dict subclass through its __getitem__ and __missing__, as numexpr reads local_dict[name]) */
            v = PyDict_CheckExact(locals) ? Py_XNewRef(PyDict_GetItemWithError(locals, nm)) : PyObject_GetItem(locals, nm);
            if (!v && PyErr_Occurred()) {
                if (!PyErr_ExceptionMatches(PyExc_KeyError)) goto done_got;
                PyErr_Clear();
            }
        }
        if (!v && globals) {
            v = Py_XNewRef(PyDict_GetItemWithError(globals, nm));
            if (!v && PyErr_Occurred()) goto done_got;
        }
        if (!v) continue;
        if (!is_number(v) && !PyObject_CheckBuffer(v) && (PyLong_Check(v) || PyFloat_Check(v))) { /* an IntEnum, a float subclass: its number */
            PyObject *x = PyLong_Check(v) ? PyNumber_Index(v) : PyFloat_FromDouble(PyFloat_AsDouble(v));
            Py_SETREF(v, x);
            if (!v) goto done_got;
        } else if ((v == Py_None || PyUnicode_CheckExact(v) || PyTuple_CheckExact(v)) && (ops[got].lit = literal_text(v))) {
            /* None, a string, a tuple of literals: Python's values (x[t] as x[1, 2]; axis=t; astype(s)), their text read once */
        } else if (v == Py_None || PyUnicode_CheckExact(v)) {
            PyErr_NoMemory(); /* (literal_text fails for these only without memory) */
            goto done_got;
        } else if (PyTuple_Check(v) && !tuple_of_numbers(v)) { /* (NumPy's y[t] of a tuple of index arrays is no array of them) */
            PyErr_Format(PyExc_TypeError, "evaluate: '%U' is a tuple holding arrays (or lists of more than 4096 items): kiln takes a tuple of "
                         "Python numbers, strings and None in tuples and lists; name its arrays in the text instead (y[i, j], not y[t])", nm);
            Py_DECREF(v);
            goto done_got;
        } else if (PyList_Check(v) || PyTuple_Check(v)) { /* nested lists of numbers: NumPy's array of them */
            PyObject *np = PyImport_ImportModule("numpy"), *x = np ? PyObject_CallMethod(np, "asarray", "(O)", v) : NULL; /* (one argument, a tuple too) */
            Py_XDECREF(np);
            Py_SETREF(v, x);
            if (!v) goto done_got;
        }
        if (is_number(v) || ops[got].lit) {
            vals[got] = v;
        } else if (PyObject_CheckBuffer(v)) {
            vals[got] = v;
            if (operand_get(v, false, nm, &ops[got]) < 0) goto done_got;
        } else if (PyModule_Check(v) || PyCallable_Check(v)) {
            Py_DECREF(v); /* a module, a function...: not an operand; kiln reads the name itself */
        } else {
            PyErr_Format(PyExc_TypeError, "evaluate: '%U' is of type %s: kiln takes arrays (the buffer protocol) of float64, float32, "
                         "integers to int64 and uint32, or bool, lists of numbers, and Python numbers", nm, Py_TYPE(v)->tp_name);
            Py_DECREF(v);
            goto done_got;
        }
    }
    /* the template made for operands like these, or a new one */
    for (Py_ssize_t k = 0; list && k < PyList_GET_SIZE(list) && !t; k++) {
        TemplateObject *c = (TemplateObject *)PyList_GET_ITEM(list, k);
        if (template_fits(c, vals, ops)) t = (TemplateObject *)Py_NewRef(c);
    }
    if (!t) {
        int reusable = 0;
        for (int i = 0; i < n; i++)
            if (ops[i].held && operand_wrap(&ops[i], PyTuple_GET_ITEM(names, i)) < 0) goto done;
        if (!(t = template_make(src, names, vals, ops, &reusable))) goto done;
        for (int i = 0; i < n; i++) { /* the new template starts from these wrappers */
            if (!ops[i].a || ops[i].swap) continue;
            t->wraps[i].a = kiln_array_retain(ops[i].a);
            t->wraps[i].buf = ops[i].view.buf;
            for (int d = 0; d < ops[i].view.ndim; d++) t->wraps[i].strides[d] = ops[i].view.strides ? ops[i].view.strides[d] : 0;
        }
        if (reusable) {
            if (!list && PyDict_Size(templates) >= MAX_TEXTS) PyDict_Clear(templates); /* a bound, as numexpr's */
            if (!list && (!(list = PyList_New(0)) || PyDict_SetItem(templates, text, list) < 0)) goto done;
            if (PyList_GET_SIZE(list) >= TEMPLATES_PER_TEXT && PySequence_DelItem(list, 0) < 0) goto done;
            if (PyList_Append(list, (PyObject *)t) < 0) goto done;
        }
    } else {
        for (int i = 0; i < n; i++)
            if (ops[i].held && wrap_reused(&t->wraps[i], &ops[i], PyTuple_GET_ITEM(names, i)) < 0) goto done;
    }
    t->busy = true;
    for (int k = 0; k < t->n; k++) {
        if (t->bound[k] == ops[t->which[k]].a) continue; /* the same wrapper as last call */
        kiln_status st = kiln_bind(ctx, t->params[k], ops[t->which[k]].a);
        t->bound[k] = st == KILN_OK ? ops[t->which[k]].a : NULL;
        if (st != KILN_OK) {
            raise_kiln(st, NULL);
            goto unbind;
        }
    }
    if (strcmp(t->form, "v")) {
        result = evaluate_many(t, out);
    } else if (out != Py_None && (PyTuple_Check(out) || PyList_Check(out))) {
        PyErr_Format(PyExc_TypeError, "out: the expression has one value; out must be an array, not a %s (a tuple is for a tuple's values)",
                     Py_TYPE(out)->tp_name);
    } else if (out != Py_None) {
        if (operand_get(out, true, NULL, &res) < 0 || wrap_reused(&t->out, &res, NULL) < 0) goto unbind;
        int st = run_released(RUN_INTO, 1, t->e, NULL, res.a, NULL, t->bound, t->n);
        if (st > 0) raise_kiln((kiln_status)st, NULL);
        else if (st == KILN_OK) result = Py_NewRef(out);
    } else {
        kiln_array *a = NULL;
        int st = run_released(RUN_ONE, 1, t->e, NULL, NULL, &a, t->bound, t->n);
        result = a ? array_new(a) : st >= 0 ? raise_kiln((kiln_status)st, NULL) : NULL;
    }
unbind:
    /* bindings to the template's own wrappers stay (the next call with the same memory binds
     * nothing); any other (a fresh wrap, a byte-swapped copy) is let go now */
    for (int k = 0; k < t->n; k++) {
        const wrapper *w = &t->wraps[t->which[k]];
        if (t->bound[k] && t->bound[k] == w->a && !ops[t->which[k]].swap) continue;
        kiln_bind(ctx, t->params[k], NULL);
        t->bound[k] = NULL;
    }
    t->busy = false;
done:
    got = n;
done_got:
    operand_release(&res);
    for (int i = 0; i < got && i < n; i++) {
        operand_release(&ops[i]);
        Py_XDECREF(vals[i]);
    }
    if (got < n) { /* stopped at got: its value (a reference) may be taken */
        operand_release(&ops[got]);
        Py_XDECREF(vals[got]);
    }
    Py_XDECREF((PyObject *)t);
    Py_XDECREF(list);
    Py_DECREF(names);
    return result;
}

static PyObject *py_clear_cache(PyObject *mod, PyObject *unused) {
    (void)mod;
    (void)unused;
    PyDict_Clear(templates);
    kiln_trim(ctx); /* (the freed buffers kept for the next call's sizes go back to the system) */
    Py_RETURN_NONE;
}

static PyObject *py_cache_size(PyObject *mod, PyObject *unused) {
    (void)mod;
    (void)unused;
    Py_ssize_t n = 0, pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(templates, &pos, &k, &v)) n += PyList_GET_SIZE(v);
    return PyLong_FromSsize_t(n);
}

static PyObject *py_stats(PyObject *mod, PyObject *unused) {
    (void)mod;
    (void)unused;
    kiln_stats s;
    kiln_get_stats(ctx, &s);
    return Py_BuildValue("{s:K,s:K,s:K,s:K,s:K}", "evals", (unsigned long long)s.evals, "kernels_compiled",
                         (unsigned long long)s.kernels_compiled, "cache_hits", (unsigned long long)s.cache_hits, "cache_misses",
                         (unsigned long long)s.cache_misses, "plans_built", (unsigned long long)s.plans_built);
}

static PyMethodDef methods[] = {
    {"evaluate", (PyCFunction)(void (*)(void))py_evaluate, METH_FASTCALL | METH_KEYWORDS,
     "evaluate(ex, local_dict=None, global_dict=None, out=None)\n--\n\n"
     "The value of the expression ex, as numexpr.evaluate computes it: names are looked up in local_dict, then\n"
     "global_dict (by default the caller's locals and globals); arrays (anything with the buffer protocol) are read\n"
     "in place, Python numbers as NumPy reads Python scalars.  With out (a writable buffer of the result's shape and\n"
     "dtype) the result is written there and out is returned; otherwise a new kiln.Array (numpy.asarray wraps it\n"
     "without a copy).  The expression is parsed once for its operands' dtypes and shapes."},
    {"_clear_cache", py_clear_cache, METH_NOARGS, "Forgets every parsed expression and gives kiln's pool of freed buffers back."},
    {"_cache_size", py_cache_size, METH_NOARGS, "How many parsed expressions are kept."},
    {"stats", py_stats, METH_NOARGS, "kiln's counters: evaluations, kernels compiled, cache hits and misses, plans built."},
    {NULL, NULL, 0, NULL},
};

static void module_free(void *m) {
    (void)m;
    Py_CLEAR(templates);
    Py_CLEAR(named_types);
    kiln_ctx *c = ctx;
    ctx = NULL; /* (first: the SIGINT handler reads it) */
    kiln_ctx_free(c);
}

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kiln", "kiln's C extension (see the kiln package).", -1, methods,
                                    NULL, NULL, NULL, module_free};

PyMODINIT_FUNC PyInit__kiln(void) {
    if (PyType_Ready(&ArrayType) < 0 || PyType_Ready(&TemplateType) < 0) return NULL;
    ctx = kiln_ctx_new(NULL);
    if (!ctx) {
        PyErr_SetString(PyExc_RuntimeError, "kiln: could not make a context");
        return NULL;
    }
    watch_sigint();
    templates = PyDict_New();
    named_types = PyDict_New();
    PyObject *m = templates && named_types ? PyModule_Create(&module) : NULL;
    if (!m || PyModule_AddObjectRef(m, "Array", (PyObject *)&ArrayType) < 0) {
        Py_XDECREF(m);
        return NULL;
    }
    return m;
}
