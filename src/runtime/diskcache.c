/*
 * diskcache.c — the persistent kernel cache: compiled object code on disk, so that only the
 * very first process ever pays for LLVM's optimizer and code generator.
 *
 * Pipeline position: under the in-memory cache (kernels.c's rt_kernel_get); a hit hands the
 * bytes to the backend's load, a miss compiles and stores.
 *
 * Location: $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln; KILN_DISABLE_CACHE=1
 * turns it off; KILN_CACHE_MAX_MB caps its size (default 256 MB), least recently used first out.
 *
 * One file per kernel, named by a 128-bit hash of its complete key: the backend's name, a
 * 128-bit hash of its target (kiln's version, LLVM's, the target triple, CPU name and features),
 * then the kernel's structure.  A file is
 *     "KILNOBJ\0" | u32 format | u32 key length | u64 object length | u64 checksum | key | object
 * and is trusted only when all of it checks out: magic, format, lengths against the file size,
 * the key byte for byte (a hash collision or a foreign file is a miss), and the checksum over key
 * and object.  Anything else is reported as corrupt and replaced.  Entries are written to a
 * temporary file and renamed, so a reader never sees half of one and two processes filling the
 * cache at once both succeed.  Loading object code is running code: the directory must belong to
 * this user and be writable by nobody else (it is created 0700), and so must every entry.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diskcache.h"
#include "exec.h"

#define MAGIC "KILNOBJ"
#define FORMAT 1u
#define HEADER 32u
#define SUFFIX ".ko"
#define STATS_LINE "hits %llu misses %llu corrupt %llu stores %llu" /* the stats file's one line (a file of another form is not kiln's) */

typedef struct entry_head {
    char magic[8];
    uint32_t format, key_len;
    uint64_t obj_len, checksum;
} entry_head;

_Static_assert(sizeof(entry_head) == HEADER, "entry header layout");

static uint64_t checksum(const void *key, size_t klen, const void *obj, size_t olen) {
    uint64_t h = kiln_hash_bytes(KILN_HASH_SEED, key, klen);
    return kiln_hash_bytes(h ^ 0x9e3779b97f4a7c15ull, obj, olen);
}

/* The cache directory for this process (without creating it). */
static bool cache_path(char *dir, size_t cap) {
    const char *d = getenv("KILN_CACHE_DIR");
    if (d && *d) return snprintf(dir, cap, "%s", d) < (int)cap;
    const char *x = getenv("XDG_CACHE_HOME");
    if (x && *x) return snprintf(dir, cap, "%s/kiln", x) < (int)cap;
    const char *h = getenv("HOME");
    if (h && *h) return snprintf(dir, cap, "%s/.cache/kiln", h) < (int)cap;
    return false;
}

/* Whether a file or directory st may be trusted: ours, and writable by nobody else. */
static bool trusted(const struct stat *st) { return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH)); }

