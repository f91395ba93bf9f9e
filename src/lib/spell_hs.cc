// spell_hs.cc -- every call of libhunspell goes through here.
//
// libhunspell is C++ behind its C interface: when memory runs out it throws
// std::bad_alloc, and an exception that reaches C code ends the process
// ("terminate called ...", SIGABRT, temporary files left behind).  These
// wrappers catch everything: std::bad_alloc becomes TMK_ENOMEM, any other
// exception TMK_EINVAL, so that the library can report an error as it does
// for its own allocations.  A handle that threw may be in an inconsistent
// state: the caller stops using it (except to destroy it).
#include <config.h>
#include <new>
#include <hunspell.h>
#include "spell_int.h"

extern "C" {

int tmk__hs_create(const char *aff, const char *dic, Hunhandle **out)
{
    *out = nullptr;
    try {
        *out = Hunspell_create(aff, dic);
        return *out ? TMK_OK : TMK_ENOMEM;
    } catch (const std::bad_alloc &) {
        return TMK_ENOMEM;
    } catch (...) {
        return TMK_EINVAL;
    }
}

void tmk__hs_destroy(Hunhandle *h)
{
    try {
        Hunspell_destroy(h);
    } catch (...) {
        // nothing more can be done with it
    }
}

const char *tmk__hs_encoding(Hunhandle *h)
{
    try {
        return Hunspell_get_dic_encoding(h);
    } catch (...) {
        return nullptr;
    }
}

int tmk__hs_add(Hunhandle *h, const char *word, const char *model)
{
    try {
        if (model)
            Hunspell_add_with_affix(h, word, model);
        else
            Hunspell_add(h, word);
        return TMK_OK;
    } catch (const std::bad_alloc &) {
        return TMK_ENOMEM;
    } catch (...) {
        return TMK_EINVAL;
    }
}

int tmk__hs_spell(Hunhandle *h, const char *word)
{
    try {
        return Hunspell_spell(h, word) != 0;
    } catch (const std::bad_alloc &) {
        return TMK_ENOMEM;
    } catch (...) {
        return TMK_EINVAL;
    }
}

int tmk__hs_suggest(Hunhandle *h, char ***list, const char *word)
{
    *list = nullptr;
    try {
        return Hunspell_suggest(h, list, word);
    } catch (const std::bad_alloc &) {
        *list = nullptr; // whatever was allocated is lost: out of memory anyway
        return TMK_ENOMEM;
    } catch (...) {
        *list = nullptr;
        return TMK_EINVAL;
    }
}

int tmk__hs_stem(Hunhandle *h, char ***list, const char *word)
{
    *list = nullptr;
    try {
        return Hunspell_stem(h, list, word);
    } catch (const std::bad_alloc &) {
        *list = nullptr;
        return TMK_ENOMEM;
    } catch (...) {
        *list = nullptr;
        return TMK_EINVAL;
    }
}

void tmk__hs_free_list(Hunhandle *h, char ***list, int n)
{
    try {
        Hunspell_free_list(h, list, n);
    } catch (...) {
    }
}

} // extern "C"
