#!/usr/bin/env python3
"""tests/abi/ctypes.py -- libtmkit embedded from Python (standard library
only): loads the built shared library through ctypes and builds a
translation memory from two strings, a German and an English paragraph,
through the public API (decode, segment, align, write TMX), then checks the
TMX it got and tmk_version().  Prints TAP (make check runs it).

The library is $top_builddir/src/lib/.libs/libtmkit.so (or the path given as
the first argument); a build without shared libraries (--disable-shared, as
the sanitizer build) has none: the test is then skipped with that reason.
The README's "Embedding libtmkit" shows the same code (build_memory below).
"""
import os
import sys
# this file is named ctypes.py: its folder must not hide the ctypes module
sys.path = [p for p in sys.path
            if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
import ctypes  # noqa: E402
import tempfile
import xml.etree.ElementTree as ET

# ---- the README example starts here ----------------------------------------
from ctypes import (CFUNCTYPE, POINTER, Structure, byref, c_char, c_char_p, c_double,
                    c_int, c_size_t, c_ulong, c_void_p)


class Error(Structure):  # tmk_error (tmkit/error.h)
    _fields_ = [("code", c_int), ("file", c_char * 1024), ("line", c_ulong), ("col", c_ulong),
                ("msg", c_char * 512), ("detail", c_int)]


class Buf(Structure):  # tmk_buf (tmkit/buf.h)
    _fields_ = [("data", c_void_p), ("len", c_size_t), ("cap", c_size_t)]


class Segment(Structure):  # tmk_segment (tmkit/segment.h)
    _fields_ = [("text", c_void_p), ("len", c_size_t), ("line", c_ulong), ("col", c_ulong),
                ("offset", c_size_t), ("para", c_ulong)]


class Text(Structure):  # tmk_align_text (tmkit/align.h)
    _fields_ = [("s", c_char_p), ("len", c_size_t)]


class Bead(Structure):  # tmk_align_bead
    _fields_ = [("src", c_size_t), ("nsrc", c_size_t), ("tgt", c_size_t), ("ntgt", c_size_t),
                ("score", c_double)]


class AlignOptions(Structure):  # tmk_align_options: its first members (the size says so)
    _fields_ = [("size", c_size_t), ("src_lang", c_char_p), ("tgt_lang", c_char_p), ("dicts", c_void_p),
                ("ndicts", c_size_t), ("flags", ctypes.c_uint), ("on_dict", c_void_p),
                ("ud", c_void_p), ("src_para", c_void_p), ("tgt_para", c_void_p),
                ("src_stemmer", c_void_p), ("tgt_stemmer", c_void_p)]


class Tuv(Structure):  # tmk_tmx_tuv (tmkit/tmx.h)
    _fields_ = [("lang", c_char_p), ("seg", c_char_p), ("seg_len", c_size_t), ("markup", c_int),
                ("props", c_void_p), ("nprops", c_size_t), ("notes", c_void_p),
                ("nnotes", c_size_t), ("attrs", c_void_p), ("nattrs", c_size_t),
                ("order", c_char_p)]


class Tu(Structure):  # tmk_tmx_tu
    _fields_ = [("tuid", c_char_p), ("attrs", c_void_p), ("nattrs", c_size_t),
                ("props", c_void_p), ("nprops", c_size_t), ("notes", c_void_p),
                ("nnotes", c_size_t), ("tuvs", POINTER(Tuv)), ("ntuvs", c_size_t),
                ("order", c_char_p)]


class Header(Structure):  # tmk_tmx_header
    _fields_ = [("srclang", c_char_p), ("adminlang", c_char_p), ("segtype", c_char_p),
                ("datatype", c_char_p), ("o_tmf", c_char_p), ("creationtool", c_char_p),
                ("creationtoolversion", c_char_p), ("creationdate", ctypes.c_longlong),
                ("props", c_void_p), ("nprops", c_size_t), ("notes", c_void_p),
                ("nnotes", c_size_t), ("attrs", c_void_p), ("nattrs", c_size_t),
                ("order", c_char_p), ("ude_xml", c_char_p), ("ude_len", c_size_t)]


SEGMENT_CB = CFUNCTYPE(c_int, c_void_p, POINTER(Segment))
TMX_SINK = CFUNCTYPE(c_int, c_void_p, POINTER(c_char), c_size_t)  # tmk_tmx_sink
TMK_ALIGN_NO_DICT = 1


def check(lib, rc, err):
    if rc < 0:
        raise RuntimeError("libtmkit: %s (code %d)" % (err.msg.decode(), rc))


def segments(lib, text, lang):
    """Decode text (bytes, any encoding with a BOM, else UTF-8) and split it
    into sentences by the built-in SRX rules of lang."""
    err = Error()
    dec = c_void_p()
    check(lib, lib.tmk_decoder_new(byref(dec), None, b"text", byref(err)), err)
    utf8 = Buf()
    lib.tmk_buf_init(byref(utf8))
    try:
        check(lib, lib.tmk_decoder_feed(dec, text, len(text), byref(utf8), byref(err)), err)
        check(lib, lib.tmk_decoder_finish(dec, byref(utf8), byref(err)), err)
        seg = c_void_p()
        check(lib, lib.tmk_segmenter_new(byref(seg), lang, None, byref(err)), err)
        out = []
        cb = SEGMENT_CB(lambda ud, s: out.append(ctypes.string_at(s[0].text, s[0].len)) or 0)
        data = ctypes.string_at(utf8.data, utf8.len)
        check(lib, lib.tmk_segmenter_feed(seg, data, len(data), cb, None, byref(err)), err)
        check(lib, lib.tmk_segmenter_finish(seg, cb, None, byref(err)), err)
        lib.tmk_segmenter_free(seg)
        return out
    finally:
        lib.tmk_buf_release(byref(utf8))
        lib.tmk_decoder_free(dec)


def build_memory(lib, src, src_lang, tgt, tgt_lang, path):
    """Write the TMX memory of two parallel texts (bytes) to path."""
    s, t = segments(lib, src, src_lang), segments(lib, tgt, tgt_lang)
    err = Error()
    st = (Text * len(s))(*[Text(x, len(x)) for x in s])
    tt = (Text * len(t))(*[Text(x, len(x)) for x in t])
    opt = AlignOptions(size=ctypes.sizeof(AlignOptions), src_lang=src_lang, tgt_lang=tgt_lang,
                       flags=TMK_ALIGN_NO_DICT)
    beads, nbeads = POINTER(Bead)(), c_size_t()
    check(lib, lib.tmk_align_run(st, len(s), tt, len(t), byref(opt), byref(beads), byref(nbeads),
                             byref(err)), err)
    # the writer gives its bytes to a sink: here a Python list, written out at the end
    chunks = []
    sink = TMX_SINK(lambda ud, data, n: chunks.append(ctypes.string_at(data, n)) or 0)
    w = c_void_p()
    check(lib, lib.tmk_tmx_writer_new(byref(w), None,
                                      byref(Header(srclang=src_lang, creationdate=0)),
                                      sink, None, None, byref(err)), err)
    for b in beads[:nbeads.value]:
        a = b" ".join(s[b.src:b.src + b.nsrc])
        z = b" ".join(t[b.tgt:b.tgt + b.ntgt])
        tuvs = (Tuv * 2)(Tuv(lang=src_lang, seg=a, seg_len=len(a)),
                         Tuv(lang=tgt_lang, seg=z, seg_len=len(z)))
        check(lib, lib.tmk_tmx_writer_add(w, byref(Tu(tuvs=tuvs, ntuvs=2)), byref(err)), err)
    rc = lib.tmk_tmx_writer_finish(w, byref(err))
    lib.tmk_tmx_writer_free(w)
    lib.tmk_free(beads)
    check(lib, rc, err)
    with open(path, "wb") as f:
        f.write(b"".join(chunks))


def load(path):
    lib = ctypes.CDLL(path)
    lib.tmk_decoder_new.argtypes = [c_void_p, c_char_p, c_char_p, c_void_p]
    lib.tmk_decoder_feed.argtypes = [c_void_p, c_char_p, c_size_t, c_void_p, c_void_p]
    lib.tmk_decoder_finish.argtypes = [c_void_p, c_void_p, c_void_p]
    lib.tmk_decoder_free.argtypes = [c_void_p]
    lib.tmk_segmenter_new.argtypes = [c_void_p, c_char_p, c_char_p, c_void_p]
    lib.tmk_segmenter_feed.argtypes = [c_void_p, c_char_p, c_size_t, SEGMENT_CB, c_void_p,
                                       c_void_p]
    lib.tmk_segmenter_finish.argtypes = [c_void_p, SEGMENT_CB, c_void_p, c_void_p]
    lib.tmk_segmenter_free.argtypes = [c_void_p]
    lib.tmk_align_run.argtypes = [c_void_p, c_size_t, c_void_p, c_size_t, c_void_p, c_void_p,
                              c_void_p, c_void_p]
    lib.tmk_tmx_writer_new.argtypes = [c_void_p, c_void_p, c_void_p, TMX_SINK, c_void_p,
                                       c_void_p, c_void_p]
    lib.tmk_tmx_writer_add.argtypes = [c_void_p, c_void_p, c_void_p]
    lib.tmk_tmx_writer_finish.argtypes = [c_void_p, c_void_p]
    lib.tmk_tmx_writer_free.argtypes = [c_void_p]
    lib.tmk_free.argtypes = [c_void_p]
    lib.tmk_version.restype = c_char_p
    return lib
# ---- the README example ends here ------------------------------------------


DE = ("Die Katze schläft auf dem Sofa. Der Hund bellt im Garten! "
      "Wann kommt der Zug in Berlin an?").encode()
EN = ("The cat is sleeping on the sofa. The dog is barking in the garden! "
      "When does the train arrive in Berlin?").encode()

n = 0


def tap(ok, what):
    global n
    n += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", n, what))
    return ok


def main():
    so = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.environ.get("top_builddir", "."), "src", "lib", ".libs", "libtmkit.so")
    if not os.path.exists(so):
        print("ok 1 # SKIP optional: no shared library %s (built with --disable-shared, as the "
              "sanitizer build is): nothing for ctypes to load" % so)
        print("1..1")
        return 0
    lib = load(so)
    v = lib.tmk_version().decode()
    parts = v.split(".")
    tap(len(parts) == 3 and all(p.isdigit() for p in parts)
        and lib.tmk_version_number() == int(parts[0]) * 10000 + int(parts[1]) * 100 + int(parts[2]),
        "tmk_version() is MAJOR.MINOR.PATCH (%s) and agrees with tmk_version_number()" % v)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "memory.tmx")
        try:
            build_memory(lib, DE, b"de-DE", EN, b"en-US", path)
            built = True
        except RuntimeError as e:
            built = False
            tap(False, "building the memory: %s" % e)
        if built:
            tap(True, "a memory built through decode, segment, align and the TMX writer")
            root = ET.parse(path).getroot()
            header = root.find("header")
            tap(root.tag == "tmx" and root.get("version") == "1.4" and header is not None
                and header.get("srclang") == "de-DE", "the TMX is well-formed 1.4, srclang de-DE")
            units = []
            for tu in root.iter("tu"):
                pair = {}
                for tuv in tu.findall("tuv"):
                    lang = tuv.get("{http://www.w3.org/XML/1998/namespace}lang")
                    pair[lang] = "".join(tuv.find("seg").itertext())
                units.append(pair)
            want = [
                {"de-DE": "Die Katze schläft auf dem Sofa.", "en-US": "The cat is sleeping on the sofa."},
                {"de-DE": "Der Hund bellt im Garten!", "en-US": "The dog is barking in the garden!"},
                {"de-DE": "Wann kommt der Zug in Berlin an?",
                 "en-US": "When does the train arrive in Berlin?"},
            ]
            if not tap(units == want, "three units, each German sentence with its English one"):
                print("# got: %r" % units)
    # the README shows this file's build code: the two must not drift apart
    readme = os.path.join(os.environ.get("top_srcdir", os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..", "..")), "README.md")
    me = open(os.path.abspath(__file__), encoding="utf-8").read()
    core = me[me.index("def segments(lib"):me.index("def load(path)")].rstrip()
    tap(core in open(readme, encoding="utf-8").read(),
        "README's Python example (Embedding libtmkit) is this test's segments() and build_memory()")
    print("1..%d" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