void dc_open(diskcache *dc) {
    memset(dc, 0, sizeof *dc);
    dc->stores_unseen = -1; /* (the first store scans) */
    const char *off = getenv("KILN_DISABLE_CACHE");
    if (off && *off && strcmp(off, "0")) {
        snprintf(dc->why, sizeof dc->why, "disabled by KILN_DISABLE_CACHE");
        return;
    }
    if (!cache_path(dc->dir, sizeof dc->dir)) {
        const char *d = getenv("KILN_CACHE_DIR"), *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
        snprintf(dc->why, sizeof dc->why, "%s", (d && *d) || (x && *x) || (h && *h) ? "the cache directory's path is too long" : "no KILN_CACHE_DIR, XDG_CACHE_HOME or HOME");
        return;
    }
    for (size_t n = strlen(dc->dir); n > 1 && dc->dir[n - 1] == '/'; n--) dc->dir[n - 1] = 0; /* (dir/ is dir: made 0700 below) */
    const char *mb = getenv("KILN_CACHE_MAX_MB");
    char *end = NULL;
    double cap = mb && *mb ? strtod(mb, &end) : 256.0;
    if (mb && *mb && (end == mb || *end || !(cap > 0))) { /* (0, -5, abc: the default, and a word on stderr under KILN_LOG) */
        static atomic_bool told;
        if (rt_log_env() && !atomic_exchange(&told, true)) fprintf(stderr, "kiln: KILN_CACHE_MAX_MB=%s is not a positive number of megabytes; using 256\n", mb);
        cap = 256.0;
    }
    dc->max_bytes = cap >= 0x1p44 ? UINT64_MAX : (uint64_t)(cap * 1048576.0); /* (past 2^44 MB: no cap, not an overflow to 0) */
    /* the parents as the user's umask allows, the cache itself private */
    char tmp[sizeof dc->dir];
    snprintf(tmp, sizeof tmp, "%s", dc->dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(tmp, 0755);
            *p = '/';
        }
    if (mkdir(dc->dir, 0700) != 0 && errno != EEXIST) {
        snprintf(dc->why, sizeof dc->why, "cannot create %.900s: %s", dc->dir, strerror(errno));
        return;
    }
    struct stat st;
    bool seen = lstat(dc->dir, &st) == 0;
    if (!seen || !S_ISDIR(st.st_mode)) {
        snprintf(dc->why, sizeof dc->why, "%.900s is %s", dc->dir,
                 seen && S_ISLNK(st.st_mode) ? "a symbolic link (the cache must be a directory itself: name the one it points to)" : "not a directory");
        return;
    }
    if (!trusted(&st)) {
        snprintf(dc->why, sizeof dc->why, "refused: %.900s belongs to another user or others can write to it", dc->dir);
        return;
    }
    if (access(dc->dir, R_OK | W_OK | X_OK) != 0) { /* an entry it cannot read is not a corrupt one */
        snprintf(dc->why, sizeof dc->why, "%.900s: %s", dc->dir, strerror(errno));
        return;
    }
    dc->enabled = true;
}

static void entry_name(const diskcache *dc, const uint8_t *key, size_t klen, char *path, size_t cap) {
    char name[40];
    kiln_hash_name(name, sizeof name, "", key, klen);
    snprintf(path, cap, "%s/%s" SUFFIX, dc->dir, name);
}

dc_result dc_load(diskcache *dc, const uint8_t *key, size_t klen, void **obj, size_t *olen) {
    *obj = NULL;
    if (!dc->enabled) return DC_OFF;
    char path[sizeof dc->dir + 48];
    entry_name(dc, key, klen, path, sizeof path);
    const char *why;
    int fd = kiln_open_regular(path, O_NOFOLLOW, &why); /* a FIFO planted there must not hang us */
    if (fd < 0) return errno == ENOENT ? DC_MISS : DC_CORRUPT;
    dc_result r = DC_CORRUPT;
    struct stat st;
    entry_head h;
    char *buf = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) goto out;
    if (!trusted(&st)) {
        r = DC_REFUSED;
        goto out;
    }
    if ((size_t)st.st_size < HEADER + klen || pread(fd, &h, HEADER, 0) != HEADER) goto out; /* (no underflow below) */
    if (memcmp(h.magic, MAGIC, 8) != 0 || h.format != FORMAT || h.key_len != klen ||
        h.obj_len != (uint64_t)st.st_size - HEADER - klen)
        goto out;
    buf = malloc(klen + h.obj_len + 1);
    if (!buf || pread(fd, buf, klen + h.obj_len, HEADER) != (ssize_t)(klen + h.obj_len)) goto out;
    if (memcmp(buf, key, klen) != 0) { /* another kernel with the same name: a collision */
        r = DC_FOREIGN;
        goto out;
    }
    if (checksum(buf, klen, buf + klen, h.obj_len) != h.checksum) goto out;
    memmove(buf, buf + klen, h.obj_len);
    *obj = buf;
    *olen = h.obj_len;
    buf = NULL;
    r = DC_HIT;
    /* used now: least recently used entries leave first */
    futimens(fd, NULL);
out:
    free(buf);
    close(fd);
    return r;
}

/* Entries of the cache directory with their sizes and times, for eviction and listing. */
typedef struct dc_file {
    char name[64];
    uint64_t bytes;
    int64_t mtime_ns;
} dc_file;

static int by_age(const void *a, const void *b) {
    int64_t x = ((const dc_file *)a)->mtime_ns, y = ((const dc_file *)b)->mtime_ns;
    return x < y ? -1 : x > y;
}

