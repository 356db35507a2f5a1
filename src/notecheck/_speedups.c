/* notecheck._speedups: the loops of a check that run over every transcript word.
 *
 * Each function has a pure-Python reference in notecheck.quotematch, used when this module is
 * not built (hatch_build.py compiles it when a C compiler is there); tests/test_speedups.py
 * holds them equal.
 *
 * split_clean(text, clean) is quotematch._split_clean_py: the words of ``text`` (runs of
 * non-whitespace, as str.split()), with clean verbatim's drops when ``clean`` (every "you
 * know", then every "i mean", then the filler words, then a word repeated at once; the "\0"
 * word between passages is never dropped), joined by single blanks and cut at the "\0" words:
 * one string per passage. Python builds the same list from str.split, list passes and
 * str.join, ~30 ns a word in all; this is one pass over the characters and one over the words.
 * A word that holds "\0" without being "\0" raises ValueError: the caller never passes one
 * (it checks) and the reference would cut such a word in two.
 *
 * word_passages(pieces, words) is quotematch._word_passages_py: for each of the distinct
 * ``words``, the indexes of the ``pieces`` (words separated by blanks) that hold it. One pass
 * over the pieces' words with a small hash table of ``words``, where Python needed a set of
 * every piece's words (a str object and a hash a word) or a substring search per word.
 *
 * find_joined(stream, needle, limit) is quotematch._find_joined_py: where ``needle`` (words
 * written together: "deepmind", "gpt5") reads in the stream once its blanks and apostrophes
 * are left out, starting and ending on whole words. One pass over the word starts, where
 * Python built the joined text and a table of where each word begins in it.
 *
 * ascii_tokens(text, clean, annotations) is quotematch.tokens for ASCII text: the words with
 * their spans in the text (what a message or a fix shows of a passage), where Python made a
 * match object a word and then a second pass for clean verbatim.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    Py_ssize_t start;
    Py_ssize_t len;
} Word;

static const char *const FILLERS[] = {"um", "umm", "ummm", "uh", "uhh", "uhhh", "uhm",
                                      "er", "err", "erm", "hm", "hmm", "hmmm", NULL};

/* is word ``w`` the ASCII string ``s`` (of length ``n``)? The first character is compared
   first: most words differ there */
static inline int
word_is(int kind, const void *data, Word w, const char *s, Py_ssize_t n)
{
    if (w.len != n || PyUnicode_READ(kind, data, w.start) != (Py_UCS4)(unsigned char)s[0])
        return 0;
    for (Py_ssize_t k = 1; k < n; k++) {
        if (PyUnicode_READ(kind, data, w.start + k) != (Py_UCS4)(unsigned char)s[k])
            return 0;
    }
    return 1;
}

static inline int
is_nul(int kind, const void *data, Word w)
{
    return w.len == 1 && PyUnicode_READ(kind, data, w.start) == 0;
}

static int
is_filler(int kind, const void *data, Word w)
{
    if (w.len < 2 || w.len > 4)
        return 0;
    Py_UCS4 first = PyUnicode_READ(kind, data, w.start);
    if (first != 'u' && first != 'e' && first != 'h')
        return 0;
    for (const char *const *f = FILLERS; *f != NULL; f++) {
        if (word_is(kind, data, w, *f, (Py_ssize_t)strlen(*f)))
            return 1;
    }
    return 0;
}

static inline int
same_word(int kind, const void *data, Word a, Word b)
{
    return a.len == b.len &&
           memcmp((const char *)data + a.start * kind, (const char *)data + b.start * kind,
                  (size_t)(a.len * kind)) == 0;
}

/* drop every ``first`` directly followed by ``second`` (two different words: no overlap) */
static Py_ssize_t
drop_pairs(int kind, const void *data, Word *w, Py_ssize_t n, const char *first, const char *second)
{
    Py_ssize_t first_len = (Py_ssize_t)strlen(first), second_len = (Py_ssize_t)strlen(second);
    Py_ssize_t out = 0, i = 0;
    while (i < n) {
        if (i + 1 < n && word_is(kind, data, w[i], first, first_len) &&
            word_is(kind, data, w[i + 1], second, second_len)) {
            i += 2;
            continue;
        }
        w[out++] = w[i++];
    }
    return out;
}

