/* tm_index.c -- building the lookup index from TMX, and the index file.
 *
 * The arrays (see tm_int.h) are built in memory while the TMX streams by:
 * each unit's texts go into one blob, the keys of its source (case-folded
 * words, one key for all numbers) are interned.  At the end the keys are
 * ranked by how often they occur (rarest first, ties by their bytes), each
 * unit's ranks are sorted, and every unit is entered in the posting lists
 * of the keys of its prefix: the first nkeys - ceil(nkeys * m0 / 100) + 1
 * of its sorted ranks, m0 = index_min_score.  A match with score >= m0
 * shares at least ceil(L * m0 / 100) keys with the query (L the longer
 * key count), so (prefix filtering, see tm_lookup.c) it shares one key of
 * both prefixes.  Posting lists are sorted by (nkeys, unit) for the length
 * filter.
 *
 * The index file is a header and the arrays as they are in memory
 * (native byte order, 8-byte aligned sections).  The header records the
 * format version, the byte order, each memory's identity (size,
 * modification and change times in ns, device and inode, a checksum of its first and
 * last 64 KiB), the languages asked for and found, the options, each
 * section's offset, count and checksum, and a checksum of itself.  Reading
 * checks all of that and every offset and count inside the arrays against
 * their bounds before anything is used (tmk__tm_index_check): a damaged
 * file is rebuilt, never trusted, and cannot make lookup read out of
 * bounds.
 */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"
#include "tm_int.h"

/* ---- building ---------------------------------------------------------- */

typedef struct vent {
    uint64_t h;
    uint64_t off;
    uint32_t len, count;
} vent;

#define MAXLANGS 16

typedef struct bld {
    tmk_tm *tm;
    const char *src, *tgt;
    const char *name;
    size_t file;
    tmk_tmx_reader *r;
    tmk_buf blob;
    tm_unit *units;
    size_t nu, cu;
    uint32_t *tk;
    size_t ntk, ctk;
    vent *v;
    size_t nv, cv;
    uint32_t *vh;
    size_t vhcap;
    tmk_buf vstr;
    tm_seq seq;
    tmk_buf tmp;
    unsigned long long skipped, total;
    char langs[MAXLANGS][64];
    size_t nlangs;
    int seen_src, seen_tgt;
    tmk_error *err;
} bld;

static int vgrow(void **p, size_t *cap, size_t need, size_t el)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 1024;
    while (nc < need)
        nc *= 2;
    void *n = realloc(*p, nc * el);
    if (!n)
        return TMK_ENOMEM;
    *p = n;
    *cap = nc;
    return 0;
}

static int intern(bld *b, uint64_t h, const char *k, size_t kl, uint32_t *id)
{
    if (b->nv * 2 >= b->vhcap) {
        size_t nc = b->vhcap ? b->vhcap * 2 : 4096;
        uint32_t *nh = calloc(nc, sizeof *nh);
        if (!nh)
            return TMK_ENOMEM;
        for (size_t i = 0; i < b->nv; i++) {
            size_t s = (size_t)b->v[i].h & (nc - 1);
            while (nh[s])
                s = (s + 1) & (nc - 1);
            nh[s] = (uint32_t)i + 1;
        }
        free(b->vh);
        b->vh = nh;
        b->vhcap = nc;
    }
    size_t s = (size_t)h & (b->vhcap - 1);
    while (b->vh[s]) {
        vent *e = &b->v[b->vh[s] - 1];
        if (e->h == h && e->len == kl && !memcmp(b->vstr.data + e->off, k, kl)) {
            e->count++;
            *id = b->vh[s] - 1;
            return 0;
        }
        s = (s + 1) & (b->vhcap - 1);
    }
    TMK_TRY(vgrow((void **)&b->v, &b->cv, b->nv + 1, sizeof *b->v));
    vent *e = &b->v[b->nv];
    e->h = h;
    e->off = b->vstr.len;
    e->len = (uint32_t)kl;
    e->count = 1;
    TMK_TRY(tmk_buf_add(&b->vstr, k, kl));
    b->vh[s] = (uint32_t)b->nv + 1;
    *id = (uint32_t)b->nv++;
    return 0;
}

static void note_lang(bld *b, const char *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < b->nlangs; i++)
        if (tmk_lang_match(b->langs[i], l) && tmk_lang_match(l, b->langs[i]))
            return;
    if (b->nlangs < MAXLANGS && strlen(l) < 64)
        strcpy(b->langs[b->nlangs++], l);
}

