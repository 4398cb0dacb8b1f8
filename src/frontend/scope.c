/*
 * scope.c — names bound to arrays, and the random state behind np.random and default_rng().
 *
 * Pipeline position: beside the parser, which looks names up here.  The REPL keeps one scope
 * for the whole session; a binding is replaced only when a statement succeeded.
 */
#include "scope.h"

#include "frontend.h"
#include "lex.h"

#include <math.h>
#include <string.h>

#include "../runtime/ctx.h"

static void scope_release(rt_owned *o) { kiln_scope_free((kiln_scope *)(void *)((char *)o - offsetof(kiln_scope, own))); }

kiln_scope *kiln_scope_new(kiln_ctx *ctx) {
    if (!ctx) return NULL;
    kiln_scope *s = kiln_calloc(ctx, sizeof *s);
    if (!s) return NULL;
    s->ctx = ctx;
    s->own.release = scope_release;
    rt_own(ctx, &s->own);
    s->print = FE_PRINTOPTS;
    s->rng.key = s->mt_key;
    uint32_t key[FE_MT_WORDS]; /* np.random's legacy state, unseeded: the operating system's entropy, as NumPy's */
    if (fe_rng_os_entropy(key, FE_MT_WORDS)) fe_rng_seed_mt_words(&s->rng, key, FE_MT_WORDS);
    else kiln_scope_seed(s, 0);
    return s;
}

const fe_printopts *fe_scope_printopts(const kiln_scope *s) { return s ? &s->print : NULL; }
void fe_scope_set_printopts(kiln_scope *s, const fe_printopts *po) { s->print = *po; }

static int alias_at(char (*list)[32], int n, const char *name);

bool fe_scope_is_numpy(const kiln_scope *s, const char *name) {
    return !strcmp(name, "np") || !strcmp(name, "numpy") || (s && alias_at((char(*)[32])s->np_alias, s->n_np_alias, name) >= 0);
}

/* Where name is on an alias list, or -1. */
static int alias_at(char (*list)[32], int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (!strcmp(list[i], name)) return i;
    return -1;
}

bool fe_scope_is_linalg(const kiln_scope *s, const char *name) { return s && alias_at((char(*)[32])s->la_alias, s->n_la_alias, name) >= 0; }

/* name off an alias list (a later import rebinds it) */
static void unalias(char (*list)[32], int *n, const char *name) {
    int i = alias_at(list, *n, name);
    if (i >= 0) memmove(list[i], list[i + 1], (size_t)(--*n - i) * sizeof *list);
}

/* name onto the alias list to (n of FE_NUMPY_ALIASES), off the other one */
static bool alias(char (*to)[32], int *n, char (*other)[32], int *nother, const char *name) {
    unalias(other, nother, name);
    if (alias_at(to, *n, name) >= 0) return true;
    if (strlen(name) >= sizeof *to || *n == FE_NUMPY_ALIASES) return false;
    snprintf(to[(*n)++], sizeof *to, "%s", name);
    return true;
}

bool fe_scope_alias_linalg(kiln_scope *s, const char *name) { return alias(s->la_alias, &s->n_la_alias, s->np_alias, &s->n_np_alias, name); }

bool fe_scope_alias_numpy(kiln_scope *s, const char *name) {
    if (strcmp(name, "np") && strcmp(name, "numpy")) return alias(s->np_alias, &s->n_np_alias, s->la_alias, &s->n_la_alias, name);
    unalias(s->la_alias, &s->n_la_alias, name); /* (numpy's own names: on no list, off linalg's) */
    return true;
}

