/*
 * fuzz_diskcache.c — libFuzzer target: the disk cache's entry reader.  Each input becomes the
 * file a kernel's entry would be; the reader must call it a hit (only when it is exactly right),
 * a miss, corrupt, foreign or refused — and then the runtime loads what a hit gave it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/diskcache.h"

static diskcache dc;
static char entry[sizeof dc.dir + 64];
static const uint8_t key[] = "interp\0kiln-fuzz-target\0a kernel description's bytes";

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/kiln-fuzz-cache-%d", (int)getpid());
    setenv("KILN_CACHE_DIR", dir, 1);
    dc_open(&dc);
    if (!dc.enabled) abort();
    /* the entry's name: store something under the key, and see where it went */
    dc_store(&dc, key, sizeof key, "x", 1);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls %s/*.ko", dir);
    FILE *p = popen(cmd, "r");
    if (!p || !fgets(entry, sizeof entry, p)) abort();
    pclose(p);
    entry[strcspn(entry, "\n")] = 0;
    const char *seed = getenv("KILN_FUZZ_WRITE_SEED"); /* how fuzz/corpus/diskcache/valid_entry was made */
    if (seed) {
        snprintf(cmd, sizeof cmd, "cp %s %s", entry, seed);
        if (system(cmd) != 0) abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FILE *f = fopen(entry, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    chmod(entry, 0600);
    void *obj = NULL;
    size_t len = 0;
    dc_result r = dc_load(&dc, key, sizeof key, &obj, &len);
    if (r == DC_HIT && (!obj || len > size)) abort(); /* a hit is bytes that were in the file */
    free(obj);
    return 0;
}