static long find_tuv(const tmk_tmx_tu *tu, const char *want, long not)
{
    for (size_t i = 0; i < tu->ntuvs; i++)
        if ((long)i != not && tmk_lang_match(tu->tuvs[i].lang, want))
            return (long)i;
    return -1;
}

static int add_seg(bld *b, const tmk_tmx_tuv *v)
{
    if (v->markup)
        return tmk_buf_add(&b->blob, v->seg, v->seg_len);
    return tmk_tm_text_escape(v->seg, v->seg_len, &b->blob);
}

static int add_meta(tmk_buf *o, int kind, const char *name, const char *value)
{
    TMK_TRY(tmk_buf_addch(o, kind));
    TMK_TRY(tmk_buf_adds(o, name ? name : ""));
    TMK_TRY(tmk_buf_addch(o, 0));
    TMK_TRY(tmk_buf_adds(o, value ? value : ""));
    return tmk_buf_addch(o, 0);
}

static int on_tu(void *ud, const tmk_tmx_tu *tu)
{
    bld *b = ud;
    b->total++;
    for (size_t i = 0; i < tu->ntuvs; i++)
        note_lang(b, tu->tuvs[i].lang);
    long si = find_tuv(tu, b->src, -1);
    long ti = si >= 0 ? find_tuv(tu, b->tgt, si) : -1;
    if (si >= 0)
        b->seen_src = 1;
    if (find_tuv(tu, b->tgt, si) >= 0)
        b->seen_tgt = 1;
    if (si < 0 || ti < 0) {
        b->skipped++;
        return 0;
    }
    if (b->nu >= UINT32_MAX - 1 || b->blob.len > ((uint64_t)1 << 40))
        return tmk_error_set(b->err, TMK_ELIMIT, 0, 0, "the memories hold too many units");
    const tmk_tmx_tuv *sv = &tu->tuvs[si], *tv = &tu->tuvs[ti];
    if (!b->tm->d.srclang[0] && strlen(sv->lang) < 64 && strlen(tv->lang) < 64) {
        strcpy(b->tm->d.srclang, sv->lang);
        strcpy(b->tm->d.tgtlang, tv->lang);
    }
    TMK_TRY(vgrow((void **)&b->units, &b->cu, b->nu + 1, sizeof *b->units));
    tm_unit *u = &b->units[b->nu];
    memset(u, 0, sizeof *u);
    u->src_off = b->blob.len;
    TMK_TRY(add_seg(b, sv));
    u->src_len = (uint32_t)(b->blob.len - u->src_off);
    u->tgt_off = b->blob.len;
    TMK_TRY(add_seg(b, tv));
    u->tgt_len = (uint32_t)(b->blob.len - u->tgt_off);
    u->aux_off = b->blob.len;
    if (tu->tuid)
        TMK_TRY(tmk_buf_adds(&b->blob, tu->tuid));
    u->tuid_len = (uint32_t)(b->blob.len - u->aux_off);
    size_t m0 = b->blob.len;
    for (size_t i = 0; i < tu->nattrs; i++)
        TMK_TRY(add_meta(&b->blob, 'a', tu->attrs[i].name, tu->attrs[i].value));
    for (size_t i = 0; i < tu->nprops; i++)
        TMK_TRY(add_meta(&b->blob, 'p', tu->props[i].type, tu->props[i].value));
    for (size_t i = 0; i < tu->nnotes; i++)
        TMK_TRY(add_meta(&b->blob, 'n', "", tu->notes[i].text));
    u->meta_len = (uint32_t)(b->blob.len - m0);
    u->file = (uint32_t)b->file;
    u->line = (uint32_t)tmk_tmx_reader_tu_line(b->r);
    TMK_TRY(tm__seq_tokenize(&b->seq, b->blob.data + u->src_off, u->src_len));
    u->nkeys = (uint32_t)b->seq.nw;
    u->keys_off = b->ntk;
    TMK_TRY(vgrow((void **)&b->tk, &b->ctk, b->ntk + b->seq.nw, sizeof *b->tk));
    for (size_t i = 0; i < b->seq.nw; i++) {
        const tm_tok *t = &b->seq.w[i];
        TMK_TRY(intern(b, t->h, b->seq.str.data + t->koff, t->klen, &b->tk[b->ntk++]));
    }
    b->nu++;
    return 0;
}

/* Keys by rank: rarest first, ties by their bytes (a record per key, so
 * that the comparison needs no global state). */
typedef struct krec {
    const char *p;
    uint32_t count, len, id;
} krec;

