/* po_cli.c -- tmkit convert FILE.po --to tmx.
 *
 * The units are the ones translate-toolkit's po2tmx makes: msgid and
 * msgstr (for a plural entry msgid and msgstr[0]), source language -s
 * (default en), target language from the header (-t overrides).  The
 * header, entries with an empty msgid, untranslated entries (empty msgstr
 * or msgstr[0]) and obsolete entries are left out; fuzzy entries too
 * unless --include-fuzzy (they then carry <prop type="x-po-fuzzy">).  A
 * msgctxt goes into <prop type="x-po-msgctxt">. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "po_cli.h"
#include "xliff_cli.h"
#include "tmkit/tmkit.h"

int po_cli_is_po(const char *input)
{
    if (!strcmp(input, "-"))
        return 0;
    FILE *f = fopen(input, "rb");
    if (!f)
        return 0;
    char buf[TMK_SNIFF_LEN];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return tmk_decode_sniff(buf, n, NULL) == TMK_CONTENT_PO;
}

typedef struct {
    const po_cli_args *a;
    tmk_po_reader *r;
    FILE *out;
    tmk_tmx_writer *w;
    char *tgt;              /* the target language (owned) */
    int usage;              /* the target language is missing or bad: usage error */
    unsigned long line;     /* line of the entry being written */
    unsigned long written, untranslated, fuzzy, blank, warned;
    tmk_error err;
} po_conv;

static int on_warning(void *ud, const tmk_tmx_warning *wn)
{
    po_conv *c = ud;
    c->warned++;
    fprintf(stderr, "tmkit: %s:%lu: %s\n", c->a->input, c->line, wn->msg);
    return 0;
}

/* The header is known: the languages, then the writer. */
static int open_writer(po_conv *c)
{
    const tmk_po_header *h = tmk_po_reader_header(c->r);
    if (c->a->tgt) {
        c->tgt = strdup(c->a->tgt);
        if (!c->tgt)
            return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
    } else if (!h || !h->language) {
        c->usage = 1;
        cli_usage_error(c->a->cmd, "%s has no Language in its header: give the target "
                                   "language with -t LANG (e.g. -t de-DE)",
                        c->a->input);
        return TMK_EINVAL;
    } else {
        tmk_error e = TMK_ERROR_INIT;
        if (tmk_po_lang_to_tmx(h->language, &c->tgt, &e) < 0) {
            if (e.code == TMK_ENOMEM)
                return tmk_error_set(&c->err, TMK_ENOMEM, 0, 0, "out of memory");
            c->usage = 1;
            cli_usage_error(c->a->cmd, "the Language \"%s\" in the header of %s is not a "
                                       "language code: give the target language with -t LANG "
                                       "(e.g. -t de-DE)",
                            h->language, c->a->input);
            return TMK_EINVAL;
        }
    }
    tmk_tmx_header th;
    memset(&th, 0, sizeof th);
    th.creationdate = -1;
    th.srclang = c->a->src;
    tmk_tmx_write_options wo = TMK_TMX_WRITE_OPTIONS_INIT;
    wo.creation_time = cli_creation_time();
    wo.flags = TMK_TMX_VERBATIM;
    wo.file = c->out;
    int rc = tmk_tmx_writer_new(&c->w, &wo, &th, NULL, on_warning, c, &c->err);
    if (rc == TMK_EIO)
        tmk_error_set_file(&c->err, c->a->output);
    return rc;
}

static int on_entry(void *ud, const tmk_po_entry *e)
{
    po_conv *c = ud;
    if (!c->w) {
        int rc = open_writer(c);
        if (rc < 0)
            return rc;
    }
    if (!e->msgid_len) {
        c->blank++;
        return 0;
    }
    if ((e->flags & TMK_PO_FUZZY) && !c->a->include_fuzzy) {
        c->fuzzy++;
        return 0;
    }
    if (!e->nmsgstr || !e->msgstr_len[0]) {
        c->untranslated++;
        return 0;
    }
    tmk_tmx_prop props[2];
    size_t np = 0;
    if (e->msgctxt)
        props[np++] = (tmk_tmx_prop){.type = "x-po-msgctxt", .value = e->msgctxt};
    if (e->flags & TMK_PO_FUZZY)
        props[np++] = (tmk_tmx_prop){.type = "x-po-fuzzy", .value = "yes"};
    tmk_tmx_tuv tuvs[2] = {
        {.lang = c->a->src, .seg = e->msgid, .seg_len = e->msgid_len},
        {.lang = c->tgt, .seg = e->msgstr[0], .seg_len = e->msgstr_len[0]},
    };
    tmk_tmx_tu tu = {.props = props, .nprops = np, .tuvs = tuvs, .ntuvs = 2};
    c->line = e->line;
    int rc = tmk_tmx_writer_add(c->w, &tu, &c->err);
    if (rc < 0) {
        if (rc == TMK_EIO)
            tmk_error_set_file(&c->err, c->a->output);
        return rc;
    }
    c->written++;
    return 0;
}