static PyObject *
make_piece(int kind, const void *data, Word *w, Py_ssize_t n, Py_UCS4 maxchar_in)
{
    Py_ssize_t length = n > 0 ? n - 1 : 0;
    Py_UCS4 maxchar = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        length += w[i].len;
        if (maxchar_in > 127) {
            for (Py_ssize_t k = 0; k < w[i].len; k++) {
                Py_UCS4 ch = PyUnicode_READ(kind, data, w[i].start + k);
                if (ch > maxchar)
                    maxchar = ch;
            }
        }
    }
    if (maxchar_in <= 127)
        maxchar = 127;
    PyObject *piece = PyUnicode_New(length, maxchar);  /* the true maxchar: a canonical str */
    if (piece == NULL)
        return NULL;
    int out_kind = PyUnicode_KIND(piece);
    void *out = PyUnicode_DATA(piece);
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i) {
            PyUnicode_WRITE(out_kind, out, at, ' ');
            at++;
        }
        if (out_kind == kind) {
            memcpy((char *)out + at * kind, (const char *)data + w[i].start * kind, (size_t)(w[i].len * kind));
        }
        else {
            for (Py_ssize_t k = 0; k < w[i].len; k++)
                PyUnicode_WRITE(out_kind, out, at + k, PyUnicode_READ(kind, data, w[i].start + k));
        }
        at += w[i].len;
    }
    return piece;
}

/* append a word to the growing array (by half when full); on failure free it and return -1 */
static int
push_word(Word **w, Py_ssize_t *n, Py_ssize_t *cap, Py_ssize_t start, Py_ssize_t len)
{
    if (*n == *cap) {
        Word *bigger = NULL;
        if (*cap < PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(Word) / 2)
            bigger = PyMem_Realloc(*w, sizeof(Word) * (size_t)(*cap + *cap / 2));
        if (bigger == NULL) {
            PyMem_Free(*w);
            *w = NULL;
            return -1;
        }
        *w = bigger;
        *cap += *cap / 2;
    }
    (*w)[*n].start = start;
    (*w)[*n].len = len;
    (*n)++;
    return 0;
}

static PyObject *
split_clean(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text;
    int clean;
    if (!PyArg_ParseTuple(args, "Up:split_clean", &text, &clean))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    Py_UCS4 maxchar = PyUnicode_MAX_CHAR_VALUE(text);

    /* words are ~6 characters with their blank: start there, grow by half when full */
    Py_ssize_t cap = size / 6 + 16, n = 0;
    Word *w = PyMem_Malloc(sizeof(Word) * (size_t)cap);
    if (w == NULL)
        return PyErr_NoMemory();
    Py_ssize_t i = 0;
    if (kind == PyUnicode_1BYTE_KIND) {  /* the usual case, without a kind switch a character */
        const Py_UCS1 *chars = data;
        while (i < size) {
            while (i < size && Py_UNICODE_ISSPACE(chars[i]))
                i++;
            if (i >= size)
                break;
            Py_ssize_t start = i;
            while (i < size && !Py_UNICODE_ISSPACE(chars[i]))
                i++;
            if (i - start != 1 && memchr(chars + start, 0, (size_t)(i - start)) != NULL) {
                PyMem_Free(w);
                PyErr_SetString(PyExc_ValueError, "a word holds a NUL character");
                return NULL;
            }
            if (push_word(&w, &n, &cap, start, i - start) < 0)
                return PyErr_NoMemory();  /* push_word freed w */
        }
    }
    while (i < size) {
        while (i < size && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
            i++;
        if (i >= size)
            break;
        Py_ssize_t start = i;
        int has_nul = 0;
        while (i < size) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (Py_UNICODE_ISSPACE(ch))
                break;
            if (ch == 0)
                has_nul = 1;
            i++;
        }
        if (has_nul && i - start != 1) {
            PyMem_Free(w);
            PyErr_SetString(PyExc_ValueError, "a word holds a NUL character");
            return NULL;
        }
        if (push_word(&w, &n, &cap, start, i - start) < 0)
            return PyErr_NoMemory();  /* push_word freed w */
    }
    if (clean) {
        n = drop_pairs(kind, data, w, n, "you", "know");
        n = drop_pairs(kind, data, w, n, "i", "mean");
        Py_ssize_t out = 0;
        for (Py_ssize_t j = 0; j < n; j++) {
            if (!is_filler(kind, data, w[j]))
                w[out++] = w[j];
        }
        n = out;
        /* a word repeated at once is kept once: compared with the word before it in this list
           (w[j - 1] is not overwritten yet: out <= j); the "\0" between passages always stays */
        out = 0;
        for (Py_ssize_t j = 0; j < n; j++) {
            if (j == 0 || is_nul(kind, data, w[j]) || !same_word(kind, data, w[j], w[j - 1]))
                w[out++] = w[j];
        }
        n = out;
    }
    PyObject *pieces = PyList_New(0);
    if (pieces == NULL) {
        PyMem_Free(w);
        return NULL;
    }
    Py_ssize_t begin = 0;
    for (Py_ssize_t j = 0; j <= n; j++) {
        if (j == n || is_nul(kind, data, w[j])) {
            PyObject *piece = make_piece(kind, data, w + begin, j - begin, maxchar);
            if (piece == NULL || PyList_Append(pieces, piece) < 0) {
                Py_XDECREF(piece);
                Py_DECREF(pieces);
                PyMem_Free(w);
                return NULL;
            }
            Py_DECREF(piece);
            begin = j + 1;
        }
    }
    PyMem_Free(w);
    return pieces;
}