static int cmp_krec(const void *x, const void *y)
{
    const krec *a = x, *b = y;
    if (a->count != b->count)
        return a->count < b->count ? -1 : 1;
    uint32_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->p, b->p, n);
    if (c)
        return c;
    return a->len < b->len ? -1 : a->len > b->len;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static void sort_ranks(uint32_t *r, size_t n)
{
    if (n > 32) {
        qsort(r, n, sizeof *r, cmp_u32);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t x = r[i];
        size_t j = i;
        while (j && r[j - 1] > x) {
            r[j] = r[j - 1];
            j--;
        }
        r[j] = x;
    }
}

/* The number of sorted keys of a unit with n keys that go into the index
 * for minimum score m: n - ceil(n * m / 100) + 1 (0 for n = 0). */
static size_t prefix_len(size_t n, int m)
{
    if (!n)
        return 0;
    return n - (n * (size_t)m + 99) / 100 + 1;
}

static int finish(bld *b, int m0)
{
    tmk_tm *tm = b->tm;
    size_t nv = b->nv;
    uint32_t *order = malloc((nv ? nv : 1) * sizeof *order);
    uint32_t *rank = malloc((nv ? nv : 1) * sizeof *rank);
    tm_vocab *voc = calloc(nv ? nv : 1, sizeof *voc);
    size_t hcap = 16;
    while (hcap < 2 * nv + 2)
        hcap *= 2;
    uint32_t *hash = calloc(hcap, sizeof *hash);
    if (!order || !rank || !voc || !hash) {
        free(order);
        free(rank);
        free(voc);
        free(hash);
        return TMK_ENOMEM;
    }
    krec *kr = malloc((nv ? nv : 1) * sizeof *kr);
    if (!kr) {
        free(order);
        free(rank);
        free(voc);
        free(hash);
        return TMK_ENOMEM;
    }
    for (size_t i = 0; i < nv; i++)
        kr[i] = (krec){b->vstr.data + b->v[i].off, b->v[i].count, b->v[i].len, (uint32_t)i};
    qsort(kr, nv, sizeof *kr, cmp_krec);
    for (size_t i = 0; i < nv; i++)
        order[i] = kr[i].id;
    free(kr);
    for (size_t i = 0; i < nv; i++) {
        const vent *e = &b->v[order[i]];
        rank[order[i]] = (uint32_t)i + 1;
        voc[i].str_off = e->off;
        voc[i].str_len = e->len;
        voc[i].count = e->count;
        size_t s = (size_t)e->h & (hcap - 1);
        while (hash[s])
            s = (s + 1) & (hcap - 1);
        hash[s] = (uint32_t)i + 1;
    }
    free(order);
    /* units' keys to ranks, sorted; posting counts */
    size_t npost = 0;
    for (size_t u = 0; u < b->nu; u++) {
        uint32_t *k = b->tk + b->units[u].keys_off;
        size_t n = b->units[u].nkeys;
        for (size_t i = 0; i < n; i++)
            k[i] = rank[k[i]];
        sort_ranks(k, n);
        size_t p = prefix_len(n, m0);
        for (size_t i = 0; i < p; i++)
            if (i == 0 || k[i] != k[i - 1]) {
                voc[k[i] - 1].post_len++;
                npost++;
            }
    }
    free(rank);
    tm_post *post = malloc((npost ? npost : 1) * sizeof *post);
    size_t nzero = 0;
    for (size_t u = 0; u < b->nu; u++)
        nzero += b->units[u].nkeys == 0;
    uint32_t *zero = malloc((nzero ? nzero : 1) * sizeof *zero);
    size_t *bylen = calloc(TMK_TM_MAX_TOKENS + 2, sizeof *bylen);
    uint32_t *uorder = malloc((b->nu ? b->nu : 1) * sizeof *uorder);
    if (!post || !zero || !bylen || !uorder) {
        free(post);
        free(zero);
        free(bylen);
        free(uorder);
        free(voc);
        free(hash);
        return TMK_ENOMEM;
    }
    uint64_t off = 0;
    for (size_t i = 0; i < nv; i++) {
        voc[i].post_off = off;
        off += voc[i].post_len;
        voc[i].post_len = 0;
    }
    /* units by (nkeys, unit): a counting sort */
    for (size_t u = 0; u < b->nu; u++)
        bylen[b->units[u].nkeys + 1]++;
    for (size_t i = 1; i <= TMK_TM_MAX_TOKENS + 1; i++)
        bylen[i] += bylen[i - 1];
    for (size_t u = 0; u < b->nu; u++)
        uorder[bylen[b->units[u].nkeys]++] = (uint32_t)u;
    free(bylen);
    nzero = 0;
    for (size_t x = 0; x < b->nu; x++) {
        uint32_t u = uorder[x];
        const uint32_t *k = b->tk + b->units[u].keys_off;
        size_t n = b->units[u].nkeys;
        if (!n)
            zero[nzero++] = u;
        size_t p = prefix_len(n, m0);
        for (size_t i = 0; i < p; i++)
            if (i == 0 || k[i] != k[i - 1]) {
                tm_vocab *e = &voc[k[i] - 1];
                post[e->post_off + e->post_len++] = (tm_post){u, (uint16_t)n, (uint16_t)i};
            }
    }
    free(uorder);
    /* zero list in unit order */
    qsort(zero, nzero, sizeof *zero, cmp_u32);
    tm->d.units = b->units;
    tm->d.nunits = b->nu;
    tm->d.blob = b->blob.data;
    tm->d.blob_len = b->blob.len;
    tm->d.keys = b->tk;
    tm->d.nkeys = b->ntk;
    tm->d.vocab = voc;
    tm->d.nvocab = nv;
    tm->d.vstr = b->vstr.data;
    tm->d.vstr_len = b->vstr.len;
    tm->d.hash = hash;
    tm->d.hcap = hcap;
    tm->d.post = post;
    tm->d.npost = npost;
    tm->d.zero = zero;
    tm->d.nzero = nzero;
    tm->d.min_score = (uint32_t)m0;
    tm->owned[0] = b->units;
    tm->owned[1] = tmk_buf_detach(&b->blob, NULL);
    tm->owned[2] = b->tk;
    tm->owned[3] = voc;
    tm->owned[4] = tmk_buf_detach(&b->vstr, NULL);
    tm->owned[5] = hash;
    tm->owned[6] = post;
    tm->owned[7] = zero;
    tm->d.blob = tm->owned[1] ? tm->owned[1] : "";
    tm->d.vstr = tm->owned[4] ? tm->owned[4] : "";
    b->units = NULL;
    b->tk = NULL;
    return 0;
}