/* Whether a file name is an entry's, as entry_name writes them: 32 hex digits and SUFFIX (the
 * directory may be one the user keeps other files in: a driver.ko is not kiln's to count, evict
 * or clear). */
static bool entry_named(const char *name) {
    for (int i = 0; i < 32; i++)
        if (!isxdigit((unsigned char)name[i]) || isupper((unsigned char)name[i])) return false;
    return !strcmp(name + 32, SUFFIX);
}

/* Lists the entries (NULL when the directory cannot be read); *n their count. */
static dc_file *list_entries(const char *dir, size_t *n) {
    DIR *d = opendir(dir);
    *n = 0;
    if (!d) return NULL;
    size_t cap = 64;
    dc_file *v = malloc(cap * sizeof *v);
    struct dirent *de;
    while (v && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (!entry_named(de->d_name) || len >= sizeof v->name) continue;
        char path[4200];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (*n == cap) {
            dc_file *nv = realloc(v, (cap *= 2) * sizeof *v);
            if (!nv) break;
            v = nv;
        }
        memcpy(v[*n].name, de->d_name, len + 1); /* (len < sizeof name: checked above) */
        v[*n].bytes = (uint64_t)st.st_size;
        v[*n].mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
        (*n)++;
    }
    closedir(d);
    return v;
}

#define DC_RESCAN 64

/* Removes the oldest entries until the directory holds at most max bytes; returns the bytes left. */
static uint64_t evict(const char *dir, uint64_t max, uint64_t *removed) {
    size_t n;
    dc_file *v = list_entries(dir, &n);
    uint64_t total = 0;
    *removed = 0;
    if (!v) return 0;
    for (size_t i = 0; i < n; i++) total += v[i].bytes;
    qsort(v, n, sizeof *v, by_age);
    for (size_t i = 0; i < n && total > max; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, v[i].name);
        if (unlink(path) == 0) {
            total -= v[i].bytes;
            (*removed)++;
        }
    }
    free(v);
    return total;
}

bool dc_store(diskcache *dc, const uint8_t *key, size_t klen, const void *obj, size_t olen) {
    if (!dc->enabled) return false;
    char path[sizeof dc->dir + 48], tmp[sizeof dc->dir + 64];
    entry_name(dc, key, klen, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s/.tmp.XXXXXX", dc->dir);
    int fd = mkstemp(tmp);
    if (fd < 0) return false;
    entry_head h = {.format = FORMAT, .key_len = (uint32_t)klen, .obj_len = olen, .checksum = checksum(key, klen, obj, olen)};
    memcpy(h.magic, MAGIC, 8);
    bool ok = write(fd, &h, HEADER) == HEADER && write(fd, key, klen) == (ssize_t)klen && write(fd, obj, olen) == (ssize_t)olen;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return false;
    }
    /* the directory is scanned (a stat of every entry: 40 ms at 20000 of them) only when it may be
     * over the cap: by this process's count since the last scan, or every DC_RESCAN stores (other
     * processes write here too) */
    dc->bytes_seen += HEADER + klen + olen;
    if (dc->stores_unseen < 0 || ++dc->stores_unseen >= DC_RESCAN || dc->bytes_seen > dc->max_bytes) {
        uint64_t removed;
        dc->bytes_seen = evict(dc->dir, dc->max_bytes, &removed);
        dc->stores_unseen = 0;
        dc->evicted += removed;
    }
    return true;
}

/* ------------------------------------------------------------------ the public face */

/* The stats file's four counters from fd (hits, misses, corrupt, stores): 1 when it holds
 * kiln's line, 0 when it is empty, -1 when it holds something else (not kiln's to touch). */
static int stats_read(int fd, unsigned long long *c) {
    char buf[256] = "";
    ssize_t r = pread(fd, buf, sizeof buf - 1, 0);
    c[0] = c[1] = c[2] = c[3] = 0;
    if (r <= 0) return 0;
    return sscanf(buf, STATS_LINE, &c[0], &c[1], &c[2], &c[3]) == 4 ? 1 : -1;
}