void kiln_scope_free(kiln_scope *s) {
    if (!s) return;
    rt_disown(s->ctx, &s->own);
    for (int i = 0; i < s->n; i++) {
        kiln_free(s->ctx, s->names[i]);
        kiln_array_free(s->arrays[i]);
        if (s->vals[i]) kval_free(s->ctx, s->vals[i]);
        kiln_free(s->ctx, s->vals[i]);
    }
    for (int i = 0; i < s->n; i++) kiln_free(s->ctx, s->origin[i].from);
    kiln_free(s->ctx, s->origin);
    kiln_free(s->ctx, s->live);
    kiln_free(s->ctx, s->vals);
    kiln_free(s->ctx, s->names);
    kiln_free(s->ctx, s->gens);
    kiln_free(s->ctx, s->arrays);
    kiln_free(s->ctx, s->py);
    kiln_free(s->ctx, s);
}

static int find(const kiln_scope *s, const char *name) {
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->names[i], name)) return i;
    return -1;
}

/* find, looking at slot hint first (where the name was last seen: a name keeps its slot until a
 * name before it is deleted) */
static int find_at(const kiln_scope *s, const char *name, int hint) {
    return hint >= 0 && hint < s->n && !strcmp(s->names[hint], name) ? hint : find(s, name);
}

/* Whether name is one a program can write: a letter or _ (or a UTF-8 character) first, then
 * those or digits. */
static bool a_name(const char *name) { /* (the lexer's names, not a keyword nor True, False, None: a program reads them) */
    size_t n = name ? strlen(name) : 0;
    return lex_is_name(name, 0, n) && !lex_is_keyword(name, n) && strcmp(name, "True") && strcmp(name, "False") && strcmp(name, "None");
}

bool fe_scope_name_ok(const char *name) { return a_name(name); }

kiln_status kiln_scope_set(kiln_scope *s, const char *name, kiln_array *a) {
    if (s && name && !a_name(name)) return kiln_fail(s->ctx, KILN_ERR_ARG, "kiln_scope_set: '%s' is not a name a program can write", name);
    return fe_scope_set(s, name, a, false);
}

kiln_status kiln_scope_set_number(kiln_scope *s, const char *name, kiln_array *a) {
    if (!s) return KILN_ERR_ARG;
    if (name && !a_name(name)) return kiln_fail(s->ctx, KILN_ERR_ARG, "kiln_scope_set_number: '%s' is not a name a program can write", name);
    if (a && (a->ndim != 0 || (a->dtype != KILN_F64 && a->dtype != KILN_I64 && a->dtype != KILN_BOOL)))
        return kiln_fail(s->ctx, KILN_ERR_ARG, "kiln_scope_set_number: a Python number is a 0-d float64, int64 or bool array");
    return fe_scope_set(s, name, a, true);
}

/* The slot of name, made when there is none; -1 when out of memory. */
static int slot(kiln_scope *s, const char *name) {
    fe_scope_unshadow(s, name); /* (a binding of sum is the program's own, whatever from numpy import did) */
    int i = find(s, name);
    if (i >= 0) return i;
    if (s->n == s->cap) {
        int nc = s->cap ? s->cap * 2 : 8;
        char **nn = kiln_realloc(s->ctx, s->names, (size_t)nc * sizeof *nn);
        if (!nn) return -1;
        s->names = nn;
        kiln_array **na = kiln_realloc(s->ctx, s->arrays, (size_t)nc * sizeof *na);
        if (!na) return -1;
        s->arrays = na;
        bool *np = kiln_realloc(s->ctx, s->py, (size_t)nc * sizeof *np);
        if (!np) return -1;
        s->py = np;
        struct kval **nv = kiln_realloc(s->ctx, s->vals, (size_t)nc * sizeof *nv);
        if (!nv) return -1;
        s->vals = nv;
        struct scope_origin *no = kiln_realloc(s->ctx, s->origin, (size_t)nc * sizeof *no);
        if (!no) return -1;
        s->origin = no;
        uint64_t *nl = kiln_realloc(s->ctx, s->live, (size_t)nc * sizeof *nl);
        if (!nl) return -1;
        s->live = nl;
        s->cap = nc;
    }
    char *copy = kiln_strdup(s->ctx, name);
    if (!copy) return -1;
    s->names[s->n] = copy;
    s->arrays[s->n] = NULL;
    s->py[s->n] = false;
    s->vals[s->n] = NULL;
    s->origin[s->n] = (struct scope_origin){0};
    return s->n++;
}