static void bld_release(bld *b)
{
    free(b->units);
    free(b->tk);
    free(b->v);
    free(b->vh);
    tmk_buf_release(&b->blob);
    tmk_buf_release(&b->vstr);
    tmk_buf_release(&b->tmp);
    tm__seq_release(&b->seq);
}

static void list_langs(const bld *b, tmk_buf *o)
{
    for (size_t i = 0; i < b->nlangs; i++) {
        if (i)
            tmk_buf_adds(o, ", ");
        tmk_buf_adds(o, b->langs[i]);
    }
    if (!b->nlangs)
        tmk_buf_adds(o, "none");
}

int tm__build(tmk_tm *tm, const char *const *memories, FILE *const *streams, size_t n,
              const char *srclang, const char *tgtlang, int min_score,
              tmk_tm_notice_cb notice, void *ud, tmk_error *err)
{
    bld b;
    memset(&b, 0, sizeof b);
    b.tm = tm;
    b.src = srclang;
    b.tgt = tgtlang;
    b.err = err;
    tmk_buf_init(&b.blob);
    tmk_buf_init(&b.vstr);
    tmk_buf_init(&b.tmp);
    tm_seq s0 = TM_SEQ_INIT;
    b.seq = s0;
    tm->d.srclang[0] = tm->d.tgtlang[0] = 0;
    unsigned long long *skipped = calloc(n, sizeof *skipped);
    int rc = skipped ? 0 : TMK_ENOMEM;
    for (size_t f = 0; f < n && rc == 0; f++) {
        b.file = f;
        b.name = memories[f];
        unsigned long long skipped0 = b.skipped;
        tmk_tmx_read_options ro = TMK_TMX_READ_OPTIONS_INIT;
        ro.name = memories[f];
        ro.flags = TMK_TMX_READ_POSITIONS;
        if ((rc = tmk_tmx_reader_new(&b.r, &ro, NULL, on_tu, NULL, &b, err)) < 0)
            break;
        rc = streams && streams[f] ? tmk_tmx_read_stream(b.r, streams[f], memories[f], err)
                                   : tmk_tmx_read_file(b.r, memories[f], err);
        tmk_tmx_reader_free(b.r);
        b.r = NULL;
        if (rc == 0 && skipped)
            skipped[f] = b.skipped - skipped0;
    }
    if (rc == 0 && b.nu == 0) {
        tmk_buf l = TMK_BUF_INIT;
        list_langs(&b, &l);
        tmk_error_set_file(err, memories[0]);
        if (b.total == 0)
            rc = tmk_error_set_detail(err, TMK_EINVAL, TMK_D_EMPTY_MEMORY, 0, 0,
                                      "the memory holds no translation unit");
        else if (!b.seen_src)
            rc = tmk_error_set_detail(err, TMK_ENOTFOUND, TMK_D_NO_SUCH_LANGUAGE, 0, 0,
                                      "the memory has no text in %s; its languages are %s",
                                      srclang, l.data);
        else if (!b.seen_tgt)
            rc = tmk_error_set_detail(err, TMK_ENOTFOUND, TMK_D_NO_SUCH_LANGUAGE, 0, 0,
                                      "the memory has no text in %s; its languages are %s",
                                      tgtlang, l.data);
        else
            rc = tmk_error_set_detail(err, TMK_EINVAL, TMK_D_EMPTY_MEMORY, 0, 0,
                                      "no unit of the memory has both a %s and a %s text",
                                      srclang, tgtlang);
        tmk_buf_release(&l);
    }
    if (rc == 0)
        rc = finish(&b, min_score);
    /* what was skipped, once the memory is usable (else the error says it) */
    for (size_t f = 0; f < n && rc == 0 && notice; f++) {
        if (!skipped[f])
            continue;
        char msg[512];
        snprintf(msg, sizeof msg, "%llu unit%s without a text in both %s and %s skipped",
                 skipped[f], skipped[f] == 1 ? "" : "s", srclang, tgtlang);
        tmk_tm_notice nt = {TMK_TM_NOTICE_UNIT_SKIPPED, memories[f], msg, skipped[f]};
        if (notice(ud, &nt))
            rc = tmk_error_set(err, TMK_ECANCELED, 0, 0, "stopped by the caller");
    }
    free(skipped);
    if (rc == TMK_ENOMEM)
        tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory while loading the memory");
    bld_release(&b);
    return rc;
}

