/* tmx_int.h -- internals shared by the TMX reader's files (not installed).
 * The files depend one way: tmx_read.c (set-up, feeding, the full element
 * handlers) calls tmx_lean.c (the lean path), tmx_rules.c (the validation
 * rules), tmx_unit.c (the unit under construction) and tmx_unpack.c
 * (compressed input); tmx_lean.c calls tmx_unit.c; nothing calls back
 * into tmx_read.c but through the pointers it sets (full_start, full_end).
 *
 * tmx_unpack.c: compressed memories (gzip, a zip holding one TMX).  It
 * knows nothing of the reader: the unpacked bytes go to a sink callback,
 * so the files depend one way only (tmx_read.c -> tmx_unpack.c).
 */
#ifndef TMKIT_TMX_INT_H
#define TMKIT_TMX_INT_H

#include <stddef.h>
#include "tmkit/error.h"
#include "tmkit/tmx.h"
#include "tmkit/buf.h"
#include "tmkit/decode.h"
#include <ctype.h>
#include <expat.h>
#include <string.h>

/* Where unpacked bytes go: TMK_OK to go on, a negative code to stop. */
typedef int (*tmk__unpack_sink)(void *ud, const char *data, size_t len, tmk_error *err);

/* Whether the first bytes are those of a gzip stream (1f 8b) or of a zip
 * file (PK 03 04, or PK 05 06 for an empty one).  n may be short. */
int tmk__is_gzip(const void *data, size_t n);
int tmk__is_zip(const void *data, size_t n);

/* A gzip stream (one or more members) unpacked in chunks.  name: for
 * messages (borrowed).  feed gives every unpacked chunk to sink; finish
 * says whether the stream was complete (a truncated file is TMK_ESYNTAX
 * with its own message).  Limit: see TMK_TMX_UNPACK_RATIO in tmx.h. */
typedef struct tmk__gunzip tmk__gunzip;
tmk__gunzip *tmk__gunzip_new(const char *name, tmk_error *err);
int tmk__gunzip_feed(tmk__gunzip *g, const char *data, size_t len, tmk__unpack_sink sink,
                     void *ud, tmk_error *err);
int tmk__gunzip_finish(tmk__gunzip *g, tmk_error *err);
void tmk__gunzip_free(tmk__gunzip *g);

/* The zip file at path must hold exactly one TMX memory (a member whose
 * start has a <tmx element): it is unpacked in chunks into sink.  Other
 * members (a readme, folders) are ignored.  No TMX, several, an encrypted
 * member or a member that unpacks beyond the limit: TMK_EFORMAT or
 * TMK_ELIMIT with a message naming path. */
int tmk__unzip_tmx(const char *path, tmk__unpack_sink sink, void *ud, tmk_error *err);

/* ---- the reader's state, shared by tmx_read.c (the reader: set-up,
 * feeding, the element handlers, the lean path) and tmx_rules.c (the
 * validation rules; it calls nothing in tmx_read.c) ---------------------- */

#define NOSTR ((size_t)-1)

enum el {
    E_NONE, E_TMX, E_HEADER, E_BODY, E_TU, E_TUV, E_SEG, E_NOTE, E_PROP, E_UDE, E_MAP,
    E_BPT, E_EPT, E_IT, E_PH, E_HI, E_SUB, E_UT, E_UNKNOWN
};
/* the element names by enum el (tmx_rules.c) */
extern const char *const tmk__tmx_el_names[];
#define el_names tmk__tmx_el_names

static inline int is_code(enum el e) { return e == E_BPT || e == E_EPT || e == E_IT || e == E_PH || e == E_UT; }
static inline int is_inline(enum el e) { return is_code(e) || e == E_HI || e == E_SUB; }