kiln_status kiln_cache_info(kiln_cache_stats *out) {
    if (!out) return KILN_ERR_ARG;
    memset(out, 0, sizeof *out);
    diskcache dc;
    dc_open(&dc);
    snprintf(out->dir, sizeof out->dir, "%s", dc.dir);
    snprintf(out->why_disabled, sizeof out->why_disabled, "%s", dc.why);
    out->enabled = dc.enabled;
    out->max_bytes = dc.max_bytes;
    size_t n = 0;
    dc_file *v = dc.enabled ? list_entries(dc.dir, &n) : NULL;
    for (size_t i = 0; i < n; i++) out->bytes += v[i].bytes;
    out->entries = n;
    free(v);
    /* counters that processes have added up over the cache's life */
    char path[sizeof dc.dir + 16];
    snprintf(path, sizeof path, "%s/stats", dc.dir);
    const char *why;
    int sfd = dc.enabled ? kiln_open_regular(path, O_NOFOLLOW, &why) : -1;
    if (sfd >= 0) {
        unsigned long long c[4];
        flock(sfd, LOCK_SH); /* (a writer truncates, then writes, under LOCK_EX) */
        if (stats_read(sfd, c) == 1) out->hits = c[0], out->misses = c[1], out->corrupt = c[2], out->stores = c[3];
        close(sfd);
    }
    return KILN_OK;
}

void dc_add_counters(const diskcache *dc, uint64_t hits, uint64_t misses, uint64_t corrupt, uint64_t stores) {
    if (!dc->enabled || !(hits | misses | corrupt | stores)) return;
    char path[sizeof dc->dir + 16];
    snprintf(path, sizeof path, "%s/stats", dc->dir);
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
    if (fd < 0) return;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { /* not ours to write */
        close(fd);
        return;
    }
    if (flock(fd, LOCK_EX) == 0) { /* processes add up one at a time */
        char buf[256];
        unsigned long long c[4];
        if (stats_read(fd, c) < 0) { /* a stats file not kiln's: left alone */
            flock(fd, LOCK_UN);
            close(fd);
            return;
        }
        int len = snprintf(buf, sizeof buf, STATS_LINE "\n", c[0] + hits, c[1] + misses, c[2] + corrupt, c[3] + stores);
        if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)len, 0) != len) { /* best effort */
        }
        flock(fd, LOCK_UN);
    }
    close(fd);
}

/* The cache directory for the commands below: whether it is there to work on. */
static bool open_enabled(diskcache *dc) {
    dc_open(dc);
    return dc->enabled;
}

kiln_status kiln_cache_list(void (*fn)(const char *name, uint64_t bytes, int64_t mtime_s, void *ud), void *ud) {
    diskcache dc;
    if (!open_enabled(&dc)) return KILN_ERR_IO;
    if (!fn) return KILN_ERR_ARG;
    size_t n;
    dc_file *v = list_entries(dc.dir, &n);
    if (v) qsort(v, n, sizeof *v, by_age);
    for (size_t i = 0; v && i < n; i++) fn(v[i].name, v[i].bytes, v[i].mtime_ns / 1000000000, ud);
    free(v);
    return KILN_OK;
}

kiln_status kiln_cache_clear(uint64_t *removed) {
    diskcache dc;
    if (!open_enabled(&dc)) return KILN_ERR_IO;
    uint64_t r;
    evict(dc.dir, 0, &r);
    char path[sizeof dc.dir + 16];
    unsigned long long c[4];
    snprintf(path, sizeof path, "%s/stats", dc.dir);
    const char *why;
    int fd = kiln_open_regular(path, O_NOFOLLOW, &why), ours = fd >= 0 ? stats_read(fd, c) : -1;
    if (fd >= 0) close(fd);
    if (ours == 1) unlink(path); /* (only kiln's) */
    if (removed) *removed = r;
    return KILN_OK;
}

kiln_status kiln_cache_prune(uint64_t *removed) {
    diskcache dc;
    if (!open_enabled(&dc)) return KILN_ERR_IO;
    uint64_t r;
    evict(dc.dir, dc.max_bytes, &r);
    /* and temporaries that a killed process left behind */
    DIR *d = opendir(dc.dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (strncmp(de->d_name, ".tmp.", 5)) continue;
        char path[4200];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dc.dir, de->d_name);
        if (lstat(path, &st) == 0 && time(NULL) - st.st_mtime > 60 && unlink(path) == 0) r++;
    }
    if (d) closedir(d);
    if (removed) *removed = r;
    return KILN_OK;
}