/* ---- identity of a memory file ------------------------------------------ */

int tm__identify(const char *path, tm_ident *id, tmk_error *err)
{
    memset(id, 0, sizeof *id);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        tmk_error_set_file(err, path);
        return tmk_error_set(err, TMK_EIO, 0, 0, "cannot read the memory: %s", strerror(e));
    }
    id->size = (uint64_t)st.st_size;
    id->mtime_ns = (uint64_t)st.st_mtim.tv_sec * 1000000000ULL + (uint64_t)st.st_mtim.tv_nsec;
    id->ctime_ns = (uint64_t)st.st_ctim.tv_sec * 1000000000ULL + (uint64_t)st.st_ctim.tv_nsec;
    id->ino = (uint64_t)st.st_ino;
    id->dev = (uint64_t)st.st_dev;
    enum { SPAN = 65536 };
    char *buf = malloc(SPAN); /* not static: two threads may open two memories */
    if (!buf) {
        close(fd);
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    }
    uint64_t h = 0;
    ssize_t r = pread(fd, buf, SPAN, 0);
    if (r > 0)
        h = tm__hash(buf, (size_t)r, h);
    if (st.st_size > (off_t)SPAN) {
        r = pread(fd, buf, SPAN, st.st_size - (off_t)SPAN);
        if (r > 0)
            h = tm__hash(buf, (size_t)r, h ^ 0xabcdef);
    }
    free(buf);
    id->sum = h;
    close(fd);
    return 0;
}

/* ---- the file ------------------------------------------------------------ */

#define MAGIC "TMKIDX\r\n"
#define IDX_VERSION 3u /* 3: the memory's ctime in its identity */
#define ENDIAN 0x01020304u
#define NSEC 9
enum { S_UNITS, S_BLOB, S_KEYS, S_VOCAB, S_VSTR, S_HASH, S_POST, S_ZERO, S_IDENT };
static const size_t sec_el[NSEC] = {sizeof(tm_unit), 1, 4, sizeof(tm_vocab), 1, 4, sizeof(tm_post), 4,
                                    sizeof(tm_ident)};

typedef struct idx_hdr {
    char magic[8];
    uint32_t version, endian;
    uint64_t file_len;
    uint64_t hdr_sum;
    uint32_t min_score, max_tokens;
    uint32_t nident, hdr_len;
    char req_src[64], req_tgt[64], srclang[64], tgtlang[64];
    uint64_t off[NSEC], cnt[NSEC], sum[NSEC];
} idx_hdr;

static uint64_t hdr_checksum(const idx_hdr *h)
{
    idx_hdr c = *h;
    c.hdr_sum = 0;
    return tm__hash(&c, sizeof c, 0x4844);
}

static int str_ok(const char *s, size_t n) { return memchr(s, 0, n) != NULL; }

