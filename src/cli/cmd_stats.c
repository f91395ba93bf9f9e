/* cmd_stats.c -- tmkit stats: units, languages, pairs, words, characters
 * and duplicate units of TMX files, read as a stream.  Duplicates are
 * counted exactly with bounded memory: each unit's 64-bit content hash goes
 * into tmk_sorter (in memory up to its budget, then sorted runs on disk). */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "tmx_cli.h"

static const char usage_text[] =
    "Usage: tmkit stats [--json] FILE.tmx...\n"
    "Count, over all the files given: units, tuvs, languages (tuvs, words and\n"
    "characters per language), language pairs (source language -> each other\n"
    "language of a unit) and duplicate units (same languages and texts as an\n"
    "earlier unit).  Words are runs of characters between white space; inline\n"
    "markup is not counted.  Memory stays bounded whatever the input size.\n\n"
    "  --json        one JSON object on stdout instead of text\n"
    "  -h, --help    this help\n";

typedef struct {
    char *lang;
    char raw[32]; /* the spelling last seen for it; RAW_NONE when too long */
    unsigned long long tuvs, chars;
    tmk_wc_counts wc; /* words by GMX-V (tmkit/wordcount.h): tmk_wc_words */
    uint64_t hash;  /* of the code lowercased with '-' for '_' (duplicate keys) */
    int is_src;     /* matches the current file's header srclang: -1 = not known yet */
} lstat;
typedef struct {
    char *src, *tgt;
    unsigned long long units;
} pstat;

typedef struct {
    const char *header_srclang;
    int header_all;             /* header_srclang is "*all*" */
    char *hdr;
    unsigned long long units, tuvs;
    lstat *langs;
    size_t nlangs, caplangs;
    size_t *lidx;               /* open addressing by lang hash: entry + 1, 0 = empty */
    size_t lidx_cap;            /* a power of two */
    pstat *pairs;
    size_t npairs, cappairs;
    size_t *pidx;               /* the same for pairs, by pair_hash */
    size_t pidx_cap;
    int oom;                    /* a table could not grow: out of memory */
    tmk_sorter *hashes;         /* unit hashes once the set below is full */
    uint64_t *set;              /* open addressing, 0 = empty slot */
    size_t set_cap, set_n;      /* cap: a power of two, or 0 = spilled to hashes */
    size_t set_max;             /* slots at most (SET_MAX) */
    int have_zero;              /* the hash 0 was seen */
    uint64_t pending;           /* the last unit's hash, looked up at the next unit */
    int has_pending;
    unsigned long long dups;    /* found in the set */
    size_t pos_lang[4];         /* entry found at tuv position i last time */
    size_t last_ia, last_ib;    /* the last pair by entry, SIZE_MAX = none */
    size_t last_pair_i;
    size_t two_e0, two_e1, two_pair; /* a two-tuv unit's entries -> its pair (SIZE_MAX = none) */
    tmk_buf plain;
    tmk_error err;
} stats;

/* raw of a code too long for it: a byte that is never in UTF-8, so that no
 * code (not even "") is taken for the long one by its spelling */
#define RAW_NONE "\xff"