/* Where id is in s->live (a binary search), or -1 where it is bound no more. */
static int live_index(const kiln_scope *s, uint64_t id) {
    int a = 0, b = s->nlive;
    while (a < b) {
        int m = a + (b - a) / 2;
        if (s->live[m] < id) a = m + 1;
        else b = m;
    }
    return a < s->nlive && s->live[a] == id ? a : -1;
}

static void live_remove(kiln_scope *s, uint64_t id) {
    int k = live_index(s, id);
    if (k >= 0) memmove(s->live + k, s->live + k + 1, (size_t)(--s->nlive - k) * sizeof *s->live);
}

/* Slot i's binding is a new one: it comes from nothing yet (an id larger than any, so it goes
 * last in s->live, which has room for every slot's). */
static void new_origin(kiln_scope *s, int i) {
    kiln_free(s->ctx, s->origin[i].from);
    if (s->origin[i].id) live_remove(s, s->origin[i].id);
    s->origin[i] = (struct scope_origin){.id = ++s->next_id};
    s->live[s->nlive++] = s->next_id;
}
void fe_scope_renew(kiln_scope *s, const char *name) {
    int i = s && name ? find(s, name) : -1;
    if (i >= 0) new_origin(s, i);
}

/* Drops what slot i holds; what it gets next is a new binding. */
static void clear_slot(kiln_scope *s, int i) {
    new_origin(s, i);
    kiln_array_free(s->arrays[i]);
    s->arrays[i] = NULL;
    if (s->vals[i]) kval_free(s->ctx, s->vals[i]);
    kiln_free(s->ctx, s->vals[i]);
    s->vals[i] = NULL;
}

kiln_status fe_scope_set(kiln_scope *s, const char *name, kiln_array *a, bool py) {
    if (!s) return KILN_ERR_ARG;
    if (!name || !a) return kiln_fail(s->ctx, KILN_ERR_ARG, "kiln_scope_set: %s is NULL", name ? "array" : "name");
    if (a->ctx != s->ctx) return kiln_fail(s->ctx, KILN_ERR_ARG, "kiln_scope_set: the array belongs to another context");
    int i = slot(s, name);
    if (i < 0) return KILN_ERR_NOMEM;
    kiln_array_retain(a);
    clear_slot(s, i);
    s->arrays[i] = a;
    s->py[i] = py;
    return KILN_OK;
}

kiln_status fe_scope_set_value(kiln_scope *s, const char *name, const kval *v) {
    if (!s || !name || !v) return KILN_ERR_ARG;
    kval copy = {0};
    if (!fe_kval_copy(s->ctx, &copy, v)) return KILN_ERR_NOMEM;
    kiln_status st = fe_scope_take_value(s, name, &copy);
    kval_free(s->ctx, &copy);
    return st;
}

kiln_status fe_scope_take_value(kiln_scope *s, const char *name, kval *v) {
    if (!s || !name || !v) return KILN_ERR_ARG;
    kval *held = kiln_calloc(s->ctx, sizeof *held);
    int i = held ? slot(s, name) : -1;
    if (i < 0) {
        kiln_free(s->ctx, held);
        return KILN_ERR_NOMEM;
    }
    *held = *v;
    memset(v, 0, sizeof *v);
    clear_slot(s, i);
    s->vals[i] = held;
    return KILN_OK;
}

kiln_status fe_scope_append(kiln_scope *s, const char *name, kval *item) {
    int i = s && name ? find(s, name) : -1;
    kval *v = i < 0 ? NULL : s->vals[i];
    if (!v || v->kind != KV_LIST) return KILN_ERR_ARG;
    kval *ni = kiln_realloc(s->ctx, v->items, (size_t)(v->n + 1) * sizeof *ni);
    if (!ni) return KILN_ERR_NOMEM;
    v->items = ni;
    v->items[v->n++] = *item;
    memset(item, 0, sizeof *item);
    return KILN_OK;
}