static int bad(tmk_error *err, const char *what)
{
    return tmk_error_set_detail(err, TMK_ESYNTAX, TMK_D_INDEX_CORRUPT, 0, 0,
                                "the index file is damaged (%s)", what);
}

int tmk__tm_index_check(tmk_tm *tm, const void *data, size_t len, int sums, tmk_error *err)
{
    if (len < sizeof(idx_hdr))
        return bad(err, "too short");
    idx_hdr h;
    memcpy(&h, data, sizeof h);
    if (memcmp(h.magic, MAGIC, 8))
        return bad(err, "not a tmkit index");
    if (h.version != IDX_VERSION || h.endian != ENDIAN)
        return bad(err, "another version or byte order");
    if (h.file_len != len || h.hdr_len != sizeof h)
        return bad(err, "truncated");
    if (sums && hdr_checksum(&h) != h.hdr_sum)
        return bad(err, "header checksum");
    if (!str_ok(h.req_src, 64) || !str_ok(h.req_tgt, 64) || !str_ok(h.srclang, 64) ||
        !str_ok(h.tgtlang, 64))
        return bad(err, "languages");
    if (h.min_score < 1 || h.min_score > 100 || h.max_tokens != TMK_TM_MAX_TOKENS)
        return bad(err, "options");
    const char *base = data;
    for (int s = 0; s < NSEC; s++) {
        if (h.off[s] < sizeof h || h.off[s] > len || (h.off[s] & 7))
            return bad(err, "section offset");
        if (h.cnt[s] > (len - h.off[s]) / sec_el[s])
            return bad(err, "section size");
        if (sums && tm__hash(base + h.off[s], h.cnt[s] * sec_el[s], (uint64_t)s) != h.sum[s])
            return bad(err, "checksum");
    }
    if (h.cnt[S_IDENT] != h.nident || h.cnt[S_HASH] < 2 ||
        (h.cnt[S_HASH] & (h.cnt[S_HASH] - 1)) || h.cnt[S_UNITS] >= UINT32_MAX)
        return bad(err, "counts");
    tm_data *d = &tm->d;
    d->units = (const tm_unit *)(base + h.off[S_UNITS]);
    d->nunits = h.cnt[S_UNITS];
    d->blob = base + h.off[S_BLOB];
    d->blob_len = h.cnt[S_BLOB];
    d->keys = (const uint32_t *)(base + h.off[S_KEYS]);
    d->nkeys = h.cnt[S_KEYS];
    d->vocab = (const tm_vocab *)(base + h.off[S_VOCAB]);
    d->nvocab = h.cnt[S_VOCAB];
    d->vstr = base + h.off[S_VSTR];
    d->vstr_len = h.cnt[S_VSTR];
    d->hash = (const uint32_t *)(base + h.off[S_HASH]);
    d->hcap = h.cnt[S_HASH];
    d->post = (const tm_post *)(base + h.off[S_POST]);
    d->npost = h.cnt[S_POST];
    d->zero = (const uint32_t *)(base + h.off[S_ZERO]);
    d->nzero = h.cnt[S_ZERO];
    d->min_score = h.min_score;
    memcpy(d->srclang, h.srclang, 64);
    memcpy(d->tgtlang, h.tgtlang, 64);
    d->nident = h.nident;
    /* everything inside within bounds */
    for (uint64_t u = 0; u < d->nunits; u++) {
        const tm_unit *x = &d->units[u];
        if (x->src_off > d->blob_len || x->src_len > d->blob_len - x->src_off ||
            x->tgt_off > d->blob_len || x->tgt_len > d->blob_len - x->tgt_off ||
            x->aux_off > d->blob_len ||
            (uint64_t)x->tuid_len + x->meta_len > d->blob_len - x->aux_off ||
            x->keys_off > d->nkeys || x->nkeys > d->nkeys - x->keys_off ||
            x->nkeys > TMK_TM_MAX_TOKENS || x->file >= h.nident)
            return bad(err, "unit");
    }
    for (uint64_t i = 0; i < d->nkeys; i++)
        if (d->keys[i] < 1 || d->keys[i] > d->nvocab)
            return bad(err, "key");
    for (uint64_t i = 0; i < d->nvocab; i++) {
        const tm_vocab *v = &d->vocab[i];
        if (v->str_off > d->vstr_len || v->str_len > d->vstr_len - v->str_off ||
            v->post_off > d->npost || v->post_len > d->npost - v->post_off)
            return bad(err, "vocabulary");
    }
    uint64_t empty = 0;
    for (uint64_t i = 0; i < d->hcap; i++) {
        if (d->hash[i] > d->nvocab)
            return bad(err, "hash");
        empty += d->hash[i] == 0;
    }
    if (!empty)
        return bad(err, "hash");
    for (uint64_t i = 0; i < d->npost; i++) /* nkeys and pos only filter: lookup checks them */
        if (d->post[i].unit >= d->nunits)
            return bad(err, "postings");
    for (uint64_t i = 0; i < d->nzero; i++)
        if (d->zero[i] >= d->nunits)
            return bad(err, "postings");
    return TMK_OK;
}