typedef struct { size_t type, value, lang, enc; } rprop;
typedef struct { size_t text, lang, enc; } rnote;
typedef struct { size_t name, value; } rattr;
typedef struct {
    size_t lang, seg, seg_len, xsig;
    int markup, uses_x, has_seg;
    uint64_t mhash; /* lean path: the hash of the seg's inline markup (tmk__markup_hash), 0 none */
    size_t p0, np, n0, nn, a0, na, o0;
    unsigned long line, col;
} rtuv;
typedef struct { unsigned char el; long x; } xuse;
/* a <bpt> of the seg, where it is, and the next open one with the same i */
typedef struct { long i; unsigned long line, col; size_t next; int closed; } bpt_at;
/* the seg's <bpt> by i: the open ones, oldest first (a hash table, so
 * that a seg with 100,000 codes is checked in linear time) */
typedef struct { long i; size_t head, tail; unsigned gen; } bpt_slot;

#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec, item, rc)                                                        \
    do {                                                                               \
        if ((vec).n == (vec).cap) {                                                    \
            size_t nc_ = (vec).cap ? (vec).cap * 2 : 8;                                \
            void *nv_ = realloc((vec).v, nc_ * sizeof *(vec).v);                       \
            if (!nv_) { (rc) = TMK_ENOMEM; break; }                                    \
            (vec).v = nv_;                                                             \
            (vec).cap = nc_;                                                           \
        }                                                                              \
        (vec).v[(vec).n++] = (item);                                                   \
    } while (0)

typedef struct { unsigned char el, state; } frame;

struct tmk_tmx_reader {
    char *name;               /* the options' name, copied ("-" without one) */
    unsigned flags;
    XML_Parser p;
    int started, done;
    tmk_buf pre;              /* bytes kept until the encoding is known */
    tmk_decoder *dec;         /* for encodings expat does not know */
    tmk_buf decoded;
    unsigned long long bytes;
    enum { PACK_UNKNOWN, PACK_PLAIN, PACK_GZIP, PACK_ZIP } pack; /* what is fed */
    unsigned char magic[2];   /* the first byte, until the second says if it is gzip */
    size_t nmagic;
    tmk__gunzip *gz;
    unsigned max_depth;
    size_t max_tu_bytes;

    tmk_tmx_header_cb on_header;
    tmk_tmx_tu_cb on_tu;
    tmk_tmx_problem_cb on_problem;
    void *ud;                 /* the callbacks' user data */

    frame *stack;
    unsigned depth;
    int in_seg;               /* depth of the <seg> element, 0 = not in one */
    int code_depth;           /* open native-code elements inside the seg */
    int pending_open;         /* "<name attrs" written, '>' or "/>" not yet */
    size_t dropped;           /* bytes of the unit's segs not kept (STRIP: native code
                                 text, attributes of inline elements); they count
                                 towards max_tu_bytes as they would in a full read */
    int collect;              /* collecting text of note/prop */
    int direct;               /* STRIP without checks: seg text goes straight into ar */
    int lean;                 /* TEXT_ONLY without checks: lean handlers (see lean_start) */
    int unit_markup;          /* lean: a seg of the unit had inline markup (rtuv.mhash) */
    size_t lean_zeroed;       /* ptuvs entries zeroed for end_tu_lean */
    const char *xml_lang;     /* expat's "xml:lang" attribute name, once met (see lean_tuv) */
    tmk_tmx_tu lean_pub;          /* the unit end_tu_lean gives (all else zero) */
    rtuv *lean_tuv;           /* the last tuv lean_tuv pushed */
    int in_tu, in_tuv, in_header;
    XML_StartElementHandler full_start; /* the full handlers, for the lean path */
    XML_EndElementHandler full_end;

    tmk_buf ar;               /* the unit's strings */
    tmk_buf segp, segx, txt, tmp;
    tmk_buf npattr; /* the open <note>/<prop>: "type\0lang\0o-encoding" */
    tmk_buf tu_order, tuv_order;  /* 'n'/'p' in document order (header or tu; tuvs) */
    tmk_buf ude;                  /* the header's <ude> elements as XML */
    VEC(rprop) tu_props; VEC(rnote) tu_notes; VEC(rattr) tu_attrs;
    VEC(rprop) tuv_props; VEC(rnote) tuv_notes; VEC(rattr) tuv_attrs;
    VEC(rtuv) tuvs;
    size_t tuid;
    unsigned long tu_line, tu_col;
    /* public views built at the callback */
    VEC(tmk_tmx_prop) pprops; VEC(tmk_tmx_note) pnotes; VEC(tmk_tmx_attr) pattrs;
    VEC(tmk_tmx_tuv) ptuvs;

