/*
 * fuzz_npy.c — libFuzzer target: the .npy reader.  Each input is a file's bytes (kept in a
 * memory file); what loads is read in full, element by element through its strides, and
 * summed by kiln, and written back out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kiln.h"

static kiln_ctx *ctx;
static char path[64], out[64];
static int fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    setenv("KILN_MAX_ARRAY_MB", "64", 1);
    setenv("KILN_DISABLE_CACHE", "1", 1);
    ctx = kiln_ctx_new(NULL);
    fd = memfd_create("fuzz.npy", 0);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    snprintf(out, sizeof out, "/tmp/kiln-fuzz-npy-%d.npy", (int)getpid());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) return 0;
    kiln_array *a = size & 1 ? kiln_map_npy(ctx, path) : kiln_load_npy(ctx, path); /* (both ways in) */
    if (!a) return 0;
    /* every element, by hand */
    int nd = kiln_array_ndim(a);
    const int64_t *shape = kiln_array_shape(a), *strides = kiln_array_strides(a);
    int64_t n = kiln_array_size(a), idx[8] = {0};
    size_t es = kiln_dtype_size(kiln_array_dtype(a)); /* (uint8 and bool: 1) */
    volatile unsigned char acc = 0;
    for (int64_t k = 0; k < n; k++) {
        const unsigned char *p = kiln_array_data(a);
        for (int d = 0; d < nd; d++) p += idx[d] * strides[d];
        for (size_t b = 0; b < es; b++) acc ^= p[b];
        for (int d = nd - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) break;
            idx[d] = 0;
        }
    }
    /* and by kiln: a reduction over it, and a round trip through save */
    kiln_expr *v = kiln_var(ctx, a), *s = kiln_sum(ctx, v, KILN_ALL_AXES, 0);
    kiln_array_free(kiln_eval(ctx, s));
    if (kiln_save_npy(ctx, out, a) == KILN_OK) {
        kiln_array *b = kiln_load_npy(ctx, out);
        kiln_array_free(b);
        unlink(out);
    }
    kiln_expr_free(s);
    kiln_expr_free(v);
    kiln_array_free(a);
    (void)acc;
    return 0;
}
