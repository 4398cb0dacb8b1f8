/*
 * diskcache.h — the persistent kernel cache (runtime/diskcache.c).
 */
#ifndef KILN_RUNTIME_DISKCACHE_H
#define KILN_RUNTIME_DISKCACHE_H

#include "../base/base.h"

typedef struct diskcache {
    bool enabled;
    char dir[1024];
    char why[1100];       /* why it is not enabled */
    uint64_t max_bytes;
    uint64_t evicted;     /* entries removed for the size cap by this process */
    uint64_t bytes_seen;  /* the directory's bytes at the last scan, and this process's stores since */
    int stores_unseen;    /* stores since that scan (-1: none yet) */
} diskcache;

typedef enum dc_result {
    DC_OFF,      /* no disk cache */
    DC_MISS,     /* no entry */
    DC_HIT,      /* *obj holds the object code */
    DC_CORRUPT,  /* an entry that failed a check (truncated, damaged, wrong format) */
    DC_FOREIGN,  /* an entry for another key under this key's name */
    DC_REFUSED,  /* an entry owned by someone else or writable by others */
} dc_result;

/* Finds (and with KILN_CACHE_DIR etc., creates) the cache directory; sets enabled or why. */
void dc_open(diskcache *dc);
/* The object stored under key: DC_HIT with *obj (malloc'd, the caller frees) and *olen. */
dc_result dc_load(diskcache *dc, const uint8_t *key, size_t klen, void **obj, size_t *olen);
/* Stores obj under key (temporary file, then rename), then evicts down to the size cap. */
bool dc_store(diskcache *dc, const uint8_t *key, size_t klen, const void *obj, size_t olen);
/* Adds this process's counters to the cache's stats file (under a lock). */
void dc_add_counters(const diskcache *dc, uint64_t hits, uint64_t misses, uint64_t corrupt, uint64_t stores);

#endif