    /* checks */
    char version[16];
    char *srclang;            /* header srclang (malloc'ed) */
    size_t tu_srclang;        /* offset or NOSTR */
    VEC(bpt_at) bpts;         /* the seg's <bpt> in document order */
    bpt_slot *bslots;         /* by i; a slot is in use when its gen is bgen */
    size_t bcap, bused;
    unsigned bgen;
    VEC(xuse) xs;

    int stop_code;
    tmk_error stop_err;
};

/* ---- small helpers --------------------------------------------------------- */

static inline unsigned long cur_line(tmk_tmx_reader *r) { return (unsigned long)XML_GetCurrentLineNumber(r->p); }
static inline unsigned long cur_col(tmk_tmx_reader *r) { return (unsigned long)XML_GetCurrentColumnNumber(r->p) + 1; }
static inline const char *ar_str(const tmk_tmx_reader *r, size_t off) { return off == NOSTR ? NULL : r->ar.data + off; }

static inline const char *attr(const XML_Char **atts, const char *name)
{
    for (; atts && *atts; atts += 2)
        if (!strcmp(atts[0], name))
            return atts[1];
    return NULL;
}

static inline int is_number(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

/* Element names are compared here for every
 * start tag; the hot ones (tu, tuv, seg, inline codes) without strcmp. */
static inline enum el el_of(const char *n)
{
#define EL_IS(s, e) (strcmp(n, s) == 0 ? (e) : E_UNKNOWN)
    switch (n[0]) {
    case 't':
        if (n[1] == 'u')
            return n[2] == '\0' ? E_TU : n[2] == 'v' && n[3] == '\0' ? E_TUV : E_UNKNOWN;
        return EL_IS("tmx", E_TMX);
    case 's':
        if (n[1] == 'e')
            return n[2] == 'g' && n[3] == '\0' ? E_SEG : E_UNKNOWN;
        return EL_IS("sub", E_SUB);
    case 'p':
        if (n[1] == 'h')
            return n[2] == '\0' ? E_PH : E_UNKNOWN;
        return EL_IS("prop", E_PROP);
    case 'n': return EL_IS("note", E_NOTE);
    case 'h':
        if (n[1] == 'i')
            return n[2] == '\0' ? E_HI : E_UNKNOWN;
        return EL_IS("header", E_HEADER);
    case 'b':
        if (n[1] == 'o')
            return EL_IS("body", E_BODY);
        return EL_IS("bpt", E_BPT);
    case 'e': return EL_IS("ept", E_EPT);
    case 'i': return n[1] == 't' && n[2] == '\0' ? E_IT : E_UNKNOWN;
    case 'u':
        if (n[1] == 'd')
            return EL_IS("ude", E_UDE);
        return n[1] == 't' && n[2] == '\0' ? E_UT : E_UNKNOWN;
    case 'm': return EL_IS("map", E_MAP);
    default: return E_UNKNOWN;
    }
#undef EL_IS
}

static inline size_t unit_bytes(const tmk_tmx_reader *r)
{
    return r->ar.len + r->segp.len + r->segx.len + r->txt.len + r->dropped;
}

/* ---- the unit under construction (tmx_unit.c) ---------------------------- */

extern const char tmk__tmx_empty_seg[TMK_TMX_SEG_PAD + 1];
#define empty_seg tmk__tmx_empty_seg
/* Stop reading with code and a message at the current position (once). */
void tmk__tmx_stop(tmk_tmx_reader *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Stop reading because a callback returned rc (non-zero): TMK_ECANCELED
 * for a positive rc, else rc itself. */
void tmk__tmx_stop_by_callback(tmk_tmx_reader *r, int rc);
#define stop_by_callback tmk__tmx_stop_by_callback
/* A string into the arena: its offset, or NOSTR (stopped: no memory). */
size_t tmk__tmx_ar_add(tmk_tmx_reader *r, const char *s, size_t len);
size_t tmk__tmx_ar_adds(tmk_tmx_reader *r, const char *s);
void tmk__tmx_reset_tu(tmk_tmx_reader *r);
/* Room for the public views of a unit or the header. */
int tmk__tmx_build_public(tmk_tmx_reader *r, size_t np, size_t nn, size_t na, size_t nt);
void tmk__tmx_pub_props(tmk_tmx_reader *r, const rprop *p, size_t n, const tmk_tmx_prop **out);
void tmk__tmx_pub_notes(tmk_tmx_reader *r, const rnote *p, size_t n, const tmk_tmx_note **out);
void tmk__tmx_pub_attrs(tmk_tmx_reader *r, const rattr *p, size_t n, const tmk_tmx_attr **out);
/* The attributes of an element not kept: counted towards the unit limit. */
void tmk__tmx_drop_attrs(tmk_tmx_reader *r, const XML_Char **atts);
/* Seg text in direct mode (STRIP, no checks): straight into the arena. */
void XMLCALL tmk__tmx_on_seg_text_direct(void *ud, const XML_Char *s, int len);
#define stop tmk__tmx_stop
#define ar_add tmk__tmx_ar_add
#define ar_adds tmk__tmx_ar_adds
#define reset_tu tmk__tmx_reset_tu
#define build_public tmk__tmx_build_public
#define pub_props tmk__tmx_pub_props
#define pub_notes tmk__tmx_pub_notes
#define pub_attrs tmk__tmx_pub_attrs
#define drop_attrs tmk__tmx_drop_attrs
#define on_seg_text_direct tmk__tmx_on_seg_text_direct

/* ---- the lean path (tmx_lean.c) ------------------------------------------ */

/* expat handlers for TEXT_ONLY without checks (see tmx_lean.c) */
void XMLCALL tmk__tmx_lean_start(void *ud, const XML_Char *name, const XML_Char **atts);
void XMLCALL tmk__tmx_lean_end(void *ud, const XML_Char *name);
#define lean_start tmk__tmx_lean_start
#define lean_end tmk__tmx_lean_end

/* ---- the rules (tmx_rules.c) --------------------------------------------- */

/* Report a problem to the problem callback, if one is set. */
void tmk__tmx_problem_at(tmk_tmx_reader *r, enum tmk_tmx_problem id, unsigned long line,
                         unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
#define problem_at tmk__tmx_problem_at
#define problem(r, id, ...) problem_at((r), (id), cur_line(r), cur_col(r), __VA_ARGS__)
/* The attributes of element e (DTD and TMXValidator rules). */
void tmk__tmx_check_attrs(tmk_tmx_reader *r, enum el e, const XML_Char **atts);
/* Whether e may appear in parent (content models); updates the parent's state. */
void tmk__tmx_check_child(tmk_tmx_reader *r, frame *parent, enum el e);
/* At the end of an element: its required children. */
void tmk__tmx_check_end(tmk_tmx_reader *r, const frame *f);
/* At </tu>: the source tuv, x on inline codes alike in every tuv. */
void tmk__tmx_check_tu(tmk_tmx_reader *r);
/* Inside a <seg>: the pairing of <bpt>/<ept> by i, x on inline codes. */
int tmk__tmx_check_inline(tmk_tmx_reader *r, enum el e, const XML_Char **atts);
#define check_inline tmk__tmx_check_inline
#define check_attrs tmk__tmx_check_attrs
#define check_child tmk__tmx_check_child
#define check_end tmk__tmx_check_end
#define check_tu tmk__tmx_check_tu

#endif
