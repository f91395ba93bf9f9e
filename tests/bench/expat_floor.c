/* expat_floor.c FILE MODE -- the floor under any expat-based TMX reader:
 * expat parsing FILE with (MODE 0) no handlers, (1) empty element handlers,
 * (2) also an empty character-data handler.  Reads straight into expat's
 * buffer (XML_GetBuffer).  Used by bench_tmx_cg.sh. */
#include <expat.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned long n;
static void XMLCALL on_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    (void)u; (void)name; (void)atts;
    n++;
}
static void XMLCALL on_end(void *u, const XML_Char *name) { (void)u; (void)name; }
static void XMLCALL on_text(void *u, const XML_Char *s, int len)
{
    (void)u; (void)s;
    n += (unsigned long)len;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int mode = atoi(argv[2]);
    int fd = open(argv[1], O_RDONLY);
    XML_Parser p = XML_ParserCreate(NULL);
    if (fd < 0 || !p)
        return 1;
    if (mode >= 1)
        XML_SetElementHandler(p, on_start, on_end);
    if (mode >= 2)
        XML_SetCharacterDataHandler(p, on_text);
    for (;;) {
        void *b = XML_GetBuffer(p, 1 << 18);
        ssize_t r = b ? read(fd, b, 1 << 18) : -1;
        if (r < 0 || XML_ParseBuffer(p, (int)r, r == 0) != XML_STATUS_OK) {
            fprintf(stderr, "expat_floor: %s\n", XML_ErrorString(XML_GetErrorCode(p)));
            return 1;
        }
        if (r == 0)
            break;
    }
    printf("%lu\n", n);
    XML_ParserFree(p);
    close(fd);
    return 0;
}
