/*
 * test_npy.c — .npy files: round trips for every dtype and rank, files kiln did not write
 * (Fortran order, big-endian, format 2.0), and a table of corrupt, truncated and hostile
 * files, each refused with a clear message.  Saving leaves no file behind when it fails.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static kiln_ctx *ctx;
static char dir[64];

static void setup(void) {
    ctx = kiln_ctx_new(NULL);
    snprintf(dir, sizeof dir, "/tmp/kiln-npy-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}
static void teardown(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    kiln_ctx_free(ctx);
}

static void write_file(const char *path, const void *p, size_t n) {
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(p, 1, n, f), n);
    fclose(f);
}

/* A .npy image: magic, version, the dict padded to 64 bytes, then data. */
static size_t npy_image(char *out, int major, const char *dict, const void *data, size_t nbytes) {
    size_t pre = major == 1 ? 10 : 12, dl = strlen(dict), total = (pre + dl + 1 + 63) / 64 * 64, hl = total - pre;
    memcpy(out, "\x93NUMPY", 6);
    out[6] = (char)major;
    out[7] = 0;
    if (major == 1) {
        out[8] = (char)(hl & 255);
        out[9] = (char)(hl >> 8);
    } else {
        for (int i = 0; i < 4; i++) out[8 + i] = (char)(hl >> (8 * i));
    }
    memcpy(out + pre, dict, dl);
    memset(out + pre + dl, ' ', hl - dl - 1);
    out[total - 1] = '\n';
    memcpy(out + total, data, nbytes);
    return total + nbytes;
}

START_TEST(round_trip_every_dtype_and_rank) {
    int64_t shapes[4][3] = {{0}, {7}, {3, 5}, {2, 3, 4}};
    for (int dt = 0; dt < KILN_DTYPE_COUNT; dt++) {
        for (int r = 0; r < 4; r++) {
            kiln_array *a = kiln_array_new(ctx, (kiln_dtype)dt, r, shapes[r]);
            uint64_t seed = (uint64_t)(dt * 10 + r + 1);
            fill_values(kiln_array_data(a), (kiln_dtype)dt, kiln_array_size(a), &seed, true);
            char path[128];
            snprintf(path, sizeof path, "%s/rt.npy", dir);
            ck_assert_int_eq(kiln_save_npy(ctx, path, a), KILN_OK);
            for (int mapped = 0; mapped < 2; mapped++) {
                kiln_array *b = mapped ? kiln_map_npy(ctx, path) : kiln_load_npy(ctx, path);
                ck_assert_msg(b, "%s", kiln_errmsg(ctx));
                ck_assert_int_eq(kiln_array_dtype(b), dt);
                ck_assert_int_eq(kiln_array_ndim(b), r);
                char msg[256] = "";
                ck_assert_msg(compare_arrays(b, a, 0, msg, sizeof msg) == 0, "%s%s", mapped ? "mapped: " : "", msg);
                kiln_array_free(b);
            }
            kiln_array_free(a);
        }
    }
}
END_TEST

/* A transposed (non-contiguous) array is saved in C order of its logical shape. */
START_TEST(saving_a_view_writes_c_order) {
    double m[6] = {1, 2, 3, 4, 5, 6};
    int64_t sh[2] = {3, 2}, st[2] = {8, 24}; /* the transpose of a 2x3 C-order matrix */
    kiln_array *t = kiln_wrap(ctx, KILN_F64, 2, sh, st, m);
    char path[128];
    snprintf(path, sizeof path, "%s/t.npy", dir);
    ck_assert_int_eq(kiln_save_npy(ctx, path, t), KILN_OK);
    kiln_array *b = kiln_load_npy(ctx, path);
    double *d = kiln_array_data(b);
    double want[6] = {1, 4, 2, 5, 3, 6};
    for (int i = 0; i < 6; i++) ck_assert_double_eq(d[i], want[i]);
    ck_assert_int_eq(kiln_array_strides(b)[0], 16);
    kiln_array_free(b);
    kiln_array_free(t);
}
END_TEST

