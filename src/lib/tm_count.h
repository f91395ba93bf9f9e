/* tm_count.h -- inside the library: one pass over a plain text that
 * counts its words (runs of non-space) and characters (code points) and
 * hashes it, shared by the statistics (tm_stats.c) and the unit identity
 * hash (tm_unit.c, tmk_tmx_unit_hash), so that both give the same hash.
 * The text must be readable TMK_TMX_SEG_PAD bytes past its end. */
#ifndef TMK_TM_COUNT_H
#define TMK_TM_COUNT_H

#include <stdint.h>
#include <string.h>
#include "tmkit/tmkit.h"

/* A fast 64-bit hash of bytes (word-wise multiply/xor-shift), chainable. */
static inline uint64_t tm_hash_bytes(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 31;
    }
    for (; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return (h ^ len) * 0xbf58476d1ce4e5b9ULL;
}
#define TM_HASH_INIT 0xcbf29ce484222325ULL

/* The hash of a language code, lowercased with '-' for '_' (codes that
 * differ only so are one language). */
static inline uint64_t tm_lang_hash(const char *lang)
{
    char lk[64];
    size_t ln = 0;
    uint64_t h = TM_HASH_INIT;
    for (const char *p = lang; *p; p++) {
        if (ln == sizeof lk) { /* a long code: every byte counts */
            h = tm_hash_bytes(h, lk, ln);
            ln = 0;
        }
        lk[ln++] = (char)(*p == '_' ? '-' : (*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
    }
    return tm_hash_bytes(h, lk, ln);
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
static __attribute__((noinline, unused)) int mark_spaces(const char *p, size_t rem, unsigned lead,
                                                 unsigned char mk[32])
{
    int any = 0;
    while (lead) {
        unsigned b = (unsigned)__builtin_ctz(lead);
        lead &= lead - 1;
        size_t adv;
        int32_t cp = tmk_utf8_decode(p + b, rem - b, &adv);
        if (cp < 0 || !tmk_utf8_is_space(cp))
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
static inline uint64_t count_text(const char *t, size_t n, counts *out, uint64_t h)
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
                if (cp < 0 || !tmk_utf8_is_space(cp))
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

#if !STATS_SSE2
static inline uint64_t mix(uint64_t h)
{
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}
#endif

/* The hash of one tuv for the unit identity: its language (lang_hash of the
 * code) and its plain text (padded as above); a unit's hash is the sum over
 * its tuvs, so the tuv order does not matter. */
static inline uint64_t tm_tuv_hash(uint64_t lang_hash, const char *t, size_t n)
{
    counts c = {0, 0};
    return TEXT_MIX(count_text(t, n, &c, lang_hash));
}

#endif