/* ---------------------------------------------------------------- word_passages */

/* FNV-1a over code points: the same value for a word whatever the kind of the str holding it */
static inline uint64_t
hash_step(uint64_t h, Py_UCS4 ch)
{
    return (h ^ (uint64_t)ch) * 1099511628211ULL;
}

#define HASH_START 14695981039346656037ULL

static int
same_text(PyObject *word, int kind, const void *data, Py_ssize_t start, Py_ssize_t len)
{
    if (PyUnicode_GET_LENGTH(word) != len)
        return 0;
    int wkind = PyUnicode_KIND(word);
    const void *wdata = PyUnicode_DATA(word);
    for (Py_ssize_t k = 0; k < len; k++) {
        if (PyUnicode_READ(wkind, wdata, k) != PyUnicode_READ(kind, data, start + k))
            return 0;
    }
    return 1;
}

static PyObject *
word_passages(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *pieces, *words;
    if (!PyArg_ParseTuple(args, "O!O!:word_passages", &PyList_Type, &pieces, &PyList_Type, &words))
        return NULL;
    Py_ssize_t nwords = PyList_GET_SIZE(words), npieces = PyList_GET_SIZE(pieces);
    Py_ssize_t size = 8;
    while (size < 4 * nwords)
        size *= 2;
    Py_ssize_t *table = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)size);  /* index into words, or -1 */
    uint64_t *hashes = PyMem_Malloc(sizeof(uint64_t) * (size_t)(nwords + 1));
    Py_ssize_t *last = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(nwords + 1));  /* last passage added */
    PyObject *out = PyList_New(nwords);
    if (table == NULL || hashes == NULL || last == NULL || out == NULL)
        goto fail;
    for (Py_ssize_t t = 0; t < size; t++)
        table[t] = -1;
    for (Py_ssize_t j = 0; j < nwords; j++) {
        PyObject *word = PyList_GET_ITEM(words, j);
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "words must be str");
            goto fail;
        }
        int kind = PyUnicode_KIND(word);
        const void *data = PyUnicode_DATA(word);
        Py_ssize_t len = PyUnicode_GET_LENGTH(word);
        uint64_t h = HASH_START;
        for (Py_ssize_t k = 0; k < len; k++)
            h = hash_step(h, PyUnicode_READ(kind, data, k));
        hashes[j] = h;
        last[j] = -1;
        PyObject *hits = PyList_New(0);
        if (hits == NULL)
            goto fail;
        PyList_SET_ITEM(out, j, hits);
        Py_ssize_t t = (Py_ssize_t)(h & (uint64_t)(size - 1));
        while (table[t] >= 0) {
            Py_ssize_t other = table[t];
            if (hashes[other] == h && PyUnicode_Compare(PyList_GET_ITEM(words, other), word) == 0) {
                PyErr_SetString(PyExc_ValueError, "words must be distinct");
                goto fail;
            }
            t = (t + 1) & (size - 1);
        }
        table[t] = j;
    }
    for (Py_ssize_t p = 0; p < npieces; p++) {
        PyObject *piece = PyList_GET_ITEM(pieces, p);
        if (!PyUnicode_Check(piece)) {
            PyErr_SetString(PyExc_TypeError, "pieces must be str");
            goto fail;
        }
        int kind = PyUnicode_KIND(piece);
        const void *data = PyUnicode_DATA(piece);
        Py_ssize_t n = PyUnicode_GET_LENGTH(piece), i = 0;
        while (i < n) {
            Py_ssize_t start = i;
            uint64_t h = HASH_START;
            for (; i < n; i++) {
                Py_UCS4 ch = PyUnicode_READ(kind, data, i);
                if (ch == ' ')
                    break;
                h = hash_step(h, ch);
            }
            Py_ssize_t len = i - start;
            i++;  /* the blank */
            if (len == 0)
                continue;
            for (Py_ssize_t t = (Py_ssize_t)(h & (uint64_t)(size - 1)); table[t] >= 0; t = (t + 1) & (size - 1)) {
                Py_ssize_t j = table[t];
                if (hashes[j] == h && same_text(PyList_GET_ITEM(words, j), kind, data, start, len)) {
                    if (last[j] != p) {
                        PyObject *index = PyLong_FromSsize_t(p);
                        if (index == NULL || PyList_Append(PyList_GET_ITEM(out, j), index) < 0) {
                            Py_XDECREF(index);
                            goto fail;
                        }
                        Py_DECREF(index);
                        last[j] = p;
                    }
                    break;
                }
            }
        }
    }
    PyMem_Free(table);
    PyMem_Free(hashes);
    PyMem_Free(last);
    return out;