START_TEST(fortran_big_endian_and_version_2) {
    char img[512], path[128];
    /* Fortran order: shape (2, 3), data column by column */
    double f[6] = {1, 4, 2, 5, 3, 6};
    size_t n = npy_image(img, 1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", f, sizeof f);
    snprintf(path, sizeof path, "%s/f.npy", dir);
    write_file(path, img, n);
    kiln_array *a = kiln_load_npy(ctx, path);
    ck_assert_msg(a, "%s", kiln_errmsg(ctx));
    kiln_expr *v = kiln_var(ctx, a);
    kiln_array *c = kiln_eval(ctx, v); /* a C-ordered copy, through the strided path */
    for (int i = 0; i < 6; i++) ck_assert_double_eq(((double *)kiln_array_data(c))[i], i + 1);
    kiln_array_free(c);
    kiln_expr_free(v);
    kiln_array_free(a);
    /* big-endian int32, version 2.0, keys in another order */
    unsigned char be[12] = {0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0x7f, 0xff, 0xff, 0xff};
    n = npy_image(img, 2, "{'shape': (3,), 'fortran_order': False, 'descr': '>i4'}", be, sizeof be);
    snprintf(path, sizeof path, "%s/be.npy", dir);
    write_file(path, img, n);
    a = kiln_load_npy(ctx, path);
    ck_assert_msg(a, "%s", kiln_errmsg(ctx));
    int32_t *d = kiln_array_data(a);
    ck_assert_int_eq(d[0], 1);
    ck_assert_int_eq(d[1], -2);
    ck_assert_int_eq(d[2], INT32_MAX);
    kiln_array_free(a);
}
END_TEST

/* Corrupt files: the bytes, and words the refusal must contain. */
START_TEST(corrupt_files_are_refused) {
    static const struct {
        int major;
        const char *dict;
        size_t data;
        const char *words;
    } cases[] = {
        {1, "{'descr': '<f8', 'fortran_order': False, 'shape': (10,), }", 16, "truncated"},
        {1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", 0, "overflows"},
        {1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,), }", 0, "absurdly large"},
        {1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", 16, "not supported"},
        {1, "{'descr': '<u8', 'fortran_order': False, 'shape': (1,), }", 8, "not supported"},
        {1, "{'descr': '<f8', 'shape': (1,), }", 8, "lacks"},
        {1, "{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,), }", 8, "True or False"},
        {1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", 8, "non-negative"},
        {1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'evil': 1}", 8, "unknown key"},
        {1, "['descr', '<f8']", 8, "not a dict"},
        {1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1), }", 8, "dimensions"},
        {7, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 8, "version 7"},
    };
    char img[1024], path[128];
    static char zeros[64];
    snprintf(path, sizeof path, "%s/bad.npy", dir);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = npy_image(img, cases[i].major == 7 ? 1 : cases[i].major, cases[i].dict, zeros, cases[i].data);
        if (cases[i].major == 7) img[6] = 7;
        write_file(path, img, n);
        kiln_array *a = kiln_load_npy(ctx, path);
        ck_assert_msg(a == NULL, "case %zu loaded", i);
        ck_assert_int_eq(kiln_errcode(ctx), KILN_ERR_IO);
        ck_assert_msg(strstr(kiln_errmsg(ctx), cases[i].words), "case %zu: '%s' lacks '%s'", i, kiln_errmsg(ctx), cases[i].words);
    }
    /* not an npy file at all, an empty file, a header length past the end */
    write_file(path, "hello world, not numpy", 22);
    ck_assert_ptr_null(kiln_load_npy(ctx, path));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "magic"));
    write_file(path, "", 0);
    ck_assert_ptr_null(kiln_load_npy(ctx, path));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "too short"));
    write_file(path, "\x93NUMPY\x01\x00\xff\xff{", 11);
    ck_assert_ptr_null(kiln_load_npy(ctx, path));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "inside the header"));
    ck_assert_ptr_null(kiln_load_npy(ctx, dir)); /* a directory */
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "Is a directory"));
    char fifo[160]; /* a FIFO: refused without waiting for a writer */
    snprintf(fifo, sizeof fifo, "%s/fifo.npy", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    ck_assert_ptr_null(kiln_load_npy(ctx, fifo));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "not a regular file"));
    ck_assert_int_ne(kiln_save_npy(ctx, fifo, kiln_full(ctx, KILN_F64, 1, (int64_t[]){2}, 1.0)), KILN_OK);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "not a regular file"));
    unlink(fifo);
    /* data off its dtype's alignment (an odd header length, as the fuzzer wrote): read, not mapped */
    char head[128] = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }";
    memset(head + strlen(head), ' ', 116 - strlen(head));
    head[116] = '\n';
    unsigned char img2[160] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 117, 0};
    memcpy(img2 + 10, head, 117);
    int32_t vals[3] = {7, -2, 5};
    memcpy(img2 + 127, vals, sizeof vals);
    write_file(path, (const char *)img2, 127 + sizeof vals);
    kiln_array *m = kiln_map_npy(ctx, path);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq((uintptr_t)kiln_array_data(m) % 4, 0);
    ck_assert_int_eq(memcmp(kiln_array_data(m), vals, sizeof vals), 0);
    kiln_array_free(m);
    /* and kiln_wrap / kiln_array_view refuse what is off alignment */
    static int64_t raw[4];
    ck_assert_ptr_null(kiln_wrap(ctx, KILN_I64, 1, (int64_t[]){2}, NULL, (char *)raw + 4));
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "multiples of the element size"));
    kiln_array *w = kiln_wrap(ctx, KILN_I64, 1, (int64_t[]){4}, NULL, raw);
    ck_assert_ptr_null(kiln_array_view(ctx, w, 1, (int64_t[]){2}, (int64_t[]){8}, 3));
    kiln_array_free(w);
}
END_TEST