int tm__index_load(tmk_tm *tm, const char *path, const tm_ident *ids, size_t n,
                   const char *srclang, const char *tgtlang, int min_score, int *why,
                   size_t *stale_file, tmk_error *err)
{
    *why = TMK_TM_NOTICE_INDEX_BUILT;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return 0; /* none yet (or unreadable: rebuilt and replaced) */
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        *why = TMK_TM_NOTICE_INDEX_CORRUPT;
        return 0;
    }
    size_t len = (size_t)st.st_size;
    if (len == 0) { /* an empty file (made to hold the index): built, then filled */
        close(fd);
        return 0;
    }
    void *map = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (map == MAP_FAILED) {
        *why = TMK_TM_NOTICE_INDEX_CORRUPT;
        return 0;
    }
    if (len < 6 || memcmp(map, MAGIC, 6)) {
        /* not an index at all (a mistyped -i?): built anew, and saving
         * will not replace the file */
        munmap(map, len);
        return 0;
    }
    tmk_error e2 = TMK_ERROR_INIT;
    idx_hdr h;
    if (len >= sizeof h)
        memcpy(&h, map, sizeof h);
    /* parameters first: a stale index is not "damaged" */
    if (len >= sizeof h && !memcmp(h.magic, MAGIC, 8) && h.version == IDX_VERSION &&
        h.endian == ENDIAN && hdr_checksum(&h) == h.hdr_sum) {
        int same_opts = h.min_score == (uint32_t)min_score && str_ok(h.req_src, 64) &&
                        str_ok(h.req_tgt, 64) && !strcmp(h.req_src, srclang ? srclang : "") &&
                        !strcmp(h.req_tgt, tgtlang ? tgtlang : "") && h.nident == n;
        if (!same_opts) {
            munmap(map, len);
            *why = TMK_TM_NOTICE_INDEX_STALE;
            *stale_file = (size_t)-1;
            return 0;
        }
        if (h.off[S_IDENT] <= len && h.cnt[S_IDENT] == n &&
            n * sizeof(tm_ident) <= len - h.off[S_IDENT]) {
            const tm_ident *fid = (const tm_ident *)((const char *)map + h.off[S_IDENT]);
            for (size_t i = 0; i < n; i++)
                if (memcmp(&fid[i], &ids[i], sizeof *ids)) {
                    munmap(map, len);
                    *why = TMK_TM_NOTICE_INDEX_STALE;
                    *stale_file = i;
                    return 0;
                }
        }
    }
    if (tmk__tm_index_check(tm, map, len, 1, &e2) != TMK_OK) {
        munmap(map, len);
        memset(&tm->d, 0, sizeof tm->d);
        *why = TMK_TM_NOTICE_INDEX_CORRUPT;
        return 0;
    }
    (void)err;
    tm->map = map;
    tm->map_len = len;
    *why = TMK_TM_NOTICE_INDEX_USED;
    return 1;
}