kiln_status fe_scope_extend(kiln_scope *s, const char *name, kval *items) {
    int i = s && name ? find(s, name) : -1;
    kval *v = i < 0 ? NULL : s->vals[i];
    if (!v || v->kind != KV_LIST || items->kind != KV_LIST) return KILN_ERR_ARG;
    if (!items->n) return KILN_OK;
    kval *ni = kiln_realloc(s->ctx, v->items, (size_t)(v->n + items->n) * sizeof *ni);
    if (!ni) return KILN_ERR_NOMEM;
    memcpy(ni + v->n, items->items, (size_t)items->n * sizeof *ni);
    v->items = ni;
    v->n += items->n;
    kiln_free(s->ctx, items->items);
    memset(items, 0, sizeof *items);
    return KILN_OK;
}

kval *fe_scope_seq(kiln_scope *s, const char *name) {
    int i = s && name ? find(s, name) : -1;
    return i < 0 || !s->vals[i] || (s->vals[i]->kind != KV_LIST && s->vals[i]->kind != KV_TUPLE) ? NULL : s->vals[i];
}

kval *fe_scope_list(kiln_scope *s, const char *name) {
    kval *v = fe_scope_seq(s, name);
    return v && v->kind == KV_LIST ? v : NULL;
}

const kval *fe_scope_value(const kiln_scope *s, const char *name) {
    int i = s && name ? find(s, name) : -1;
    return i < 0 ? NULL : s->vals[i];
}

kiln_array *kiln_scope_get(const kiln_scope *s, const char *name) {
    if (!s || !name) return NULL;
    int i = find(s, name);
    return i < 0 ? NULL : s->arrays[i];
}

kiln_array *fe_scope_get_at(const kiln_scope *s, const char *name, int *slot, bool *py) {
    int i = *slot = find_at(s, name, *slot);
    if (py) *py = i >= 0 && s->py[i];
    return i < 0 ? NULL : s->arrays[i];
}

int kiln_scope_count(const kiln_scope *s) { return s ? s->n : 0; }
const char *kiln_scope_name(const kiln_scope *s, int i) { return s && i >= 0 && i < s->n ? s->names[i] : NULL; }

bool fe_scope_py(const kiln_scope *s, const char *name) {
    if (!s || !name) return false;
    int i = find(s, name);
    return i >= 0 && s->py[i];
}

kiln_status fe_scope_del(kiln_scope *s, const char *name) {
    int i = s ? find(s, name) : -1;
    if (i < 0) return KILN_OK;
    kiln_free(s->ctx, s->names[i]);
    clear_slot(s, i);
    live_remove(s, s->origin[i].id);
    memmove(s->origin + i, s->origin + i + 1, (size_t)(s->n - i - 1) * sizeof *s->origin);
    memmove(s->names + i, s->names + i + 1, (size_t)(s->n - i - 1) * sizeof *s->names);
    memmove(s->arrays + i, s->arrays + i + 1, (size_t)(s->n - i - 1) * sizeof *s->arrays);
    memmove(s->py + i, s->py + i + 1, (size_t)(s->n - i - 1) * sizeof *s->py);
    memmove(s->vals + i, s->vals + i + 1, (size_t)(s->n - i - 1) * sizeof *s->vals);
    s->n--;
    return KILN_OK;
}

/* ---- where values came from */

static bool bound_now(const kiln_scope *s, uint64_t id) { return live_index(s, id) >= 0; }

/* Appends id to list (n of cap); false when out of memory. */
static bool push_id(kiln_scope *s, uint64_t **list, int *n, int *cap, uint64_t id) {
    if (*n == *cap) {
        int nc = *cap ? 2 * *cap : 8;
        uint64_t *nl = kiln_realloc(s->ctx, *list, (size_t)nc * sizeof *nl);
        if (!nl) return false;
        *list = nl;
        *cap = nc;
    }
    (*list)[(*n)++] = id;
    return true;
}