/* A loaded array is the program's own: the file rewritten in place afterwards (np.save opens it
 * with O_TRUNC), or cut to nothing, leaves it as it was.  (It used to be the file's pages,
 * mapped: it took the new values, and reading it after the cut was SIGBUS.)  A mapped one
 * written to leaves the file as it was. */
START_TEST(a_loaded_array_is_its_own) {
    char path[128];
    snprintf(path, sizeof path, "%s/own.npy", dir);
    int64_t n = 3 << 16;
    kiln_array *a = kiln_array_new(ctx, KILN_F64, 1, &n), *z = kiln_full(ctx, KILN_F64, 1, &n, -1.0);
    for (int64_t i = 0; i < n; i++) ((double *)kiln_array_data(a))[i] = (double)i;
    ck_assert_int_eq(kiln_save_npy(ctx, path, a), KILN_OK);
    kiln_array *b = kiln_load_npy(ctx, path);
    ck_assert_ptr_nonnull(b);
    int fd = open(path, O_WRONLY | O_TRUNC); /* np.save's way: the same file, written again */
    ck_assert_int_ge(fd, 0);
    close(fd);
    char msg[256] = "";
    ck_assert_msg(compare_arrays(b, a, 0, msg, sizeof msg) == 0, "after the file was cut: %s", msg);
    size_t bytes = (size_t)n * 8 + 128;
    char *junk = malloc(bytes);
    memset(junk, 0x7f, bytes);
    write_file(path, junk, bytes); /* other bytes, in place */
    free(junk);
    ck_assert_msg(compare_arrays(b, a, 0, msg, sizeof msg) == 0, "after the file was written again: %s", msg);
    ck_assert_int_eq(kiln_save_npy(ctx, path, z), KILN_OK);
    kiln_array *m = kiln_map_npy(ctx, path);
    ck_assert_ptr_nonnull(m);
    ((double *)kiln_array_data(m))[5] = 42.0; /* copy-on-write: the file keeps -1 */
    kiln_array *again = kiln_load_npy(ctx, path);
    ck_assert_ptr_nonnull(again);
    ck_assert(((double *)kiln_array_data(again))[5] == -1.0);
    kiln_array *arrs[] = {a, z, b, m, again};
    for (int i = 0; i < 5; i++) kiln_array_free(arrs[i]);
}
END_TEST

START_TEST(failed_save_leaves_nothing) {
    int64_t n = 4;
    double d[4] = {1, 2, 3, 4};
    kiln_array *a = kiln_wrap(ctx, KILN_F64, 1, &n, NULL, d);
    char path[160];
    snprintf(path, sizeof path, "%s/no/such/dir/x.npy", dir);
    ck_assert_int_eq(kiln_save_npy(ctx, path, a), KILN_ERR_IO);
    ck_assert_ptr_nonnull(strstr(kiln_errmsg(ctx), "No such file"));
    /* the directory holds nothing: no temporary left over */
    char cmd[160];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A %s)\"", dir);
    ck_assert_int_eq(system(cmd), 0);
    kiln_array_free(a);
}
END_TEST

Suite *suite_npy(void) {
    Suite *s = suite_create("npy");
    TCase *t = tcase_create("files");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, round_trip_every_dtype_and_rank);
    tcase_add_test(t, saving_a_view_writes_c_order);
    tcase_add_test(t, fortran_big_endian_and_version_2);
    tcase_add_test(t, corrupt_files_are_refused);
    tcase_add_test(t, failed_save_leaves_nothing);
    tcase_add_test(t, a_loaded_array_is_its_own);
    suite_add_tcase(s, t);
    return s;
}