int po_cli_convert(const po_cli_args *a)
{
    po_conv c;
    memset(&c, 0, sizeof c);
    c.a = a;
    int ex = TMK_EXIT_OK;
    FILE *in = strcmp(a->input, "-") ? fopen(a->input, "rb") : stdin;
    if (!in) {
        cli_errorf("%s: cannot open the file: %s", a->input, strerror(errno));
        return TMK_EXIT_IO;
    }
    tmk_error oerr = TMK_ERROR_INIT;
    tmk_error_set_file(&oerr, a->output);
    cli_outfile *of = cli_outfile_open(a->output, &oerr);
    if (!of) {
        if (in != stdin)
            fclose(in);
        return cli_report(&oerr);
    }
    c.out = cli_outfile_stream(of);
    tmk_po_options o = TMK_PO_OPTIONS_INIT;
    o.name = a->input;
    int rc = tmk_po_reader_new(&c.r, &o, on_entry, &c, &c.err);
    const char *head;
    size_t nhead;
    xliffcli_stdin_head(&head, &nhead);
    if (rc == TMK_OK && in == stdin && nhead) /* what recognising it read */
        rc = tmk_po_reader_feed(c.r, head, nhead, &c.err);
    static char buf[1 << 16];
    while (rc == TMK_OK) {
        size_t got = fread(buf, 1, sizeof buf, in);
        if (got && (rc = tmk_po_reader_feed(c.r, buf, got, &c.err)) < 0)
            break;
        if (got < sizeof buf && ferror(in)) {
            rc = tmk_error_set(&c.err, TMK_EIO, 0, 0, "cannot read the file: %s",
                               strerror(errno));
            tmk_error_set_file(&c.err, a->input);
            break;
        }
        if (got < sizeof buf) {
            rc = tmk_po_reader_finish(c.r, &c.err);
            break;
        }
    }
    if (rc == TMK_OK && !c.w)
        rc = open_writer(&c); /* a header and no entries */
    if (rc == TMK_OK)
        rc = tmk_tmx_writer_finish(c.w, &c.err);
    if (c.usage)
        ex = TMK_EXIT_USAGE;
    else if (rc < 0) {
        if (!c.err.file[0])
            tmk_error_set_file(&c.err, rc == TMK_EIO ? a->output : a->input);
        ex = cli_report(&c.err);
    }
    tmk_tmx_writer_free(c.w);
    if (ex == TMK_EXIT_OK) {
        if (cli_outfile_commit(of, &oerr) < 0)
            ex = cli_report(&oerr);
    } else {
        cli_outfile_abort(of);
    }
    if (ex == TMK_EXIT_OK && !a->quiet) {
        fprintf(stderr, "tmkit: %s: %lu unit(s) written (%s to %s)", a->input, c.written,
                a->src, c.tgt);
        if (c.untranslated)
            fprintf(stderr, ", %lu untranslated", c.untranslated);
        if (c.fuzzy)
            fprintf(stderr, ", %lu fuzzy (--include-fuzzy takes them)", c.fuzzy);
        if (tmk_po_reader_obsolete(c.r))
            fprintf(stderr, ", %lu obsolete", tmk_po_reader_obsolete(c.r));
        if (c.untranslated || c.fuzzy || tmk_po_reader_obsolete(c.r))
            fputs(" left out", stderr);
        fputc('\n', stderr);
    }
    tmk_po_reader_free(c.r);
    free(c.tgt);
    if (in != stdin)
        fclose(in);
    return ex;
}