/* ... unless it is there. */
static bool add_id(kiln_scope *s, uint64_t **list, int *n, int *cap, uint64_t id) {
    for (int k = 0; k < *n; k++)
        if ((*list)[k] == id) return true;
    return push_id(s, list, n, cap, id);
}

/* The ids a statement's value comes from: a list, and which live ids are in it (seen, by their
 * place in s->live: each is added once without a search of the list). */
typedef struct source_list {
    uint64_t *ids;
    int n, cap;
    unsigned char *seen;
} source_list;

/* Adds name's binding and what it came from (still bound) to l; false when out of memory.  hint:
 * where the name was last seen (a dependency's slot), or -1. */
static bool add_sources(kiln_scope *s, const char *name, int hint, source_list *l) {
    int i = name ? find_at(s, name, hint) : -1;
    if (i < 0) return true;
    for (int k = -1; k < s->origin[i].n; k++) {
        uint64_t id = k < 0 ? s->origin[i].id : s->origin[i].from[k];
        int at = live_index(s, id);
        if (at < 0 || l->seen[at]) continue;
        l->seen[at] = 1;
        if (!push_id(s, &l->ids, &l->n, &l->cap, id)) return false;
    }
    return true;
}

static bool sources_begin(kiln_scope *s, source_list *l) {
    *l = (source_list){.seen = s ? kiln_calloc(s->ctx, (size_t)s->nlive + 1) : NULL};
    return l->seen != NULL;
}

static int sources_end(kiln_scope *s, source_list *l, uint64_t **ids) {
    kiln_free(s ? s->ctx : NULL, l->seen);
    *ids = l->ids;
    return l->n;
}

int fe_scope_sources(kiln_scope *s, const fe_deps *deps, uint64_t **ids, bool update) {
    source_list l;
    bool ok = sources_begin(s, &l);
    for (int d = 0; ok && d < deps->n; d++) /* (an update, x -= ..., is not made from what only its gradients read) */
        if (deps->d[d].what != FE_DEP_FREE && (!update || deps->d[d].outside_grad)) ok = add_sources(s, deps->d[d].name, deps->d[d].slot, &l); /* (out of memory: what was found) */
    return sources_end(s, &l, ids);
}

const char *fe_leaf_name(const kiln_scope *s, const fe_deps *deps, const kiln_expr *leaf) {
    if (leaf->op == KILN_OP_PARAM)
        for (int i = 0; deps && i < deps->n; i++)
            if (deps->d[i].param == leaf) return deps->d[i].name;
    return leaf->op == KILN_OP_VAR ? fe_scope_name_of(s, kiln_expr_array((kiln_expr *)leaf)) : NULL;
}

int fe_scope_sources_of(kiln_scope *s, const fe_deps *deps, kiln_expr *e, uint64_t **ids) {
    source_list l;
    kiln_expr **order = NULL;
    uint32_t count = 0;
    if (sources_begin(s, &l) && e && ir_walk(&s->ctx->graph, &e, 1, NULL, NULL, &order, &count) == KILN_OK)
        for (uint32_t k = 0; k < count; k++)
            if (op_is_array_leaf(order[k]->op) && !add_sources(s, fe_leaf_name(s, deps, order[k]), -1, &l)) break;
    kiln_free(s ? s->ctx : NULL, order);
    return sources_end(s, &l, ids);
}

void fe_scope_derive(kiln_scope *s, const char *name, const uint64_t *ids, int n, bool add) {
    int i = s && name ? find(s, name) : -1;
    if (i < 0) return;
    struct scope_origin *o = &s->origin[i];
    if (!add) o->n = 0;
    int kept = 0; /* (ids no longer bound are never bound again: dropped, or a loop's x[i] = v or x -= g
                     would grow the list by one each time round) */
    for (int k = 0; k < o->n; k++)
        if (bound_now(s, o->from[k])) o->from[kept++] = o->from[k];
    int cap = o->n;
    o->n = kept;
    for (int k = 0; k < n; k++)
        if (ids[k] != o->id && !add_id(s, &o->from, &o->n, &cap, ids[k])) return;
}

