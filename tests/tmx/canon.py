#!/usr/bin/env python3
"""canon.py FILE.tmx -- print a canonical form of a TMX memory's content, to
compare a file with tmkit's rewrite of it independently of tmkit's reader:
header srclang, props and notes; per unit its attributes (sorted), props,
notes and tuvs (language lower-cased, attributes, props, notes, the <seg>
content with inline markup, attributes sorted).  Language attributes lang and
xml:lang count as one; notes and props in document order (interleaved as
written); the header's <ude> elements with their <map>s.  Comments,
indentation and header tool fields do not count (they are not content)."""
import sys
import xml.etree.ElementTree as ET

XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'


def lang(el):
    v = el.get(XML_LANG, el.get('lang'))
    return v.lower().replace('_', '-') if v is not None else None


def esc(s):
    return (s or '').replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def inline(el):
    out = [esc(el.text)]
    for c in el:
        attrs = ''.join(' %s="%s"' % (k, esc(v)) for k, v in sorted(c.attrib.items()))
        out.append('<%s%s>%s</%s>' % (c.tag, attrs, inline(c), c.tag))
        out.append(esc(c.tail))
    return ''.join(out)


def extras(el, out, indent):
    # notes and props in document order
    for c in el:
        if c.tag == 'note':
            out.append('%snote %r %r' % (indent, lang(c), c.text or ''))
        elif c.tag == 'prop':
            out.append('%sprop %r %r %r' % (indent, c.get('type', ''), lang(c), c.text or ''))


def attrs(el, skip):
    return sorted((k, v) for k, v in el.attrib.items()
                  if k not in skip and k != XML_LANG and k != 'lang')


def main(path):
    root = ET.parse(path).getroot()
    out = []
    h = root.find('header')
    if h is not None:
        s = h.get('srclang')
        out.append('srclang %r' % (s.lower() if s else None))
        extras(h, out, '  ')
        for u in h.findall('ude'):
            out.append('  ude %r' % (sorted(u.attrib.items()),))
            for m in u.findall('map'):
                out.append('    map %r' % (sorted(m.attrib.items()),))
    for tu in root.iter('tu'):
        out.append('tu %r' % (attrs(tu, ()),))
        extras(tu, out, '  ')
        for tuv in tu.findall('tuv'):
            out.append('  tuv %r %r' % (lang(tuv), attrs(tuv, ())))
            extras(tuv, out, '    ')
            seg = tuv.find('seg')
            out.append('    seg %r' % (inline(seg) if seg is not None else None))
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main(sys.argv[1])