fail:
    PyMem_Free(table);
    PyMem_Free(hashes);
    PyMem_Free(last);
    Py_XDECREF(out);
    return NULL;
}

/* ---------------------------------------------------------------- find_joined */

static PyObject *
find_joined(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *stream, *needle;
    Py_ssize_t limit;
    if (!PyArg_ParseTuple(args, "UUn:find_joined", &stream, &needle, &limit))
        return NULL;
    int skind = PyUnicode_KIND(stream), nkind = PyUnicode_KIND(needle);
    const void *sdata = PyUnicode_DATA(stream), *ndata = PyUnicode_DATA(needle);
    Py_ssize_t n = PyUnicode_GET_LENGTH(stream), m = PyUnicode_GET_LENGTH(needle);
    PyObject *out = PyList_New(0);
    if (out == NULL || m == 0)
        return out;
    Py_UCS4 first = PyUnicode_READ(nkind, ndata, 0);
    for (Py_ssize_t start = 0; start < n && PyList_GET_SIZE(out) < limit; start++) {
        if (skind == PyUnicode_1BYTE_KIND) {  /* jump to the next place the first character is */
            if (first > 0xff)
                break;
            const Py_UCS1 *at = memchr((const Py_UCS1 *)sdata + start, (int)first, (size_t)(n - start));
            if (at == NULL)
                break;
            start = at - (const Py_UCS1 *)sdata;
        }
        /* a word begins at ``start``: the stream's first character or one after a blank */
        if (PyUnicode_READ(skind, sdata, start) != first || (start > 0 && PyUnicode_READ(skind, sdata, start - 1) != ' '))
            continue;
        Py_ssize_t k = start, j = 0;
        while (j < m && k < n) {
            Py_UCS4 ch = PyUnicode_READ(skind, sdata, k);
            if (ch == ' ' || ch == '\'') {  /* not in the joined text */
                k++;
                continue;
            }
            if (ch != PyUnicode_READ(nkind, ndata, j))
                break;
            j++;
            k++;
        }
        if (j < m)
            continue;
        /* the needle must end a word: what is left of it is apostrophes only */
        while (k < n && PyUnicode_READ(skind, sdata, k) == '\'')
            k++;
        if (k < n && PyUnicode_READ(skind, sdata, k) != ' ')
            continue;
        PyObject *span = Py_BuildValue("(nn)", start, k);
        if (span == NULL || PyList_Append(out, span) < 0) {
            Py_XDECREF(span);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(span);
    }
    return out;
}

/* ---------------------------------------------------------------- ascii_tokens */

typedef struct {
    Py_ssize_t start, end;  /* the word in the text; ``end`` stretched over a merged repeat */
    Py_ssize_t len;  /* the word's own length (its characters are at start in the folded copy) */
} Token;

static inline int
ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static inline int
token_is(const char *folded, Token t, const char *s)
{
    Py_ssize_t n = (Py_ssize_t)strlen(s);
    return t.len == n && memcmp(folded + t.start, s, (size_t)n) == 0;
}

static Py_ssize_t
drop_token_pairs(const char *folded, Token *t, Py_ssize_t n, const char *first, const char *second)
{
    Py_ssize_t out = 0, i = 0;
    while (i < n) {
        if (i + 1 < n && token_is(folded, t[i], first) && token_is(folded, t[i + 1], second)) {
            i += 2;
            continue;
        }
        t[out++] = t[i++];
    }
    return out;
}

static PyObject *
ascii_tokens(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text;
    int clean, annotations;
    if (!PyArg_ParseTuple(args, "Upp:ascii_tokens", &text, &clean, &annotations))
        return NULL;
    if (!PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_ValueError, "ascii_tokens takes ASCII text");
        return NULL;
    }
    const char *data = (const char *)PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    char *folded = PyMem_Malloc((size_t)n + 1);
    Py_ssize_t cap = n / 4 + 16, count = 0;
    Token *t = PyMem_Malloc(sizeof(Token) * (size_t)cap);
    PyObject *out = NULL;
    if (folded == NULL || t == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        char c = data[i];
        folded[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    Py_ssize_t i = 0;
    while (i < n) {
        char c = folded[i];
        if (c == '[' && annotations) {  /* [laughter]: no "[", "]" or line break inside */
            Py_ssize_t k = i + 1;
            while (k < n && folded[k] != '[' && folded[k] != ']' && folded[k] != '\n')
                k++;
            i = (k < n && folded[k] == ']') ? k + 1 : i + 1;
            continue;
        }
        if (!ascii_alnum(c)) {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        for (;;) {  /* letters and digits, joined by single apostrophes */
            while (i < n && ascii_alnum(folded[i]))
                i++;
            if (i + 1 < n && folded[i] == '\'' && ascii_alnum(folded[i + 1]))
                i++;
            else
                break;
        }
        if (count == cap) {
            Token *bigger = PyMem_Realloc(t, sizeof(Token) * (size_t)(cap * 2));
            if (bigger == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            t = bigger;
            cap *= 2;
        }
        t[count].start = start;
        t[count].end = i;
        t[count].len = i - start;
        count++;
    }
    if (clean) {
        count = drop_token_pairs(folded, t, count, "you", "know");
        count = drop_token_pairs(folded, t, count, "i", "mean");
        Py_ssize_t kept = 0;
        for (Py_ssize_t j = 0; j < count; j++) {
            Token tok = t[j];
            int filler = 0;
            for (const char *const *f = FILLERS; *f != NULL && !filler; f++)
                filler = token_is(folded, tok, *f);
            if (filler)
                continue;
            if (kept > 0 && t[kept - 1].len == tok.len &&
                memcmp(folded + t[kept - 1].start, folded + tok.start, (size_t)tok.len) == 0) {
                t[kept - 1].end = tok.end;  /* a word said again at once: one word over both */
                continue;
            }
            t[kept++] = tok;
        }
        count = kept;
    }
    out = PyList_New(count);
    if (out == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < count; j++) {
        PyObject *item = Py_BuildValue("(s#nn)", folded + t[j].start, t[j].len, t[j].start, t[j].end);
        if (item == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, j, item);
    }
done:
    PyMem_Free(folded);
    PyMem_Free(t);
    return out;
}

static PyMethodDef methods[] = {
    {"split_clean", split_clean, METH_VARARGS,
     "split_clean(text, clean) -> list[str]: the words of text, clean verbatim when clean, "
     "joined by blanks and cut at the NUL words (quotematch._split_clean_py)."},
    {"word_passages", word_passages, METH_VARARGS,
     "word_passages(pieces, words) -> list[list[int]]: for each of the distinct words, the "
     "indexes of the pieces (blank-separated words) holding it (quotematch._word_passages_py)."},
    {"find_joined", find_joined, METH_VARARGS,
     "find_joined(stream, needle, limit) -> list[tuple[int, int]]: the first ``limit`` stretches of "
     "whole words of the blank-joined stream that read ``needle`` without their blanks and "
     "apostrophes (quotematch._find_joined_py)."},
    {"ascii_tokens", ascii_tokens, METH_VARARGS,
     "ascii_tokens(text, clean, annotations) -> list[tuple[str, int, int]]: quotematch.tokens "
     "for ASCII text (its apostrophes already unified): the folded words and their spans."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "notecheck._speedups",
    "The transcript word loop of notecheck.quotematch, in C (optional: a pure-Python twin is used without it).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModule_Create(&module);
}