bool fe_scope_derived(const kiln_scope *s, const char *name, const char *from) {
    int i = s && name ? find(s, name) : -1, j = s && from ? find(s, from) : -1;
    if (i < 0 || j < 0 || i == j) return false;
    for (int k = 0; k < s->origin[i].n; k++)
        if (s->origin[i].from[k] == s->origin[j].id) return true;
    return false;
}

/* Whether a is one of v's arrays (an item of a tuple or list, at any depth). */
static bool holds(const kval *v, const kiln_array *a, int depth) {
    if (v->kind == KV_ARRAY) return v->e && v->e->op == KILN_OP_VAR && kiln_expr_array(v->e) == a;
    for (int k = 0; (v->kind == KV_TUPLE || v->kind == KV_LIST) && depth < 64 && k < v->n; k++)
        if (holds(&v->items[k], a, depth + 1)) return true;
    return false;
}

const char *fe_scope_name_of(const kiln_scope *s, const kiln_array *a) {
    for (int i = 0; s && a && i < s->n; i++)
        if (s->arrays[i] == a) return s->names[i];
    for (int i = 0; s && a && i < s->n; i++) /* (a tuple's or a list's item: the name of the whole) */
        if (s->vals[i] && holds(s->vals[i], a, 0)) return s->names[i];
    return NULL;
}

/* np.random.seed(n): NumPy's legacy seeding; a seed past 32 bits as the list [low, high]. */
void kiln_scope_seed(kiln_scope *s, uint64_t seed) {
    if (!s) return;
    if (seed >> 32) fe_rng_seed_mt_words(&s->rng, (const uint32_t[]){(uint32_t)seed, (uint32_t)(seed >> 32)}, 2);
    else fe_rng_seed_mt(&s->rng, (uint32_t)seed);
}

fe_rng *fe_scope_generator(kiln_scope *s, const char *name) {
    const kval *v = fe_scope_value(s, name);
    return v && v->kind == KV_GEN && v->rng >= 0 && v->rng < s->ngens ? &s->gens[v->rng] : NULL;
}

int scope_new_generator(kiln_scope *s, const uint32_t *entropy, int n) {
    if (s->ngens == s->gens_cap) {
        int cap = s->gens_cap ? 2 * s->gens_cap : 4;
        fe_rng *g = kiln_realloc(s->ctx, s->gens, (size_t)cap * sizeof *g);
        if (!g) return -1;
        s->gens = g, s->gens_cap = cap;
    }
    fe_rng_seed_pcg(&s->gens[s->ngens], entropy, n);
    return s->ngens++;
}

bool scope_rngs_save(kiln_scope *s, scope_rngs *r) {
    r->legacy = s->rng;
    memcpy(r->key, s->mt_key, sizeof r->key);
    r->n = s->ngens;
    r->gens = s->ngens ? kiln_malloc(s->ctx, (size_t)s->ngens * sizeof *r->gens) : NULL;
    if (s->ngens && !r->gens) return false;
    if (s->ngens) memcpy(r->gens, s->gens, (size_t)s->ngens * sizeof *r->gens);
    return true;
}

void scope_rngs_load(kiln_scope *s, const scope_rngs *r) {
    s->rng = r->legacy;
    s->rng.key = s->mt_key;
    memcpy(s->mt_key, r->key, sizeof r->key);
    if (r->n) memcpy(s->gens, r->gens, (size_t)r->n * sizeof *r->gens);
    s->ngens = r->n; /* (a generator made since is gone with the parse that made it) */
}

void scope_rngs_free(kiln_scope *s, scope_rngs *r) {
    kiln_free(s->ctx, r->gens);
    r->gens = NULL;
}