static int put(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t w = write(fd, s, n > (1u << 30) ? (1u << 30) : n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The index file is written where no one sees it and named only when it
 * is complete: an unnamed file (O_TMPFILE) in the index's folder, linked
 * as PATH.tmp.XXXXXX and renamed over PATH at once.  So a run that is
 * interrupted while it writes (Ctrl-C, a file size limit, a crash) leaves
 * nothing behind, without the library handling signals.  Where the file
 * system has no unnamed files (or /proc is not mounted), -1: the caller
 * writes a named PATH.tmp.XXXXXX instead. */
static int open_unnamed(const char *path)
{
#ifdef O_TMPFILE
    if (access("/proc/self/fd", X_OK) != 0)
        return -1;
    const char *slash = strrchr(path, '/');
    char *dir = !slash ? strdup(".") : strndup(path, slash == path ? 1 : (size_t)(slash - path));
    if (!dir)
        return -1;
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    free(dir);
    return fd;
#else
    (void)path;
    return -1;
#endif
}

/* Link the unnamed file fd as tmp (pl bytes of the index's path, then
 * ".tmp.XXXXXX", the X replaced); 0, or -1 with errno. */
static int name_unnamed(int fd, char *tmp, size_t pl)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16) ^
                 (uint64_t)(uintptr_t)tmp;
    for (int tries = 0; tries < 100; tries++) {
        for (int i = 0; i < 6; i++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            tmp[pl + 5 + i] = abc[(x >> 33) % (sizeof abc - 1)];
        }
        if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0)
            return 0;
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

int tm__index_save(const tmk_tm *tm, const char *path, const tm_ident *ids, size_t n,
                   const char *srclang, const char *tgtlang, tmk_error *err)
{
    const tm_data *d = &tm->d;
    if ((srclang && strlen(srclang) >= 64) || (tgtlang && strlen(tgtlang) >= 64))
        return tmk_error_set(err, TMK_EINVAL, 0, 0, "language codes too long for an index");
    idx_hdr h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, 8);
    h.version = IDX_VERSION;
    h.endian = ENDIAN;
    h.min_score = d->min_score;
    h.max_tokens = TMK_TM_MAX_TOKENS;
    h.nident = (uint32_t)n;
    h.hdr_len = sizeof h;
    strcpy(h.req_src, srclang ? srclang : "");
    strcpy(h.req_tgt, tgtlang ? tgtlang : "");
    memcpy(h.srclang, d->srclang, 64);
    memcpy(h.tgtlang, d->tgtlang, 64);
    const void *secs[NSEC] = {d->units, d->blob, d->keys, d->vocab, d->vstr,
                              d->hash, d->post, d->zero, ids};
    uint64_t cnts[NSEC] = {d->nunits, d->blob_len, d->nkeys, d->nvocab, d->vstr_len,
                           d->hcap, d->npost, d->nzero, n};
    uint64_t off = sizeof h;
    for (int s = 0; s < NSEC; s++) {
        off = (off + 7) & ~(uint64_t)7;
        h.off[s] = off;
        h.cnt[s] = cnts[s];
        h.sum[s] = tm__hash(secs[s], cnts[s] * sec_el[s], (uint64_t)s);
        off += cnts[s] * sec_el[s];
    }
    h.file_len = off;
    h.hdr_sum = hdr_checksum(&h);
    /* never replace a file that is not an index (a mistyped -i) */
    int ofd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (ofd >= 0) {
        char head[6];
        struct stat ost;
        ssize_t got = read(ofd, head, sizeof head);
        int is_idx = fstat(ofd, &ost) == 0 && S_ISREG(ost.st_mode) &&
                     (ost.st_size == 0 || (got == (ssize_t)sizeof head && !memcmp(head, MAGIC, 6)));
        close(ofd);
        if (!is_idx) {
            tmk_error_set_file(err, path);
            return tmk_error_set_detail(err, TMK_EINVAL, TMK_D_INDEX_CORRUPT, 0, 0,
                                        "it exists and is not a tmkit index, so it is not "
                                        "replaced");
        }
    }
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (!tmp)
        return tmk_error_set(err, TMK_ENOMEM, 0, 0, "out of memory");
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp.XXXXXX", 12);
    int named = 0; /* tmp names the file being written */
    int fd = open_unnamed(path);
    if (fd < 0) {
        fd = mkstemp(tmp);
        named = fd >= 0;
    }
    if (fd < 0) {
        int e = errno;
        free(tmp);
        tmk_error_set_file(err, path);
        return tmk_error_set(err, TMK_EIO, 0, 0, "%s", strerror(e));
    }
    (void)fchmod(fd, 0644); /* an index is a cache anyone who reads the memory may use */
    int ok = put(fd, &h, sizeof h) == 0;
    uint64_t at = sizeof h;
    static const char zeros[8];
    for (int s = 0; s < NSEC && ok; s++) {
        if (h.off[s] > at)
            ok = put(fd, zeros, (size_t)(h.off[s] - at)) == 0;
        if (ok && cnts[s])
            ok = put(fd, secs[s], (size_t)(cnts[s] * sec_el[s])) == 0;
        at = h.off[s] + cnts[s] * sec_el[s];
    }
    if (ok && !named) /* complete: now it gets a name, renamed at once */
        ok = named = name_unnamed(fd, tmp, pl) == 0;
    int e = errno;
    if (close(fd) < 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (ok && rename(tmp, path) < 0) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        if (named)
            unlink(tmp);
        free(tmp);
        tmk_error_set_file(err, path);
        return tmk_error_set(err, TMK_EIO, 0, 0, "%s", strerror(e));
    }
    free(tmp);
    return 0;
}