static uint64_t lang_hash(const char *lang)
{
    char lk[64];
    size_t ln = 0;
    uint64_t h = TMXCLI_HASH_INIT;
    for (const char *p = lang; *p; p++) {
        if (ln == sizeof lk) { /* a long code: every byte counts */
            h = tmxcli_hash(h, lk, ln);
            ln = 0;
        }
        lk[ln++] = (char)(*p == '_' ? '-' : (*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
    }
    return tmxcli_hash(h, lk, ln);
}

static int same_str(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Hash tables of entry numbers (+ 1; 0 = empty slot), kept under 1/2 full:
 * languages and pairs are found in constant time however many there are. */
static int index_grow(size_t **idx, size_t *cap, size_t n, uint64_t (*key)(const stats *, size_t),
                      const stats *s)
{
    if (2 * (n + 1) <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    size_t *t = calloc(nc, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)key(s, i) & (nc - 1);
        while (t[k])
            k = (k + 1) & (nc - 1);
        t[k] = i + 1;
    }
    free(*idx);
    *idx = t;
    *cap = nc;
    return 0;
}

static uint64_t lang_key(const stats *s, size_t i) { return s->langs[i].hash; }

static uint64_t pair_hash(const char *a, const char *b)
{
    uint64_t h = tmxcli_hash(TMXCLI_HASH_INIT, a, strlen(a) + 1);
    return tmxcli_hash(h, b, strlen(b));
}

static uint64_t pair_key(const stats *s, size_t i)
{
    return pair_hash(s->pairs[i].src, s->pairs[i].tgt);
}

/* The entry of a language code: codes that differ only in case and '_'
 * for '-' are one language (tmk_lang_canonical gives its name).  NULL only
 * when out of memory (s->oom set). */
static lstat *lang_entry(stats *s, const char *lang, size_t pos)
{
    /* most memories have few languages in a fixed order: try the entry
     * found for the same tuv position last time first */
    if (pos < 4 && s->pos_lang[pos] < s->nlangs && same_str(s->langs[s->pos_lang[pos]].raw, lang))
        return &s->langs[s->pos_lang[pos]];
    uint64_t h = lang_hash(lang);
    size_t len = strlen(lang), k = 0;
    if (s->lidx_cap) {
        for (k = (size_t)h & (s->lidx_cap - 1); s->lidx[k]; k = (k + 1) & (s->lidx_cap - 1)) {
            lstat *e = &s->langs[s->lidx[k] - 1];
            if (e->hash == h && tmxcli_lang_match(e->lang, lang) && strlen(e->lang) == len) {
                if (len < sizeof e->raw)
                    strcpy(e->raw, lang);
                if (pos < 4)
                    s->pos_lang[pos] = (size_t)(e - s->langs);
                return e;
            }
        }
    }
    if (s->nlangs == s->caplangs) {
        size_t nc = s->caplangs ? s->caplangs * 2 : 16;
        lstat *n = realloc(s->langs, nc * sizeof *n);
        if (!n) {
            s->oom = 1;
            return NULL;
        }
        s->langs = n;
        s->caplangs = nc;
    }
    lstat *e = &s->langs[s->nlangs];
    memset(e, 0, sizeof *e);
    e->lang = tmk_lang_canonical(lang);
    if (!e->lang) {
        s->oom = 1;
        return NULL;
    }
    strcpy(e->raw, len < sizeof e->raw ? lang : RAW_NONE);
    e->hash = h;
    e->is_src = -1;
    s->nlangs++;
    if (index_grow(&s->lidx, &s->lidx_cap, s->nlangs, lang_key, s) < 0) {
        s->nlangs--;
        free(e->lang);
        s->oom = 1;
        return NULL;
    }
    for (k = (size_t)h & (s->lidx_cap - 1); s->lidx[k]; k = (k + 1) & (s->lidx_cap - 1))
        ;
    s->lidx[k] = s->nlangs;
    if (pos < 4)
        s->pos_lang[pos] = s->nlangs - 1;
    return e;
}

/* Count one unit for the pair a -> b; returns its entry number, or
 * SIZE_MAX when out of memory (s->oom set). */
static size_t pair_add(stats *s, const char *a, const char *b)
{
    uint64_t h = pair_hash(a, b);
    size_t k = 0;
    if (s->pidx_cap) {
        for (k = (size_t)h & (s->pidx_cap - 1); s->pidx[k]; k = (k + 1) & (s->pidx_cap - 1)) {
            pstat *p = &s->pairs[s->pidx[k] - 1];
            if (!strcmp(p->src, a) && !strcmp(p->tgt, b)) {
                p->units++;
                return s->pidx[k] - 1;
            }
        }
    }
    if (s->npairs == s->cappairs) {
        size_t nc = s->cappairs ? s->cappairs * 2 : 16;
        pstat *n = realloc(s->pairs, nc * sizeof *n);
        if (!n) {
            s->oom = 1;
            return SIZE_MAX;
        }
        s->pairs = n;
        s->cappairs = nc;
    }
    pstat p = {strdup(a), strdup(b), 1};
    if (!p.src || !p.tgt) {
        free(p.src);
        free(p.tgt);
        s->oom = 1;
        return SIZE_MAX;
    }
    s->pairs[s->npairs++] = p;
    if (index_grow(&s->pidx, &s->pidx_cap, s->npairs, pair_key, s) < 0) {
        s->npairs--;
        free(p.src);
        free(p.tgt);
        s->oom = 1;
        return SIZE_MAX;
    }
    for (k = (size_t)h & (s->pidx_cap - 1); s->pidx[k]; k = (k + 1) & (s->pidx_cap - 1))
        ;
    s->pidx[k] = s->npairs;
    return s->npairs - 1;
}

/* words = starts of runs of non-space; characters = code points.  Eight
 * bytes at a time (SWAR): per byte, a mask bit 0x80 says "white space" or
 * "continuation byte"; word starts are non-space bytes after a space byte.
 * Continuation bytes count as non-space (they follow their lead byte), so
 * only the lead bytes of characters that may be Unicode spaces (C2: U+0085,
 * U+00A0; E1: U+1680; E2: U+2000..U+200A, U+2028/9, U+202F, U+205F; E3:
 * U+3000) need a look: each such character is decoded, and if it is a
 * space, all its bytes are marked as space (carried into the next block
 * when it straddles).  The tail is padded with spaces, which start no word
 * and are taken off the character count. */
#define ONES 0x0101010101010101ULL
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LITTLE 1
#else
#define LITTLE 0
#endif
#define HIGH 0x8080808080808080ULL
#if defined(__SSE2__) && !defined(TMKIT_STATS_NO_SSE2)
#define STATS_SSE2 1
#else
#define STATS_SSE2 0
#endif

#if !STATS_SSE2
/* 0x80 in each byte of x that is zero, exactly (no borrow across bytes) */
static inline uint64_t zero_bytes(uint64_t x)
{
    return ~(((x & ~HIGH) + ~HIGH) | x | ~HIGH);
}

/* number of bytes of m (only 0x80 bits set) that are set */
static inline unsigned count_high(uint64_t m)
{
    return (unsigned)(((m >> 7) * ONES) >> 56);
}

/* White space bytes: the text comes from an XML 1.0 parser, where the only
 * characters below U+0021 are TAB, LF, CR and space, all white space; so
 * "byte <= 0x20" is exact. */
static inline uint64_t space_bytes(uint64_t x)
{
    return ~((x & ~HIGH) + 0x5F * ONES) & ~x & HIGH;
}
#endif

typedef struct {
    unsigned long long words, chars;
} counts;

#if STATS_SSE2
#include <emmintrin.h>
/* The same counts sixteen bytes at a time with SSE2 (every x86-64 has it).
 * Per block, as byte masks (0xFF = set): space = byte <= 0x20 (see above),
 * continuation bytes (0x80..0xBF) are taken off the character count, and a
 * word starts at a non-space byte after a space byte.  The masks are
 * subtracted into byte counters (0xFF = -1), summed every 255 blocks.  Lead
 * bytes of possible Unicode spaces (C2, E1, E2, E3) are decoded as in the
 * SWAR version, their bytes marked as space (into the next block when they
 * straddle).  The last, partial block is loaded whole (the reader pads
 * TEXT_ONLY segs: TMK_TMX_SEG_PAD) and its bytes past the text become
 * spaces; the hash runs over the blocks (one 128-bit multiply each) and the
 * length. */
typedef struct {
    __m128i carry, pend, wacc, cacc;
    uint64_t h;
} cstate;

#if !defined(__SIZEOF_INT128__)
static inline uint64_t hash_word(uint64_t h, uint64_t x)
{
    h = (h ^ x) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 31);
}
#endif

/* the hash of one block: one 64x64->128-bit multiply where the compiler has
 * it (both halves folded); hi ^ the constant is never 0 (its bytes include
 * 0x01, which XML 1.0 text cannot hold) */
static inline uint64_t hash_block(uint64_t h, uint64_t lo, uint64_t hi)
{
#if defined(__SIZEOF_INT128__)
    unsigned __int128 m = (unsigned __int128)(h ^ lo) * (hi ^ 0x01d8e4a7c3b1f56bULL);
    return (uint64_t)m ^ (uint64_t)(m >> 64) ^ (h >> 7);
#else
    return hash_word(hash_word(h, lo), hi);
#endif
}

/* The bytes of possible Unicode spaces whose lead bytes are set in lead
 * (bit b = byte b of the block at p), as 0xFF in mk[0..31] (16..31: the next
 * block's first bytes); 0 if none is a space.  Rare: kept out of the loop. */
static __attribute__((noinline)) int mark_spaces(const char *p, size_t rem, unsigned lead,
                                                 unsigned char mk[32])
{
    int any = 0;
    while (lead) {
        unsigned b = (unsigned)__builtin_ctz(lead);
        lead &= lead - 1;
        size_t adv;
        int32_t cp = tmk_utf8_decode(p + b, rem - b, &adv);
        if (cp < 0 || !tmk_uc_is_space(cp))
            continue;
        if (!any)
            memset(mk, 0, 32);
        for (size_t m = 0; m < adv; m++)
            mk[b + m] = 0xFF;
        any = 1;
    }
    return any;
}

/* x = the block (also as two 8-byte words lo, hi), p its first byte in the
 * text, rem the bytes of the text from p on */
static inline __attribute__((always_inline)) void
count_block(cstate *st, __m128i x, uint64_t lo, uint64_t hi, const char *p, size_t rem)
{
    st->h = hash_block(st->h, lo, hi);
    __m128i sp = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x20)), x), st->pend);
    st->pend = _mm_setzero_si128();
    if (_mm_movemask_epi8(x)) {
        st->cacc = _mm_sub_epi8(st->cacc, _mm_cmplt_epi8(x, _mm_set1_epi8(-64)));
        __m128i e = _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8((char)0xFC)),
                                   _mm_set1_epi8((char)0xE0));
        e = _mm_andnot_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xE0)), e);
        unsigned lead = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(e, _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xC2))));
        unsigned char mk[32];
        if (lead && mark_spaces(p, rem, lead, mk)) {
            sp = _mm_or_si128(sp, _mm_loadu_si128((const __m128i *)mk));
            st->pend = _mm_loadu_si128((const __m128i *)(mk + 16));
        }
    }
    __m128i prev = _mm_or_si128(_mm_slli_si128(sp, 1), st->carry);
    st->carry = _mm_srli_si128(sp, 15);
    st->wacc = _mm_sub_epi8(st->wacc, _mm_andnot_si128(sp, prev));
}

static inline uint64_t load8(const char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* words (low 32 bits) and continuation bytes (high 32) counted in the byte
 * counters */
static inline uint64_t sum_counts(__m128i wacc, __m128i cacc)
{
    __m128i z = _mm_setzero_si128();
    __m128i s = _mm_or_si128(_mm_sad_epu8(wacc, z), _mm_slli_epi64(_mm_sad_epu8(cacc, z), 32));
    s = _mm_add_epi64(s, _mm_srli_si128(s, 8));
#if defined(__x86_64__)
    return (uint64_t)_mm_cvtsi128_si64(s);
#else
    uint64_t v;
    _mm_storel_epi64((__m128i *)&v, s);
    return v;
#endif
}

/* 0xFF for the first k bytes of a block: keep + 16 - k */
static const unsigned char keep[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

/* t[n..n+15] must be readable (the reader's TEXT_ONLY padding): the last
 * block is loaded whole and its bytes past the text become spaces */
static inline __attribute__((always_inline)) uint64_t count_text(const char *t, size_t n,
                                                                 counts *out, uint64_t h)
{
    cstate st = {_mm_cvtsi32_si128(0xFF), _mm_setzero_si128(), _mm_setzero_si128(),
                 _mm_setzero_si128(), h};
    unsigned long long w = 0, cont = 0;
    if (n) {
        size_t i = 0, last = (n - 1) & ~(size_t)15; /* the last block's start */
        /* the byte counters take 255 blocks: 254 per round, then the last one */
        while (i < last) {
            size_t stop = last - i > 254 * 16 ? i + 254 * 16 : last;
            for (; i < stop; i += 16)
                count_block(&st, _mm_loadu_si128((const __m128i *)(t + i)), load8(t + i),
                            load8(t + i + 8), t + i, n - i);
            if (i < last) {
                uint64_t c = sum_counts(st.wacc, st.cacc);
                w += (uint32_t)c;
                cont += c >> 32;
                st.wacc = st.cacc = _mm_setzero_si128();
            }
        }
        size_t k = n - last; /* 1..16 */
        __m128i m = _mm_loadu_si128((const __m128i *)(keep + 16 - k));
        __m128i x = _mm_loadu_si128((const __m128i *)(t + last));
        x = _mm_or_si128(_mm_and_si128(m, x), _mm_andnot_si128(m, _mm_set1_epi8(0x20)));
#if defined(__x86_64__)
        uint64_t lo = (uint64_t)_mm_cvtsi128_si64(x),
                 hi = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(x, x));
#else
        uint64_t lo, hi;
        _mm_storel_epi64((__m128i *)&lo, x);
        _mm_storel_epi64((__m128i *)&hi, _mm_unpackhi_epi64(x, x));
#endif
        count_block(&st, x, lo, hi, t + last, k);
        uint64_t c = sum_counts(st.wacc, st.cacc);
        w += (uint32_t)c;
        cont += c >> 32;
    }
    out->words += w;
    out->chars += n - cont;
    uint64_t r = (st.h ^ n) * 0xbf58476d1ce4e5b9ULL;
    return r ^ (r >> 32); /* mixed enough to be summed (see on_tu) */
}
#define TEXT_MIX(h) (h)
#else
/* Counts words and characters of t into out and returns a 64-bit hash of
 * t chained from h (the same pass over the eight-byte blocks; the tail block
 * is padded with spaces and the length is mixed in, so no two texts share
 * their blocks and length). */
static uint64_t count_text(const char *t, size_t n, counts *out, uint64_t h)
{
    unsigned long long w = 0, c = 0;
    uint64_t carry = 0x80; /* the byte before the text counts as a space */
    uint64_t pending = 0; /* space bytes running over into the next block */
    size_t i = 0;
    c = n;
    while (i < n) {
        uint64_t x;
        size_t k = n - i;
        if (k >= 8) {
            memcpy(&x, t + i, 8);
            k = 8;
        } else if (n >= 8 && LITTLE) {
            /* the last eight bytes, shifted: the tail's k bytes first, then
             * spaces (the same block as the padded copy below) */
            memcpy(&x, t + n - 8, 8);
            unsigned sh = (unsigned)(8 - k) * 8;
            x = (x >> sh) | ((0x20 * ONES) << (64 - sh));
        } else {
            x = 0x20 * ONES;
            unsigned char pad[8];
            memcpy(pad, &x, 8);
            for (size_t m = 0; m < k; m++)
                pad[m] = (unsigned char)t[i + m];
            memcpy(&x, pad, 8);
        }
        h = (h ^ x) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 31;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        x = __builtin_bswap64(x); /* the first byte in the lowest bits */
#endif
        uint64_t sp = space_bytes(x) | pending;
        pending = 0;
        uint64_t hi = x & HIGH;
        if (hi) {
            c -= count_high(x & ~(x << 1) & HIGH);
            uint64_t lead = zero_bytes(x ^ (0xC2 * ONES)) |
                            (zero_bytes((x & (0xFC * ONES)) ^ (0xE0 * ONES)) &
                             ~zero_bytes(x ^ (0xE0 * ONES)));
            while (lead) {
                int b = __builtin_ctzll(lead) >> 3;
                lead &= lead - 1;
                size_t adv;
                int32_t cp = tmk_utf8_decode(t + i + (size_t)b, n - i - (size_t)b, &adv);
                if (cp < 0 || !tmk_uc_is_space(cp))
                    continue;
                for (size_t m = 0; m < adv; m++) {
                    size_t at = (size_t)b + m;
                    if (at < 8)
                        sp |= 0x80ULL << (at * 8);
                    else
                        pending |= 0x80ULL << ((at - 8) * 8);
                }
            }
        }
        uint64_t starts = ~sp & ((sp << 8) | carry) & HIGH;
        w += count_high(starts);
        carry = sp >> 56;
        i += 8;
    }
    out->words += w;
    out->chars += c;
    return (h ^ n) * 0xbf58476d1ce4e5b9ULL;
}
#define TEXT_MIX(h) mix(h)
#endif

static void new_header(stats *s, const char *srclang)
{
    free(s->hdr);
    s->hdr = srclang ? strdup(srclang) : NULL;
    s->header_srclang = s->hdr;
    s->header_all = s->hdr && !strcmp(s->hdr, "*all*");
    for (size_t i = 0; i < s->nlangs; i++)
        s->langs[i].is_src = -1;
    s->two_pair = SIZE_MAX; /* which tuv is the source may change */
}

static int on_header(const tmk_tmx_header *h, void *ud)
{
    new_header(ud, h->srclang);
    return TMK_OK;
}

/* Count one pair by its canonical codes (the general path). */
static void pair_by_codes(stats *s, const char *ra, const char *rb)
{
    char *a = tmk_lang_canonical(ra);
    char *b = tmk_lang_canonical(rb);
    if (a && b)
        pair_add(s, a, b);
    else
        s->oom = 1;
    free(a);
    free(b);
}

/* The pair of entries ia -> ib; the last one is remembered. */
static void pair_by_entries(stats *s, size_t ia, size_t ib)
{
    if (ia == s->last_ia && ib == s->last_ib) {
        s->pairs[s->last_pair_i].units++;
        return;
    }
    size_t k = pair_add(s, s->langs[ia].lang, s->langs[ib].lang);
    if (k != SIZE_MAX) {
        s->last_ia = ia;
        s->last_ib = ib;
        s->last_pair_i = k;
    }
}

#if !STATS_SSE2
static inline uint64_t mix(uint64_t h)
{
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}
#endif

/* Duplicate units: the unit hashes go into a hash set while it stays
 * within SET_MAX slots (duplicates counted on insertion), then into the
 * sorter (in memory up to its budget, then sorted runs on disk), which
 * counts the duplicates among them and the set's unique hashes at the end. */
enum { SET_MIN = 1 << 14, SET_MAX = 1 << 19 };

static int set_spill(stats *s)
{
    for (size_t i = 0; i < s->set_cap; i++)
        if (s->set[i] && tmk_sorter_add(s->hashes, &s->set[i], &s->err) < 0)
            return s->err.code;
    if (s->have_zero) {
        uint64_t z = 0;
        if (tmk_sorter_add(s->hashes, &z, &s->err) < 0)
            return s->err.code;
    }
    free(s->set);
    s->set = NULL;
    s->set_cap = 0;
    return TMK_OK;
}

static int set_grow(stats *s)
{
    size_t cap = s->set_cap * 2;
    uint64_t *n = calloc(cap, sizeof *n);
    if (!n)
        return set_spill(s);
    for (size_t i = 0; i < s->set_cap; i++) {
        uint64_t h = s->set[i];
        if (!h)
            continue;
        size_t k = (size_t)(h >> 17) & (cap - 1);
        while (n[k])
            k = (k + 1) & (cap - 1);
        n[k] = h;
    }
    free(s->set);
    s->set = n;
    s->set_cap = cap;
    return TMK_OK;
}

static __attribute__((noinline)) int unit_seen_slow(stats *s, uint64_t h)
{
    if (!s->set_cap)
        return tmk_sorter_add(s->hashes, &h, &s->err);
    /* h == 0 */
    s->dups += s->have_zero;
    s->have_zero = 1;
    return TMK_OK;
}

static inline __attribute__((always_inline)) int unit_seen(stats *s, uint64_t h)
{
    if (!s->set_cap || !h)
        return unit_seen_slow(s, h);
    size_t mask = s->set_cap - 1, k = (size_t)(h >> 17) & mask;
    while (s->set[k]) {
        if (s->set[k] == h) {
            s->dups++;
            return TMK_OK;
        }
        k = (k + 1) & mask;
    }
    s->set[k] = h;
    if (++s->set_n * 2 > s->set_cap) /* at most half full */
        return s->set_cap < s->set_max ? set_grow(s) : set_spill(s);
    return TMK_OK;
}

/* A unit's hash is looked up in the set at the next unit (or at the end of
 * the file: stats_flush), its slot fetched into the cache meanwhile: the
 * same lookups in the same order, without waiting for memory. */
static inline int unit_later(stats *s, uint64_t h)
{
    int rc = TMK_OK;
    if (s->has_pending)
        rc = unit_seen(s, s->pending);
    s->pending = h;
    s->has_pending = 1;
    if (s->set_cap)
        __builtin_prefetch(&s->set[(size_t)(h >> 17) & (s->set_cap - 1)]);
    return rc;
}

static int stats_flush(stats *s)
{
    if (!s->has_pending)
        return TMK_OK;
    s->has_pending = 0;
    return unit_seen(s, s->pending);
}

/* The entry cached for tuv position pos if it is lang's, else NULL. */
static inline lstat *cached_entry(stats *s, const char *lang, size_t pos)
{
    size_t k = s->pos_lang[pos];
    if (lang && k < s->nlangs && same_str(s->langs[k].raw, lang))
        return &s->langs[k];
    return NULL;
}

static int on_tu_general(const tmk_tu *tu, stats *s);

/* Words as analyze counts them (GMX-V; the language tells Japanese Han). */
static int wc_add(lstat *e, const char *t, size_t n)
{
    tmk_wc_options o = TMK_WC_OPTIONS_INIT;
    o.lang = e->lang;
    int rc = tmk_wc_count(t, n, &o, &e->wc, NULL);
    return rc == TMK_ENOMEM ? rc : 0; /* the reader gives UTF-8 */
}

/* Most units of a memory: two tuvs of plain text in the languages, order and
 * pair of the unit before.  The same counts as on_tu_general, without its
 * searches. */
static int on_tu(const tmk_tu *tu, void *ud)
{
    stats *s = ud;
    if (tu->ntuvs == 2 && !tu->nattrs && s->two_pair != SIZE_MAX) {
        const tmk_tuv *v = tu->tuvs;
        lstat *e0, *e1;
        if (!v[0].markup && !v[1].markup && (e0 = cached_entry(s, v[0].lang, 0)) &&
            e0 == &s->langs[s->two_e0] && (e1 = cached_entry(s, v[1].lang, 1)) &&
            e1 == &s->langs[s->two_e1]) {
            s->units++;
            s->tuvs += 2;
            counts c0 = {0, 0}, c1 = {0, 0};
            uint64_t h = TEXT_MIX(count_text(v[0].seg, v[0].seg_len, &c0, e0->hash));
            h += TEXT_MIX(count_text(v[1].seg, v[1].seg_len, &c1, e1->hash));
            e0->tuvs++;
            if (wc_add(e0, v[0].seg, v[0].seg_len) < 0 || wc_add(e1, v[1].seg, v[1].seg_len) < 0)
                return TMK_ENOMEM;
            e0->chars += c0.chars;
            e1->tuvs++;
            e1->chars += c1.chars;
            s->pairs[s->two_pair].units++;
            return unit_later(s, h);
        }
    }
    return on_tu_general(tu, s);
}

static int on_tu_general(const tmk_tu *tu, stats *s)
{
    s->units++;
    s->tuvs += tu->ntuvs;
    uint64_t unit_hash = 0;
    enum { FAST = 16 };
    size_t ent[FAST];
    int all = tu->ntuvs <= FAST; /* every tuv has an entry (index in ent) */
    for (size_t i = 0; i < tu->ntuvs; i++) {
        const tmk_tuv *v = &tu->tuvs[i];
        const char *lang = v->lang ? v->lang : "(none)";
        lstat *e = lang_entry(s, lang, i);
        if (!e)
            return tmk_error_set(&s->err, TMK_ENOMEM, 0, 0, "out of memory");
        const char *text = v->seg;
        size_t len = v->seg_len;
        if (v->markup) {
            tmk_buf_reset(&s->plain);
            /* the padding count_text may read past the text, as the reader's */
            if (tmk_tmx_seg_plain(v->seg, v->seg_len, 1, &s->plain) < 0 ||
                tmk_buf_grow(&s->plain, TMK_TMX_SEG_PAD) < 0)
                return TMK_ENOMEM;
            text = s->plain.data;
            len = s->plain.len;
        }
        /* words, characters and the hash of (language, text) in one pass;
         * the unit's hash is the sum: order-independent */
        counts c = {0, 0};
        if (e) {
            e->tuvs++;
            unit_hash += TEXT_MIX(count_text(text, len, &c, e->hash));
            if (wc_add(e, text, len) < 0)
                return TMK_ENOMEM;
            e->chars += c.chars;
            if (all)
                ent[i] = (size_t)(e - s->langs);
        } else {
            unit_hash += TEXT_MIX(count_text(text, len, &c, lang_hash(lang)));
            all = 0;
        }
    }
    /* pairs: source -> every other tuv */
    const char *tsrc = tu->nattrs ? tmk_tmx_attr_get(tu->attrs, tu->nattrs, "srclang") : NULL;
    long si = -1;
    if (all && !tsrc && tu->ntuvs == 2 && ent[0] == s->two_e0 && ent[1] == s->two_e1 &&
        s->two_pair != SIZE_MAX) {
        /* the same two languages as the last such unit: the same pair */
        s->pairs[s->two_pair].units++;
    } else if (all && !tsrc && tu->ntuvs) {
        /* the header's srclang decides: known per entry */
        if (s->header_srclang && !s->header_all) {
            for (size_t i = 0; i < tu->ntuvs && si < 0; i++) {
                lstat *e = &s->langs[ent[i]];
                if (e->is_src < 0)
                    e->is_src = tmxcli_lang_match(tu->tuvs[i].lang, s->header_srclang);
                if (e->is_src)
                    si = (long)i;
            }
        }
        if (si < 0)
            si = 0;
        for (size_t i = 0; i < tu->ntuvs; i++)
            if ((long)i != si)
                pair_by_entries(s, ent[si], ent[i]);
        if (tu->ntuvs == 2) {
            size_t o = ent[1 - si];
            int known = s->last_ia == ent[si] && s->last_ib == o;
            s->two_e0 = ent[0];
            s->two_e1 = ent[1];
            s->two_pair = known ? s->last_pair_i : SIZE_MAX;
        }
    } else {
        si = tmxcli_source(tu, s->header_srclang);
        for (size_t i = 0; si >= 0 && i < tu->ntuvs; i++) {
            if ((long)i == si)
                continue;
            const char *ra = tu->tuvs[si].lang ? tu->tuvs[si].lang : "(none)";
            const char *rb = tu->tuvs[i].lang ? tu->tuvs[i].lang : "(none)";
            pair_by_codes(s, ra, rb);
        }
    }
    if (s->oom)
        return tmk_error_set(&s->err, TMK_ENOMEM, 0, 0, "out of memory");
    return unit_later(s, unit_hash);
}

static int cmp_lang(const void *a, const void *b)
{
    return strcmp(((const lstat *)a)->lang, ((const lstat *)b)->lang);
}
static int cmp_pair(const void *a, const void *b)
{
    const pstat *x = a, *y = b;
    if (x->units != y->units)
        return x->units < y->units ? 1 : -1;
    int c = strcmp(x->src, y->src);
    return c ? c : strcmp(x->tgt, y->tgt);
}

static void json_str(const char *s)
{
    tmk_buf b = TMK_BUF_INIT;
    tmk_buf_add_json(&b, s, strlen(s));
    printf("\"%s\"", b.data);
    tmk_buf_release(&b);
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int json = 0, ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'j': json = 1; break;
        case 'h': fputs(usage_text, stdout); return TMK_EXIT_OK;
        default: return cli_bad_option(argv[0], ch, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error(argv[0], "give the TMX file(s) to count");
    stats s;
    memset(&s, 0, sizeof s);
    s.last_ia = s.last_ib = SIZE_MAX;
    s.two_pair = SIZE_MAX;
    tmk_buf_init(&s.plain);
    s.hashes = tmk_sorter_new(8, tmk_sorter_cmp_u64, (size_t)6 << 20, &s.err);
    if (!s.hashes)
        return cli_report(&s.err);
    s.set_max = SET_MAX;
    /* for the tests only: a smaller set, to reach the sorter with few units */
    const char *knob = getenv("TMKIT_STATS_SET_SLOTS");
    if (knob) {
        unsigned long v = strtoul(knob, NULL, 10);
        if (v >= 2 && v <= SET_MAX && !(v & (v - 1)))
            s.set_max = v;
    }
    s.set_cap = s.set_max < SET_MIN ? s.set_max : SET_MIN;
    s.set = calloc(s.set_cap, sizeof *s.set);
    if (!s.set) {
        tmk_sorter_free(s.hashes);
        cli_errorf("out of memory");
        return TMK_EXIT_IO;
    }
    int ex = TMK_EXIT_OK;
    for (int i = optind; i < argc && ex == TMK_EXIT_OK; i++) {
        tmk_error err = TMK_ERROR_INIT;
        tmk_tmx_reader *r = tmk_tmx_reader_new(argv[i], TMK_TMX_READ_TEXT_ONLY, &err);
        if (!r)
            return cli_report(&err);
        new_header(&s, NULL);
        tmk_tmx_reader_on_header(r, on_header, &s);
        tmk_tmx_reader_on_tu(r, on_tu, &s);
        int rc = tmk_tmx_read_file(r, argv[i], &err);
        tmk_tmx_reader_free(r);
        if (rc >= 0 && (rc = stats_flush(&s)) < 0)
            err = s.err;
        if (rc < 0) {
            if (s.err.code) {
                err = s.err;
                err.file = argv[i];
            }
            ex = cli_report(&err);
        }
    }
    unsigned long long dups = s.dups;
    if (ex == TMK_EXIT_OK && !s.set_cap) {
        int rc = tmk_sorter_sort(s.hashes, &s.err);
        uint64_t prev = 0, cur;
        int have = 0;
        while (rc >= 0 && (rc = tmk_sorter_next(s.hashes, &cur, &s.err)) == 1) {
            if (have && cur == prev)
                dups++;
            prev = cur;
            have = 1;
        }
        if (rc < 0)
            ex = cli_report(&s.err);
    }
    if (ex == TMK_EXIT_OK) {
        qsort(s.langs, s.nlangs, sizeof *s.langs, cmp_lang);
        qsort(s.pairs, s.npairs, sizeof *s.pairs, cmp_pair);
        if (json) {
            printf("{\"files\": %d, \"units\": %llu, \"tuvs\": %llu, \"duplicates\": %llu, "
                   "\"languages\": [", argc - optind, s.units, s.tuvs, dups);
            for (size_t i = 0; i < s.nlangs; i++) {
                printf("%s{\"lang\": ", i ? ", " : "");
                json_str(s.langs[i].lang);
                printf(", \"tuvs\": %llu, \"words\": %llu, \"characters\": %llu}",
                       s.langs[i].tuvs, tmk_wc_words(&s.langs[i].wc), s.langs[i].chars);
            }
            printf("], \"pairs\": [");
            for (size_t i = 0; i < s.npairs; i++) {
                printf("%s{\"source\": ", i ? ", " : "");
                json_str(s.pairs[i].src);
                printf(", \"target\": ");
                json_str(s.pairs[i].tgt);
                printf(", \"units\": %llu}", s.pairs[i].units);
            }
            printf("]}\n");
        } else {
            printf("files: %d\nunits: %llu\ntuvs: %llu\nduplicates: %llu\nlanguages: %zu\n",
                   argc - optind, s.units, s.tuvs, dups, s.nlangs);
            for (size_t i = 0; i < s.nlangs; i++)
                printf("  %-12s tuvs %llu, words %llu, characters %llu\n", s.langs[i].lang,
                       s.langs[i].tuvs, tmk_wc_words(&s.langs[i].wc), s.langs[i].chars);
            printf("pairs: %zu\n", s.npairs);
            for (size_t i = 0; i < s.npairs; i++)
                printf("  %s -> %s: %llu\n", s.pairs[i].src, s.pairs[i].tgt, s.pairs[i].units);
        }
        if (fflush(stdout) != 0) {
            cli_errorf("cannot write to standard output");
            ex = TMK_EXIT_IO;
        }
    }
    for (size_t i = 0; i < s.nlangs; i++)
        free(s.langs[i].lang);
    for (size_t i = 0; i < s.npairs; i++) {
        free(s.pairs[i].src);
        free(s.pairs[i].tgt);
    }
    free(s.langs);
    free(s.pairs);
    free(s.lidx);
    free(s.pidx);
    free(s.hdr);
    tmk_buf_release(&s.plain);
    free(s.set);
    tmk_sorter_free(s.hashes);
    return ex;
}
