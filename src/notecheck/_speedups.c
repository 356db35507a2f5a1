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
 * StreamIndex(stream, starts) hashes every word of a QuoteIndex's stream once (``starts``: where
 * each passage's words begin). Its find(words) is quotematch._find_words_py: where the
 * blank-joined ``words`` occur, found from the occurrences of their rarest word instead of a
 * substring search of the whole stream per sentence. Its word_passages(words) is
 * quotematch._word_passages_py: the passages holding each word, where Python needed a set of
 * every passage's words (a str object and a hash a word) or a substring search per word.
 *
 * find_joined(stream, needle, limit) is quotematch._find_joined_py: where ``needle`` (words
 * written together: "deepmind", "gpt5") reads in the stream once its blanks and apostrophes
 * are left out, starting and ending on whole words. One pass over the word starts, where
 * Python built the joined text and a table of where each word begins in it.
 *
 * rank_stretches(qids, rids, words, stream, pairs) is quotematch._rank_stretches_py: for each
 * stretch the closest-passage search tries, its word bound (from the longest common subsequence
 * of the quote's words and the stretch's, each word one character) and fuzz.ratio of the two
 * texts, computed as rapidfuzz does (the normalized Indel similarity, 100 * (1 - (len1 + len2 -
 * 2 lcs) / (len1 + len2))) by the bit-parallel LCS; and the stretches in the order they are
 * judged (bound, highest first; then as given). No Python call or tuple a stretch.
 *
 * split_stream(text, clean, nonascii) is quotematch._split_stream_py: split_clean's words as
 * QuoteIndex's one stream, and where each passage begins in it.
 *
 * rank_candidates(held, count, n, k) is quotematch._rank_candidates_py: the closest-passage
 * search's candidates, ranked by the rarest-weighted words they share with a sentence, near-ties
 * summed exactly (as math.fsum).
 *
 * ascii_tokens(text, clean, annotations) is quotematch.tokens for ASCII text: the words with
 * their spans in the text (what a message or a fix shows of a passage), where Python made a
 * match object a word and then a second pass for clean verbatim.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <math.h>

typedef struct {
    Py_ssize_t start;
    Py_ssize_t len;
} Word;


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
    /* quotematch._FILLER_WORDS, written out: um umm ummm uh uhh uhhh uhm, er err erm, hm hmm hmmm
       (~10% of words are 2-4 characters from u, e or h: a loop over a list compared each with all 13) */
    if (w.len < 2 || w.len > 4)
        return 0;
    Py_UCS4 c0 = PyUnicode_READ(kind, data, w.start), c1 = PyUnicode_READ(kind, data, w.start + 1);
    Py_UCS4 c2 = w.len > 2 ? PyUnicode_READ(kind, data, w.start + 2) : 0;
    Py_UCS4 c3 = w.len > 3 ? PyUnicode_READ(kind, data, w.start + 3) : 0;
    switch (c0) {
    case 'u':
        if (c1 == 'm')  /* um umm ummm */
            return w.len == 2 || (c2 == 'm' && (w.len == 3 || c3 == 'm'));
        if (c1 == 'h')  /* uh uhh uhhh uhm */
            return w.len == 2 || (c2 == 'h' && (w.len == 3 || c3 == 'h')) || (c2 == 'm' && w.len == 3);
        return 0;
    case 'e':  /* er err erm */
        return c1 == 'r' && (w.len == 2 || (w.len == 3 && (c2 == 'r' || c2 == 'm')));
    case 'h':  /* hm hmm hmmm */
        return c1 == 'm' && (w.len == 2 || (c2 == 'm' && (w.len == 3 || c3 == 'm')));
    default:
        return 0;
    }
}

/* are the ``len`` characters at ``a`` and at ``b`` of one text the same? */
static inline int
same_words(int kind, const void *data, Py_ssize_t a, Py_ssize_t b, Py_ssize_t len)
{
    return memcmp((const char *)data + a * kind, (const char *)data + b * kind, (size_t)(len * kind)) == 0;
}

static inline int
same_word(int kind, const void *data, Word a, Word b)
{
    return a.len == b.len && same_words(kind, data, a.start, b.start, a.len);
}

/* drop every ``first`` directly followed by ``second`` (two different words: no overlap) */
static Py_ssize_t
drop_pairs(int kind, const void *data, Word *w, Py_ssize_t n, const char *first, const char *second)
{
    Py_ssize_t first_len = (Py_ssize_t)strlen(first), second_len = (Py_ssize_t)strlen(second);
    Py_ssize_t i = 0;
    /* up to the first pair nothing moves: most texts hold none */
    while (i + 1 < n && !(word_is(kind, data, w[i], first, first_len) &&
                          word_is(kind, data, w[i + 1], second, second_len)))
        i++;
    Py_ssize_t out = i;
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

/* copy the words w[i], w[i + 1], ... that follow each other in the text with one blank between
   (no word dropped there: the text already reads as the copy does) to ``out`` at *at, the text
   and ``out`` of one kind; returns the index of the last word copied */
static Py_ssize_t
copy_run(int kind, const void *data, const Word *w, Py_ssize_t i, Py_ssize_t n, void *out, Py_ssize_t *at)
{
    Py_ssize_t j = i, run = w[i].len;
    while (j + 1 < n && w[j + 1].start == w[j].start + w[j].len + 1
           && PyUnicode_READ(kind, data, w[j].start + w[j].len) == ' ') {
        j++;
        run += 1 + w[j].len;
    }
    memcpy((char *)out + *at * kind, (const char *)data + w[i].start * kind, (size_t)(run * kind));
    *at += run;
    return j;
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
            i = copy_run(kind, data, w, i, n, out, &at);
            continue;
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

/* each Latin-1 character's class for split_clean's 1-byte loop: str.split()'s whitespace
   (Py_UNICODE_ISSPACE: the ASCII blanks, U+001C-U+001F, U+0085, U+00A0), the NUL, or neither;
   filled once when the module is imported */
#define LATIN1_SPACE 1
#define LATIN1_NUL 2
static unsigned char LATIN1_CLASS[256];
/* the same, with every non-ASCII character that is no letter or digit a blank too (split_stream's
   ``nonascii``: quotematch._NON_ASCII_SEPARATOR_RE, ``[^\w\x00-\x7f]``, whose \w is Py_UNICODE_ISALNUM) */
static unsigned char LATIN1_CLASS_NONASCII[256];

static void
init_latin1_class(void)
{
    for (int c = 0; c < 256; c++) {
        LATIN1_CLASS[c] = Py_UNICODE_ISSPACE((Py_UCS4)c) ? LATIN1_SPACE : (c == 0 ? LATIN1_NUL : 0);
        LATIN1_CLASS_NONASCII[c] = (c > 127 && !Py_UNICODE_ISALNUM((Py_UCS4)c)) ? LATIN1_SPACE : LATIN1_CLASS[c];
    }
}

/* a character words are split at: str.split()'s whitespace, and with ``nonascii`` a non-ASCII
   character that is no letter or digit */
static inline int
splits_words(Py_UCS4 ch, int nonascii)
{
    return Py_UNICODE_ISSPACE(ch) || (nonascii && ch > 127 && !Py_UNICODE_ISALNUM(ch));
}

/* the words of ``text`` (as str.split()), with clean verbatim's drops when ``clean``: split_clean's
   words before they are joined. Returns the array (PyMem_Malloc'd) and sets *count; NULL with an
   exception set on failure */
static Word *
clean_word_array(PyObject *text, int clean, int nonascii, Py_ssize_t *count)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);

    /* words are ~6 characters with their blank: start there, grow by half when full */
    Py_ssize_t cap = size / 6 + 16, n = 0;
    Word *w = PyMem_Malloc(sizeof(Word) * (size_t)cap);
    if (w == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    Py_ssize_t i = 0;
    if (kind == PyUnicode_1BYTE_KIND) {  /* the usual case, without a kind switch a character */
        const Py_UCS1 *chars = data;
        const unsigned char *cls = nonascii ? LATIN1_CLASS_NONASCII : LATIN1_CLASS;
        while (i < size) {
            while (i < size && cls[chars[i]] == LATIN1_SPACE)
                i++;
            if (i >= size)
                break;
            Py_ssize_t start = i;
            unsigned char seen = 0;  /* LATIN1_NUL when the word holds a NUL */
            while (i < size && cls[chars[i]] != LATIN1_SPACE)
                seen |= cls[chars[i++]];
            if (seen && i - start != 1) {
                PyMem_Free(w);
                PyErr_SetString(PyExc_ValueError, "a word holds a NUL character");
                return NULL;
            }
            if (push_word(&w, &n, &cap, start, i - start) < 0) {
                PyErr_NoMemory();  /* push_word freed w */
                return NULL;
            }
        }
    }
    while (i < size) {
        while (i < size && splits_words(PyUnicode_READ(kind, data, i), nonascii))
            i++;
        if (i >= size)
            break;
        Py_ssize_t start = i;
        int has_nul = 0;
        while (i < size) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (splits_words(ch, nonascii))
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
        if (push_word(&w, &n, &cap, start, i - start) < 0) {
            PyErr_NoMemory();  /* push_word freed w */
            return NULL;
        }
    }
    if (clean) {
        n = drop_pairs(kind, data, w, n, "you", "know");
        n = drop_pairs(kind, data, w, n, "i", "mean");
        /* the filler words dropped, and a word repeated at once kept once: compared with the word
           before it once the fillers are gone (a dropped repeat equals the word kept before it);
           the "\0" between passages always stays */
        Py_ssize_t out = 0;
        Word before = {0, -1};  /* the last word that is no filler (none yet: no length matches) */
        for (Py_ssize_t j = 0; j < n; j++) {
            Word word = w[j];
            if (is_filler(kind, data, word))
                continue;
            int repeat = before.len >= 0 && !is_nul(kind, data, word) && same_word(kind, data, word, before);
            before = word;
            if (!repeat)
                w[out++] = word;
        }
        n = out;
    }
    *count = n;
    return w;
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
    Py_UCS4 maxchar = PyUnicode_MAX_CHAR_VALUE(text);
    Py_ssize_t n;
    Word *w = clean_word_array(text, clean, 0, &n);
    if (w == NULL)
        return NULL;
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


/* split_stream(text, clean, nonascii=False) is quotematch._split_stream_py: split_clean's words
   as the one stream QuoteIndex keeps (" w1 w2 ... wn ", every word followed by a blank; two
   blanks when there is no word) and where each passage's words begin in it, without a str a
   passage and the join of them. With ``nonascii``, a non-ASCII character that is no letter or
   digit splits words as a blank does (the regex pass Python made over non-ASCII text) */
static PyObject *
split_stream(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text;
    int clean, nonascii = 0;
    if (!PyArg_ParseTuple(args, "Up|p:split_stream", &text, &clean, &nonascii))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n;
    Word *w = clean_word_array(text, clean, nonascii, &n);
    if (w == NULL)
        return NULL;
    Py_ssize_t passages = 1;
    for (Py_ssize_t j = 0; j < n; j++)
        passages += is_nul(kind, data, w[j]);
    PyObject *starts = PyList_New(passages), *stream = NULL, *start = NULL;
    if (starts == NULL)
        goto fail;
    /* the words kept in place (the NUL ones out), each passage's start noted */
    Py_ssize_t pos = 1, kept = 0, p = 0;
    int wide = PyUnicode_MAX_CHAR_VALUE(text) > 127;  /* then the stream's own widest character (a canonical str) */
    Py_UCS4 maxchar = 127;
    if ((start = PyLong_FromSsize_t(pos)) == NULL)
        goto fail;
    PyList_SET_ITEM(starts, p++, start);
    for (Py_ssize_t j = 0; j < n; j++) {
        if (is_nul(kind, data, w[j])) {
            if ((start = PyLong_FromSsize_t(pos)) == NULL)
                goto fail;
            PyList_SET_ITEM(starts, p++, start);
            continue;
        }
        if (wide) {
            for (Py_ssize_t k = 0; k < w[j].len; k++) {
                Py_UCS4 ch = PyUnicode_READ(kind, data, w[j].start + k);
                if (ch > maxchar)
                    maxchar = ch;
            }
        }
        pos += w[j].len + 1;
        w[kept++] = w[j];
    }
    stream = PyUnicode_New(kept ? pos : 2, maxchar);
    if (stream == NULL)
        goto fail;
    int out_kind = PyUnicode_KIND(stream);
    void *out = PyUnicode_DATA(stream);
    PyUnicode_WRITE(out_kind, out, 0, ' ');
    Py_ssize_t at = 1;
    for (Py_ssize_t i = 0; i < kept; i++) {
        if (out_kind == kind)
            i = copy_run(kind, data, w, i, kept, out, &at);
        else {
            for (Py_ssize_t k = 0; k < w[i].len; k++)
                PyUnicode_WRITE(out_kind, out, at + k, PyUnicode_READ(kind, data, w[i].start + k));
            at += w[i].len;
        }
        PyUnicode_WRITE(out_kind, out, at, ' ');
        at++;
    }
    if (kept == 0)
        PyUnicode_WRITE(out_kind, out, at++, ' ');
    PyMem_Free(w);
    PyObject *result = PyTuple_Pack(2, stream, starts);
    Py_DECREF(stream);
    Py_DECREF(starts);
    return result;
fail:
    PyMem_Free(w);
    Py_XDECREF(starts);
    Py_XDECREF(stream);
    return NULL;
}

/* ---------------------------------------------------------------- word_passages */

/* FNV-1a over code points: the same value for a word whatever the kind of the str holding it */
static inline uint64_t
hash_step(uint64_t h, Py_UCS4 ch)
{
    return (h ^ (uint64_t)ch) * 1099511628211ULL;
}

#define HASH_START 14695981039346656037ULL

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
    Word word;  /* the word in the folded copy (at the same offsets as in the text) */
    Py_ssize_t end;  /* where it ends in the text, stretched over a merged repeat */
} Token;

static inline int
ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* drop_pairs over tokens (the folded copy is a 1-byte text: the word tests are split_clean's) */
static Py_ssize_t
drop_token_pairs(const char *folded, Token *t, Py_ssize_t n, const char *first, const char *second)
{
    Py_ssize_t first_len = (Py_ssize_t)strlen(first), second_len = (Py_ssize_t)strlen(second);
    Py_ssize_t out = 0, i = 0;
    while (i < n) {
        if (i + 1 < n && word_is(PyUnicode_1BYTE_KIND, folded, t[i].word, first, first_len) &&
            word_is(PyUnicode_1BYTE_KIND, folded, t[i + 1].word, second, second_len)) {
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
        t[count].word.start = start;
        t[count].word.len = i - start;
        t[count].end = i;
        count++;
    }
    if (clean) {
        count = drop_token_pairs(folded, t, count, "you", "know");
        count = drop_token_pairs(folded, t, count, "i", "mean");
        Py_ssize_t kept = 0;
        for (Py_ssize_t j = 0; j < count; j++) {
            Token tok = t[j];
            if (is_filler(PyUnicode_1BYTE_KIND, folded, tok.word))
                continue;
            if (kept > 0 && same_word(PyUnicode_1BYTE_KIND, folded, t[kept - 1].word, tok.word)) {
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
        PyObject *item = Py_BuildValue("(s#nn)", folded + t[j].word.start, t[j].word.len, t[j].word.start,
                                     t[j].end);
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

/* ---------------------------------------------------------------- StreamIndex */

typedef struct {
    PyObject_HEAD
    PyObject *stream;     /* " w1 w2 ... wn ": words between single blanks */
    Py_ssize_t n;         /* how many words */
    int32_t *start;       /* the stream offset of word i (32 bits: a quarter of the memory to fault in) */
    int32_t *len;         /* its length */
    uint32_t *hash;       /* its hash (hash_step over its characters, low 32 bits) */
    int32_t *next;        /* the next word equal to word i, or -1 */
    int32_t *count;       /* for the first of equal words: how many there are */
    int32_t *passage;     /* the passage holding word i */
    int32_t *table;       /* open addressing: the first of each distinct word, or -1 */
    Py_ssize_t tsize;     /* a power of two */
} StreamIndex;

static void
StreamIndex_dealloc(StreamIndex *self)
{
    Py_XDECREF(self->stream);
    PyMem_Free(self->start);
    PyMem_Free(self->len);
    PyMem_Free(self->hash);
    PyMem_Free(self->next);
    PyMem_Free(self->count);
    PyMem_Free(self->passage);
    PyMem_Free(self->table);
    Py_TYPE(self)->tp_free((PyObject *)self);
}


/* append ``value`` to ``list``; -1 with an exception set on failure */
static int
append_int(PyObject *list, Py_ssize_t value)
{
    PyObject *item = PyLong_FromSsize_t(value);
    if (item == NULL)
        return -1;
    int failed = PyList_Append(list, item);
    Py_DECREF(item);
    return failed;
}

/* the first word of the index equal to characters [from, from + len) of ``text``, or -1 */
static Py_ssize_t
StreamIndex_lookup(StreamIndex *self, int kind, const void *data, Py_ssize_t from, Py_ssize_t len)
{
    uint64_t h = HASH_START;
    for (Py_ssize_t k = 0; k < len; k++)
        h = hash_step(h, PyUnicode_READ(kind, data, from + k));
    int skind = PyUnicode_KIND(self->stream);
    const void *sdata = PyUnicode_DATA(self->stream);
    for (Py_ssize_t t = (Py_ssize_t)(h & (uint64_t)(self->tsize - 1)); self->table[t] >= 0;
         t = (t + 1) & (self->tsize - 1)) {
        Py_ssize_t w = self->table[t];
        if (self->hash[w] != (uint32_t)h || self->len[w] != len)
            continue;
        Py_ssize_t k = 0;
        while (k < len && PyUnicode_READ(skind, sdata, self->start[w] + k) == PyUnicode_READ(kind, data, from + k))
            k++;
        if (k == len)
            return w;
    }
    return -1;
}

static int
StreamIndex_init(StreamIndex *self, PyObject *args, PyObject *kwds)
{
    PyObject *stream, *starts;
    static char *kwlist[] = {"stream", "starts", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "UO!:StreamIndex", kwlist, &stream, &PyList_Type, &starts))
        return -1;
    if (self->stream != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "StreamIndex is built once");
        return -1;
    }
    int kind = PyUnicode_KIND(stream);
    const void *data = PyUnicode_DATA(stream);
    Py_ssize_t size = PyUnicode_GET_LENGTH(stream), cap = 1;
    if (size >= INT32_MAX / 2) {  /* offsets and counts are 32 bits; quotematch uses Python then */
        PyErr_SetString(PyExc_OverflowError, "stream too long for a StreamIndex");
        return -1;
    }
    if (kind == PyUnicode_1BYTE_KIND) {  /* at most one word more than blanks: a count the compiler vectorizes */
        const Py_UCS1 *chars = data;
        for (Py_ssize_t i = 0; i < size; i++)
            cap += chars[i] == ' ';
    }
    else {
        for (Py_ssize_t i = 0; i < size; i++) {  /* the words: each begins after a blank or at 0 */
            if (PyUnicode_READ(kind, data, i) != ' ' && (i == 0 || PyUnicode_READ(kind, data, i - 1) == ' '))
                cap++;
        }
    }
    self->start = PyMem_Malloc(sizeof(int32_t) * (size_t)cap);
    self->len = PyMem_Malloc(sizeof(int32_t) * (size_t)cap);
    self->hash = PyMem_Malloc(sizeof(uint32_t) * (size_t)cap);
    self->next = PyMem_Malloc(sizeof(int32_t) * (size_t)cap);
    self->count = PyMem_Malloc(sizeof(int32_t) * (size_t)cap);
    self->passage = PyMem_Malloc(sizeof(int32_t) * (size_t)cap);
    self->tsize = 16;
    while (self->tsize < 2 * cap)
        self->tsize *= 2;
    self->table = PyMem_Malloc(sizeof(int32_t) * (size_t)self->tsize);
    int32_t *last = PyMem_Malloc(sizeof(int32_t) * (size_t)cap);  /* the last of equal words so far */
    if (!self->start || !self->len || !self->hash || !self->next || !self->count || !self->passage ||
        !self->table || !last) {
        PyMem_Free(last);
        PyErr_NoMemory();
        return -1;
    }
    Py_INCREF(stream);
    self->stream = stream;
    for (Py_ssize_t t = 0; t < self->tsize; t++)
        self->table[t] = -1;
    Py_ssize_t npass = PyList_GET_SIZE(starts), p = 0, n = 0, i = 0;
    Py_ssize_t next_start = -1;  /* where passage p + 1's words begin (read once a passage) */
    if (npass > 1) {
        next_start = PyLong_AsSsize_t(PyList_GET_ITEM(starts, 1));
        if (next_start == -1 && PyErr_Occurred()) {
            PyMem_Free(last);
            return -1;
        }
    }
    while (i < size) {
        if (PyUnicode_READ(kind, data, i) == ' ') {
            i++;
            continue;
        }
        Py_ssize_t from = i;
        uint64_t h = HASH_START;
        if (kind == PyUnicode_1BYTE_KIND) {  /* the usual case, without a kind switch a character */
            const Py_UCS1 *chars = data;
            for (; i < size && chars[i] != ' '; i++)
                h = hash_step(h, chars[i]);
        }
        else {
            for (; i < size; i++) {
                Py_UCS4 ch = PyUnicode_READ(kind, data, i);
                if (ch == ' ')
                    break;
                h = hash_step(h, ch);
            }
        }
        /* the passage: the last whose words begin at or before this word (bisect_right - 1) */
        while (p + 1 < npass && next_start <= from) {
            p++;
            if (p + 1 < npass) {
                next_start = PyLong_AsSsize_t(PyList_GET_ITEM(starts, p + 1));
                if (next_start == -1 && PyErr_Occurred()) {
                    PyMem_Free(last);
                    return -1;
                }
            }
        }
        self->start[n] = from;
        self->len[n] = i - from;
        self->hash[n] = (uint32_t)h;
        self->next[n] = -1;
        self->count[n] = 0;
        self->passage[n] = p;
        Py_ssize_t t = (Py_ssize_t)(h & (uint64_t)(self->tsize - 1));
        for (;; t = (t + 1) & (self->tsize - 1)) {
            Py_ssize_t w = self->table[t];
            if (w < 0) {  /* a word not seen before */
                self->table[t] = n;
                self->count[n] = 1;
                last[n] = n;
                break;
            }
            if (self->hash[w] == (uint32_t)h && self->len[w] == i - from && same_words(kind, data, self->start[w], from, i - from)) {
                self->next[last[w]] = n;
                last[w] = n;
                self->count[w]++;
                break;
            }
        }
        n++;
    }
    PyMem_Free(last);
    self->n = n;
    return 0;
}

/* find(words) -> the stream offsets where the blank-joined ``words`` begin, in order */
static PyObject *
StreamIndex_find(StreamIndex *self, PyObject *args)
{
    PyObject *needle;
    if (!PyArg_ParseTuple(args, "U:find", &needle))
        return NULL;
    if (self->stream == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "StreamIndex is not built");
        return NULL;
    }
    int nkind = PyUnicode_KIND(needle), skind = PyUnicode_KIND(self->stream);
    const void *ndata = PyUnicode_DATA(needle), *sdata = PyUnicode_DATA(self->stream);
    Py_ssize_t m = PyUnicode_GET_LENGTH(needle), size = PyUnicode_GET_LENGTH(self->stream);
    PyObject *out = PyList_New(0);
    if (out == NULL || m == 0)
        return out;
    /* the needle's rarest word decides where to look: its occurrences, minus its place */
    Py_ssize_t best = -1, best_count = PY_SSIZE_T_MAX, best_place = 0, place = 0, i = 0;
    while (i <= m) {
        Py_ssize_t from = i;
        while (i < m && PyUnicode_READ(nkind, ndata, i) != ' ')
            i++;
        if (i == from) {  /* a blank at either end or two together: no word sequence reads so */
            return out;
        }
        Py_ssize_t w = StreamIndex_lookup(self, nkind, ndata, from, i - from);
        if (w < 0)
            return out;  /* a word the transcript never says */
        if (self->count[w] < best_count) {
            best = w;
            best_count = self->count[w];
            best_place = place;
        }
        place++;
        i++;  /* the blank */
    }
    for (Py_ssize_t w = best; w >= 0; w = self->next[w]) {
        Py_ssize_t first = w - best_place;
        if (first < 0)
            continue;
        Py_ssize_t at = self->start[first];
        if (at + m >= size || PyUnicode_READ(skind, sdata, at + m) != ' ')
            continue;
        Py_ssize_t k = 0;
        if (skind == nkind)
            k = memcmp((const char *)sdata + at * skind, ndata, (size_t)(m * skind)) == 0 ? m : 0;
        else
            while (k < m && PyUnicode_READ(skind, sdata, at + k) == PyUnicode_READ(nkind, ndata, k))
                k++;
        if (k != m)
            continue;
        if (append_int(out, at) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

/* word_passages(words) -> for each word, the passages holding it, in order */
static PyObject *
StreamIndex_word_passages(StreamIndex *self, PyObject *args)
{
    PyObject *words;
    if (!PyArg_ParseTuple(args, "O!:word_passages", &PyList_Type, &words))
        return NULL;
    if (self->stream == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "StreamIndex is not built");
        return NULL;
    }
    Py_ssize_t nwords = PyList_GET_SIZE(words);
    PyObject *out = PyList_New(nwords);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t j = 0; j < nwords; j++) {
        PyObject *word = PyList_GET_ITEM(words, j);
        if (!PyUnicode_Check(word)) {
            Py_DECREF(out);
            PyErr_SetString(PyExc_TypeError, "words must be str");
            return NULL;
        }
        PyObject *hits = PyList_New(0);
        if (hits == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, j, hits);
        Py_ssize_t len = PyUnicode_GET_LENGTH(word);
        Py_ssize_t w = len ? StreamIndex_lookup(self, PyUnicode_KIND(word), PyUnicode_DATA(word), 0, len) : -1;
        Py_ssize_t previous = -1;
        for (; w >= 0; w = self->next[w]) {
            if (self->passage[w] == previous)
                continue;
            previous = self->passage[w];
            if (append_int(hits, previous) < 0) {
                Py_DECREF(out);
                return NULL;
            }
        }
    }
    return out;
}

static PyMethodDef StreamIndex_methods[] = {
    {"find", (PyCFunction)StreamIndex_find, METH_VARARGS,
     "find(words) -> list[int]: the stream offsets where the blank-joined words begin, in order."},
    {"word_passages", (PyCFunction)StreamIndex_word_passages, METH_VARARGS,
     "word_passages(words) -> list[list[int]]: for each word, the passages holding it, in order."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject StreamIndexType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "notecheck._speedups.StreamIndex",
    .tp_doc = "StreamIndex(stream, starts): every word of a blank-joined word stream, hashed once "
              "(quotematch._find_words_py and _word_passages_py are its references).",
    .tp_basicsize = sizeof(StreamIndex),
    .tp_itemsize = 0,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)StreamIndex_init,
    .tp_dealloc = (destructor)StreamIndex_dealloc,
    .tp_methods = StreamIndex_methods,
};

/* ---------------------------------------------------------------- pair_scores */

/* The length of the longest common subsequence of ``a`` and ``b`` (code points), by the
   bit-parallel algorithm (Hyyrö 2004) over 64-bit blocks of ``a``: ``masks`` holds, for each
   distinct character of ``a`` (``chars``, ``nchars`` of them), the bits of its places in ``a``. */
typedef struct {
    Py_ssize_t m;        /* len(a) */
    Py_ssize_t blocks;   /* 64-bit words per mask */
    Py_ssize_t nchars;
    Py_UCS4 *chars;      /* the distinct characters of a */
    uint64_t *masks;     /* nchars * blocks */
    uint64_t *state;     /* blocks: the running bit vector */
    int16_t small[512];  /* for a character below 512: its index in chars, or -1 */
} Pattern;

static void
pattern_free(Pattern *p)
{
    PyMem_Free(p->chars);
    PyMem_Free(p->masks);
    PyMem_Free(p->state);
}

static int
pattern_init(Pattern *p, int kind, const void *data, Py_ssize_t m)
{
    p->m = m;
    p->blocks = m / 64 + 1;
    p->nchars = 0;
    p->chars = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(m + 1));
    p->masks = PyMem_Calloc((size_t)((m + 1) * p->blocks), sizeof(uint64_t));
    p->state = PyMem_Malloc(sizeof(uint64_t) * (size_t)p->blocks);
    if (p->chars == NULL || p->masks == NULL || p->state == NULL) {
        pattern_free(p);
        PyErr_NoMemory();
        return -1;
    }
    for (int c = 0; c < 512; c++)
        p->small[c] = -1;
    for (Py_ssize_t i = 0; i < m; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        Py_ssize_t c = 0;
        while (c < p->nchars && p->chars[c] != ch)
            c++;
        if (c == p->nchars) {
            p->chars[p->nchars++] = ch;
            if (ch < 512 && c < INT16_MAX)
                p->small[ch] = (int16_t)c;
        }
        p->masks[c * p->blocks + i / 64] |= (uint64_t)1 << (i % 64);
    }
    return 0;
}

/* the set bits of ``x``: the compiler's instruction where it has one (GCC, Clang), else SWAR */
static inline Py_ssize_t
popcount64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_popcountll(x);
#else
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (Py_ssize_t)((x * 0x0101010101010101ULL) >> 56);
#endif
}

static inline const uint64_t *
pattern_mask(const Pattern *p, Py_UCS4 ch)
{
    if (ch < 512) {
        int c = p->small[ch];
        if (c >= 0)
            return p->masks + c * p->blocks;
        if (p->nchars < INT16_MAX)
            return NULL;  /* every character below 512 of the pattern is in the table */
    }
    for (Py_ssize_t c = 0; c < p->nchars; c++) {
        if (p->chars[c] == ch)
            return p->masks + c * p->blocks;
    }
    return NULL;
}

/* one step of the bit-parallel LCS (Hyyrö 2004) over ``blocks`` 64-bit words: the running vector
   ``S`` read against the places ``M`` of the next character, the carry passed block to block */
static inline void
lcs_step(uint64_t *S, const uint64_t *M, Py_ssize_t blocks)
{
    uint64_t carry = 0;
    for (Py_ssize_t k = 0; k < blocks; k++) {
        uint64_t u = S[k] & M[k];
        uint64_t t = S[k] + carry;
        uint64_t c1 = t < carry;
        uint64_t x = t + u;
        uint64_t c2 = x < u;
        carry = c1 | c2;
        S[k] = x | (S[k] - u);
    }
}

static Py_ssize_t
pattern_lcs(Pattern *p, int kind, const void *data, Py_ssize_t from, Py_ssize_t to)
{
    Py_ssize_t blocks = p->blocks;
    uint64_t *S = p->state;
    for (Py_ssize_t k = 0; k < blocks; k++)
        S[k] = ~(uint64_t)0;
    for (Py_ssize_t j = from; j < to; j++) {
        const uint64_t *M = pattern_mask(p, PyUnicode_READ(kind, data, j));
        if (M == NULL)
            continue;  /* u = 0 in every block: S unchanged */
        lcs_step(S, M, blocks);
    }
    Py_ssize_t lcs = 0;
    for (Py_ssize_t k = 0; k < blocks; k++) {
        uint64_t zeros = ~S[k];
        if (k == blocks - 1 && p->m % 64 != 0)
            zeros &= ((uint64_t)1 << (p->m % 64)) - 1;
        else if (k == blocks - 1)
            zeros = 0;  /* m is a multiple of 64: the last block holds no place of a */
        lcs += popcount64(zeros);
    }
    return lcs;
}

/* a stretch's word bound, as quotematch._refine writes it: every quantity is a multiple of a
   quarter, so the double arithmetic is exact and equal to Python's */
static double
stretch_bound(Py_ssize_t matched, Py_ssize_t nq, Py_ssize_t length)
{
    Py_ssize_t skipped = length - matched;
    return (double)matched - 0.25 * (double)(nq - matched) - 0.25 * (double)skipped - (skipped ? 0.75 : 0.0);
}

typedef struct {
    double bound;
    Py_ssize_t index;
} Ranked;

static int
compare_ranked(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->bound != y->bound)
        return x->bound > y->bound ? -1 : 1;  /* the higher bound first */
    return x->index < y->index ? -1 : (x->index > y->index);  /* then the earlier pair */
}

static PyObject *
rank_stretches(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *qids, *rids, *words, *stream, *pairs;
    if (!PyArg_ParseTuple(args, "UUUUO!:rank_stretches", &qids, &rids, &words, &stream, &PyList_Type, &pairs))
        return NULL;
    Pattern qp, wp;
    if (pattern_init(&qp, PyUnicode_KIND(qids), PyUnicode_DATA(qids), PyUnicode_GET_LENGTH(qids)) < 0)
        return NULL;
    if (pattern_init(&wp, PyUnicode_KIND(words), PyUnicode_DATA(words), PyUnicode_GET_LENGTH(words)) < 0) {
        pattern_free(&qp);
        return NULL;
    }
    int rkind = PyUnicode_KIND(rids), skind = PyUnicode_KIND(stream);
    const void *rdata = PyUnicode_DATA(rids), *sdata = PyUnicode_DATA(stream);
    Py_ssize_t rlen = PyUnicode_GET_LENGTH(rids), slen = PyUnicode_GET_LENGTH(stream);
    Py_ssize_t lw = PyUnicode_GET_LENGTH(words), nq = PyUnicode_GET_LENGTH(qids), n = PyList_GET_SIZE(pairs);
    PyObject *order = NULL, *bounds = PyList_New(n), *ratios = PyList_New(n), *out = NULL;
    Ranked *ranked = PyMem_Malloc(sizeof(Ranked) * (size_t)(n + 1));
    if (bounds == NULL || ratios == NULL || ranked == NULL) {
        if (ranked == NULL)
            PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t j = 0; j < n; j++) {
        Py_ssize_t x, y, i0, i1;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(pairs, j), "nnnn", &x, &y, &i0, &i1))
            goto done;
        if (x < 0 || y < x || y > slen || i0 < 0 || i1 < i0 || i1 > rlen) {
            PyErr_SetString(PyExc_IndexError, "a pair out of range");
            goto done;
        }
        Py_ssize_t matched = pattern_lcs(&qp, rkind, rdata, i0, i1);
        /* fuzz.ratio: the normalized Indel similarity, as rapidfuzz computes it */
        Py_ssize_t lensum = lw + (y - x);
        double ratio = 100.0;
        if (lensum) {
            Py_ssize_t dist = lensum - 2 * pattern_lcs(&wp, skind, sdata, x, y);
            ratio = (1.0 - (double)dist / (double)lensum) * 100.0;
        }
        ranked[j].bound = stretch_bound(matched, nq, i1 - i0);
        ranked[j].index = j;
        PyObject *b = PyFloat_FromDouble(ranked[j].bound), *r = PyFloat_FromDouble(ratio);
        if (b == NULL || r == NULL) {
            Py_XDECREF(b);
            Py_XDECREF(r);
            goto done;
        }
        PyList_SET_ITEM(bounds, j, b);
        PyList_SET_ITEM(ratios, j, r);
    }
    qsort(ranked, (size_t)n, sizeof(Ranked), compare_ranked);
    order = PyList_New(n);
    if (order == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *index = PyLong_FromSsize_t(ranked[j].index);
        if (index == NULL)
            goto done;
        PyList_SET_ITEM(order, j, index);
    }
    out = PyTuple_Pack(3, order, bounds, ratios);
done:
    Py_XDECREF(order);
    Py_XDECREF(bounds);
    Py_XDECREF(ratios);
    PyMem_Free(ranked);
    pattern_free(&qp);
    pattern_free(&wp);
    return out;
}

/* ---------------------------------------------------------------- rank_candidates */

/* the correctly rounded sum of xs[0..n) (positive, finite): Shewchuk's partials, as math.fsum
   adds them (any correctly rounded sum is the same double) */
static double
exact_sum(const double *xs, Py_ssize_t count, double *partials)
{
    Py_ssize_t n = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        double x = xs[k];
        Py_ssize_t i = 0;
        for (Py_ssize_t j = 0; j < n; j++) {
            double y = partials[j];
            if (fabs(x) < fabs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0)
                partials[i++] = lo;
            x = hi;
        }
        n = i;
        if (x != 0.0)
            partials[n++] = x;
    }
    double hi = 0.0, lo = 0.0;
    if (n > 0) {
        hi = partials[--n];
        while (n > 0) {  /* from the top, until the sum is inexact */
            double x = hi, y = partials[--n];
            hi = x + y;
            lo = y - (hi - x);
            if (lo != 0.0)
                break;
        }
        /* half-even rounding across the partials left */
        if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
            double y = lo * 2.0, x = hi + y;
            if (y == x - hi)
                hi = x;
        }
    }
    return hi;
}

typedef struct {
    double score;
    Py_ssize_t passage;
} Candidate;

static int
candidate_order(const void *a, const void *b)  /* the highest score first; a tie: the earlier passage */
{
    const Candidate *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->passage > y->passage) - (x->passage < y->passage);
}

static int
double_descending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* quotematch._rank_candidates_py: the ``k`` passages with the highest exact score (see there) */
static PyObject *
rank_candidates(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *held;
    Py_ssize_t count, n, k;
    if (!PyArg_ParseTuple(args, "O!nnn:rank_candidates", &PyList_Type, &held, &count, &n, &k))
        return NULL;
    if (count < 0 || n < 0 || n > ((Py_ssize_t)1 << 52) || k < 1) {
        PyErr_SetString(PyExc_ValueError, "count and n must be small non-negative numbers, k positive");
        return NULL;
    }
    Py_ssize_t words = PyList_GET_SIZE(held), total = 0;
    for (Py_ssize_t w = 0; w < words; w++) {
        PyObject *hits = PyList_GET_ITEM(held, w);
        if (!PyList_Check(hits) || PyList_GET_SIZE(hits) == 0) {
            PyErr_SetString(PyExc_TypeError, "each hits must be a non-empty list");
            return NULL;
        }
        total += PyList_GET_SIZE(hits);
    }
    double *sums = PyMem_Calloc((size_t)count + 1, sizeof(double));
    double *weights = PyMem_Malloc(sizeof(double) * ((size_t)words + 1));
    double *terms = PyMem_Malloc(sizeof(double) * ((size_t)words + 1));
    double *partials = PyMem_Malloc(sizeof(double) * ((size_t)words + 1));
    Py_ssize_t *flat = PyMem_Malloc(sizeof(Py_ssize_t) * ((size_t)total + 1));
    Candidate *ranked = PyMem_Malloc(sizeof(Candidate) * ((size_t)count + 1));
    double *values = PyMem_Malloc(sizeof(double) * ((size_t)count + 1));
    unsigned char *near = PyMem_Calloc((size_t)count + 1, 1);
    PyObject *out = NULL;
    if (!sums || !weights || !terms || !partials || !flat || !ranked || !values || !near) {
        PyErr_NoMemory();
        goto done;
    }
    /* the rough sums, added in the order given (quotematch._passage_scores: the same doubles) */
    Py_ssize_t at = 0;
    for (Py_ssize_t w = 0; w < words; w++) {
        PyObject *hits = PyList_GET_ITEM(held, w);
        double weight = weights[w] = log(1.0 + (double)n / (double)PyList_GET_SIZE(hits));
        for (Py_ssize_t h = 0; h < PyList_GET_SIZE(hits); h++) {
            Py_ssize_t i = PyLong_AsSsize_t(PyList_GET_ITEM(hits, h));
            if (i == -1 && PyErr_Occurred())
                goto done;
            if (i < 0 || i >= count) {
                PyErr_SetString(PyExc_IndexError, "a passage number out of range");
                goto done;
            }
            if (h && i <= flat[at - 1]) {
                PyErr_SetString(PyExc_ValueError, "each hits must be sorted, without repeats");
                goto done;
            }
            flat[at++] = i;
            sums[i] += weight;
        }
    }
    /* the passages with a score, and only those within 1e-9 of the k-th best when there are more */
    Py_ssize_t m = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (sums[i] != 0.0)
            values[m++] = sums[i];
    }
    double floor = -1.0;
    if (m > k) {
        qsort(values, (size_t)m, sizeof(double), double_descending);
        floor = values[k - 1] - 1e-9;
    }
    Py_ssize_t r = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (sums[i] != 0.0 && (m <= k || sums[i] >= floor)) {
            ranked[r].score = sums[i];
            ranked[r++].passage = i;
        }
    }
    qsort(ranked, (size_t)r, sizeof(Candidate), candidate_order);
    /* neighbours in that order within 1e-9: their rough sums may be ordered otherwise than
       their exact ones, which are taken */
    for (Py_ssize_t j = 0; j + 1 < r; j++) {
        if (ranked[j].score - ranked[j + 1].score < 1e-9)
            near[ranked[j].passage] = near[ranked[j + 1].passage] = 1;
    }
    int any_near = 0;
    for (Py_ssize_t j = 0; j < r; j++) {
        Py_ssize_t i = ranked[j].passage;
        if (!near[i])
            continue;
        any_near = 1;
        Py_ssize_t t = 0, start = 0;
        for (Py_ssize_t w = 0; w < words; w++) {
            Py_ssize_t len = PyList_GET_SIZE(PyList_GET_ITEM(held, w));
            Py_ssize_t lo = start, hi = start + len;  /* is i among flat[start, start + len)? */
            while (lo < hi) {
                Py_ssize_t mid = lo + (hi - lo) / 2;
                if (flat[mid] < i)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < start + len && flat[lo] == i)
                terms[t++] = weights[w];
            start += len;
        }
        ranked[j].score = exact_sum(terms, t, partials);
    }
    if (any_near)
        qsort(ranked, (size_t)r, sizeof(Candidate), candidate_order);
    Py_ssize_t keep = r < k ? r : k;
    out = PyList_New(keep);
    if (out == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < keep; j++) {
        PyObject *i = PyLong_FromSsize_t(ranked[j].passage);
        if (i == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, j, i);
    }
done:
    PyMem_Free(sums);
    PyMem_Free(weights);
    PyMem_Free(terms);
    PyMem_Free(partials);
    PyMem_Free(flat);
    PyMem_Free(ranked);
    PyMem_Free(values);
    PyMem_Free(near);
    return out;
}

/* ---------------------------------------------------------------- split_plain */

/* quotematch.split_quote for a quote without edits (no gap, insertion, link or speaker to cut):
   its sentences as (start, end, words). Only for text whose every non-ASCII character is one
   the folding leaves alone and no word can hold: the apostrophes _unify_apostrophes turns into
   "'", and quotation marks, dashes, bullets and two no-break spaces; for any other (a letter
   such as "é", whose case folding Python knows) None: Python splits it. */

static int
plain_class(Py_UCS4 ch)  /* 0: other, 1: an apostrophe, 2: allowed punctuation, -1: not handled */
{
    if (ch < 128)
        return ch == '\'' || ch == '`' ? 1 : 0;
    switch (ch) {
    case 0x2019: case 0x2018: case 0x02BC: case 0x00B4:
        return 1;
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: case 0x2013: case 0x2014:
    case 0x00A0: case 0x202F: case 0x2022: case 0x00B7: case 0x2010: case 0x2011: case 0x2012: case 0x2015:
        return 2;
    default:
        return -1;
    }
}

static inline int
plain_alnum(Py_UCS4 ch)  /* [^\W_] on the characters plain_class admits */
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static inline int
sentence_closer(Py_UCS4 ch)  /* the closing marks _SENTENCE_END_RE lets follow . ! ? */
{
    return ch == '"' || ch == '\'' || ch == 0x201D || ch == 0x2019 || ch == ')' || ch == ']';
}

static inline int
quote_mark(Py_UCS4 ch)  /* quotematch._QUOTE_MARKS */
{
    return ch == '"' || ch == 0x201C || ch == 0x201D || ch == 0x201E || ch == 0x00AB || ch == 0x00BB;
}

static PyObject *
split_plain(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text;
    if (!PyArg_ParseTuple(args, "U:split_plain", &text))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (plain_class(PyUnicode_READ(kind, data, i)) < 0)
            Py_RETURN_NONE;
    }
    /* ``cut``: the text as _SENTENCE_END_RE.sub leaves it, 'n' where it writes "\n", ' ' where a
       blank; 0 where the text is as written. A match: at p after . ! ?, the closing marks, then
       blank space (the marks are never blank space, so no shorter run of them can match) */
    char *cut = PyMem_Calloc((size_t)n + 1, 1);
    char *word = PyMem_Malloc((size_t)n + 1);  /* one sentence's folded words, blank-joined */
    PyObject *out = PyList_New(0);
    if (cut == NULL || word == NULL || out == NULL) {
        PyMem_Free(cut);
        PyMem_Free(word);
        Py_XDECREF(out);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t p = 1; p < n; p++) {
        Py_UCS4 before = PyUnicode_READ(kind, data, p - 1);
        if (before != '.' && before != '!' && before != '?')
            continue;
        Py_ssize_t q = p;
        while (q < n && sentence_closer(PyUnicode_READ(kind, data, q)))
            q++;
        if (q >= n || !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, q)))
            continue;
        while (q < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, q)))
            q++;
        cut[p] = 'n';
        for (Py_ssize_t r = p + 1; r < q; r++)
            cut[r] = ' ';
        p = q;  /* the next match begins after this one (its last character is blank: no . ! ? before q) */
    }
#define CH(i) (cut[i] ? (Py_UCS4)(cut[i] == 'n' ? '\n' : ' ') : PyUnicode_READ(kind, data, i))
    Py_ssize_t start = 0;
    while (start <= n) {
        Py_ssize_t end = start;
        while (end < n && CH(end) != '\n')
            end++;
        /* the piece [start, end): its words, folded and blank-joined */
        Py_ssize_t len = 0, i = start;
        while (i < end) {
            if (!plain_alnum(CH(i))) {
                i++;
                continue;
            }
            if (len)
                word[len++] = ' ';
            for (;;) {
                while (i < end && plain_alnum(CH(i))) {
                    Py_UCS4 ch = CH(i);  /* CH reads its argument twice: no i++ in it */
                    i++;
                    word[len++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
                }
                if (i + 1 < end && plain_class(CH(i)) == 1 && plain_alnum(CH(i + 1))) {
                    word[len++] = '\'';
                    i++;
                    continue;
                }
                break;
            }
        }
        if (len) {
            Py_ssize_t a = start, b = end;
            while (a < b && Py_UNICODE_ISSPACE(CH(a)))
                a++;
            while (b > a && Py_UNICODE_ISSPACE(CH(b - 1)))
                b--;
            while (a < b && (quote_mark(PyUnicode_READ(kind, data, a)) || Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a))))
                a++;
            while (b > a && (quote_mark(PyUnicode_READ(kind, data, b - 1)) || Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b - 1))))
                b--;
            PyObject *item = Py_BuildValue("(nns#)", a, b, word, len);
            if (item == NULL || PyList_Append(out, item) < 0) {
                Py_XDECREF(item);
                Py_CLEAR(out);
                break;
            }
            Py_DECREF(item);
        }
        start = end + 1;
    }
#undef CH
    PyMem_Free(cut);
    PyMem_Free(word);
    return out;
}

/* ---------------------------------------------------------------- word_opcodes */

/* difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() of two sequences given as
   numbers (equal numbers, equal items), line for line as difflib.py computes them (its
   find_longest_match without junk, the queue of get_matching_blocks, the merge of adjacent
   blocks and get_opcodes): quotematch.word_diff's opcodes. */

typedef struct {
    Py_ssize_t i, j, k;
} Block;

static int
compare_blocks(const void *x, const void *y)
{
    const Block *a = x, *b = y;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    if (a->j != b->j)
        return a->j < b->j ? -1 : 1;
    return (a->k > b->k) - (a->k < b->k);
}

static PyObject *
word_opcodes(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *alist, *blist;
    if (!PyArg_ParseTuple(args, "O!O!:word_opcodes", &PyList_Type, &alist, &PyList_Type, &blist))
        return NULL;
    Py_ssize_t la = PyList_GET_SIZE(alist), lb = PyList_GET_SIZE(blist);
    Py_ssize_t nids = la + lb;  /* the items are numbered from 0 in order of appearance: below la + lb */
    Py_ssize_t *a = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(la + 1));
    Py_ssize_t *b = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(lb + 1));
    Py_ssize_t *first = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(nids + 1));  /* b2j: first place of an id in b */
    Py_ssize_t *next = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(lb + 1));     /* the next place of b[j]'s id */
    Py_ssize_t *len_old = PyMem_Calloc((size_t)lb + 1, sizeof(Py_ssize_t));     /* j2len of the row before */
    Py_ssize_t *len_new = PyMem_Calloc((size_t)lb + 1, sizeof(Py_ssize_t));
    Py_ssize_t *set_old = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(lb + 1));  /* which entries are set */
    Py_ssize_t *set_new = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(lb + 1));
    Block *blocks = PyMem_Malloc(sizeof(Block) * (size_t)(la + lb + 2));
    Py_ssize_t *queue = PyMem_Malloc(sizeof(Py_ssize_t) * 4 * (size_t)(la + lb + 2));
    PyObject *out = NULL;
    if (!a || !b || !first || !next || !len_old || !len_new || !set_old || !set_new || !blocks || !queue) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < la; i++) {
        a[i] = PyLong_AsSsize_t(PyList_GET_ITEM(alist, i));
        if ((a[i] == -1 && PyErr_Occurred()) || a[i] < 0 || a[i] >= nids) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "items must be numbered 0 .. len(a) + len(b) - 1");
            goto done;
        }
    }
    for (Py_ssize_t id = 0; id < nids; id++)
        first[id] = -1;
    for (Py_ssize_t j = lb - 1; j >= 0; j--) {
        b[j] = PyLong_AsSsize_t(PyList_GET_ITEM(blist, j));
        if ((b[j] == -1 && PyErr_Occurred()) || b[j] < 0 || b[j] >= nids) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "items must be numbered 0 .. len(a) + len(b) - 1");
            goto done;
        }
        next[j] = first[b[j]];  /* places of each id in increasing order */
        first[b[j]] = j;
    }
    Py_ssize_t nblocks = 0, nqueue = 0;
    queue[0] = 0, queue[1] = la, queue[2] = 0, queue[3] = lb;
    nqueue = 1;
    while (nqueue) {
        nqueue--;
        Py_ssize_t alo = queue[4 * nqueue], ahi = queue[4 * nqueue + 1];
        Py_ssize_t blo = queue[4 * nqueue + 2], bhi = queue[4 * nqueue + 3];
        /* find_longest_match(alo, ahi, blo, bhi), no junk */
        Py_ssize_t besti = alo, bestj = blo, bestsize = 0, nold = 0;
        for (Py_ssize_t i = alo; i < ahi; i++) {
            Py_ssize_t nnew = 0;
            for (Py_ssize_t j = first[a[i]]; j >= 0; j = next[j]) {
                if (j < blo)
                    continue;
                if (j >= bhi)
                    break;
                Py_ssize_t k = (j > 0 ? len_old[j - 1] : 0) + 1;  /* j2len.get(j - 1, 0) + 1 */
                len_new[j] = k;
                set_new[nnew++] = j;
                if (k > bestsize) {
                    besti = i - k + 1;
                    bestj = j - k + 1;
                    bestsize = k;
                }
            }
            for (Py_ssize_t s = 0; s < nold; s++)  /* j2len = newj2len */
                len_old[set_old[s]] = 0;
            for (Py_ssize_t s = 0; s < nnew; s++) {
                len_old[set_new[s]] = len_new[set_new[s]];
                len_new[set_new[s]] = 0;
                set_old[s] = set_new[s];
            }
            nold = nnew;
        }
        for (Py_ssize_t s = 0; s < nold; s++)
            len_old[set_old[s]] = 0;
        while (besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1]) {
            besti--;
            bestj--;
            bestsize++;
        }
        while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] == b[bestj + bestsize])
            bestsize++;
        if (bestsize) {
            blocks[nblocks].i = besti, blocks[nblocks].j = bestj, blocks[nblocks].k = bestsize;
            nblocks++;
            if (alo < besti && blo < bestj) {
                queue[4 * nqueue] = alo, queue[4 * nqueue + 1] = besti;
                queue[4 * nqueue + 2] = blo, queue[4 * nqueue + 3] = bestj;
                nqueue++;
            }
            if (besti + bestsize < ahi && bestj + bestsize < bhi) {
                queue[4 * nqueue] = besti + bestsize, queue[4 * nqueue + 1] = ahi;
                queue[4 * nqueue + 2] = bestj + bestsize, queue[4 * nqueue + 3] = bhi;
                nqueue++;
            }
        }
    }
    qsort(blocks, (size_t)nblocks, sizeof(Block), compare_blocks);
    /* adjacent blocks merged, then the sentinel (la, lb, 0) */
    Py_ssize_t merged = 0, i1 = 0, j1 = 0, k1 = 0;
    for (Py_ssize_t n = 0; n < nblocks; n++) {
        if (i1 + k1 == blocks[n].i && j1 + k1 == blocks[n].j) {
            k1 += blocks[n].k;
        }
        else {
            if (k1) {
                blocks[merged].i = i1, blocks[merged].j = j1, blocks[merged].k = k1;
                merged++;
            }
            i1 = blocks[n].i, j1 = blocks[n].j, k1 = blocks[n].k;
        }
    }
    if (k1) {
        blocks[merged].i = i1, blocks[merged].j = j1, blocks[merged].k = k1;
        merged++;
    }
    blocks[merged].i = la, blocks[merged].j = lb, blocks[merged].k = 0;
    merged++;
    out = PyList_New(0);
    if (out == NULL)
        goto done;
    Py_ssize_t i = 0, j = 0;
    for (Py_ssize_t n = 0; n < merged; n++) {
        Py_ssize_t ai = blocks[n].i, bj = blocks[n].j, size = blocks[n].k;
        const char *tag = NULL;
        if (i < ai && j < bj)
            tag = "replace";
        else if (i < ai)
            tag = "delete";
        else if (j < bj)
            tag = "insert";
        if (tag != NULL) {
            PyObject *op = Py_BuildValue("(snnnn)", tag, i, ai, j, bj);
            if (op == NULL || PyList_Append(out, op) < 0) {
                Py_XDECREF(op);
                Py_CLEAR(out);
                goto done;
            }
            Py_DECREF(op);
        }
        i = ai + size, j = bj + size;
        if (size) {
            PyObject *op = Py_BuildValue("(snnnn)", "equal", ai, i, bj, j);
            if (op == NULL || PyList_Append(out, op) < 0) {
                Py_XDECREF(op);
                Py_CLEAR(out);
                goto done;
            }
            Py_DECREF(op);
        }
    }
done:
    PyMem_Free(a);
    PyMem_Free(b);
    PyMem_Free(first);
    PyMem_Free(next);
    PyMem_Free(len_old);
    PyMem_Free(len_new);
    PyMem_Free(set_old);
    PyMem_Free(set_new);
    PyMem_Free(blocks);
    PyMem_Free(queue);
    return out;
}

/* ---------------------------------------------------------------- refine */

/* str.find(" ", from) and str.rfind(" ", 0, to) of the stream, for 0 <= from, to */
static Py_ssize_t
blank_after(int kind, const void *data, Py_ssize_t len, Py_ssize_t from)
{
    for (Py_ssize_t i = from; i < len; i++) {
        if (PyUnicode_READ(kind, data, i) == ' ')
            return i;
    }
    return -1;
}

static Py_ssize_t
blank_before(int kind, const void *data, Py_ssize_t len, Py_ssize_t to)
{
    if (to > len)
        to = len;
    for (Py_ssize_t i = to - 1; i >= 0; i--) {
        if (PyUnicode_READ(kind, data, i) == ' ')
            return i;
    }
    return -1;
}

/* quotematch._snap, line for line; 0 when the stretch it gives is not a sane one (then Python
   decides, as it always did) */
static int
snap(int kind, const void *data, Py_ssize_t len, Py_ssize_t *pa, Py_ssize_t *pb)
{
    Py_ssize_t n = len - 1, a = *pa, b = *pb;
    a = a < n ? a : n;
    a = a > 1 ? a : 1;
    b = b < n ? b : n;
    b = b > a ? b : a;
    if (PyUnicode_READ(kind, data, a - 1) != ' ') {
        Py_ssize_t left = blank_before(kind, data, len, a) + 1;
        Py_ssize_t right = blank_after(kind, data, len, a) + 1;
        a = (a - left <= right - a || right >= n) ? left : right;
    }
    if (b < n && PyUnicode_READ(kind, data, b) != ' ' && PyUnicode_READ(kind, data, b - 1) != ' ') {
        Py_ssize_t left = blank_before(kind, data, len, b);
        Py_ssize_t right = blank_after(kind, data, len, b);
        b = (b - left < right - b) ? left : right;
    }
    a = a < n - 1 ? a : n - 1;
    if (a < 0)
        return 0;
    while (a < n && PyUnicode_READ(kind, data, a) == ' ')
        a++;
    while (b > a && PyUnicode_READ(kind, data, b - 1) == ' ')
        b--;
    if (b <= a)
        b = blank_after(kind, data, len, a);
    if (a < 1 || b <= a || b > len)
        return 0;
    *pa = a;
    *pb = b;
    return 1;
}

/* one word of either string: where it is, and its number among the distinct words */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t start, len;
    uint64_t hash;
} WordRef;

static uint64_t
word_hash(int kind, const void *data, Py_ssize_t start, Py_ssize_t len)
{
    uint64_t h = HASH_START;
    for (Py_ssize_t i = 0; i < len; i++)
        h = hash_step(h, PyUnicode_READ(kind, data, start + i));
    return h;
}

static int
same_ref(const WordRef *x, const WordRef *y)
{
    if (x->len != y->len || x->hash != y->hash)
        return 0;
    for (Py_ssize_t i = 0; i < x->len; i++) {
        if (PyUnicode_READ(x->kind, x->data, x->start + i) != PyUnicode_READ(y->kind, y->data, y->start + i))
            return 0;
    }
    return 1;
}

/* the number of each word among the distinct words of ``refs`` (equal words, equal numbers) */
static int
number_words(const WordRef *refs, Py_ssize_t n, Py_UCS4 *ids)
{
    Py_ssize_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    Py_ssize_t *slots = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)cap);  /* a word's index in refs, or -1 */
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t s = 0; s < cap; s++)
        slots[s] = -1;
    Py_UCS4 next = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t s = (Py_ssize_t)(refs[i].hash & (uint64_t)(cap - 1));
        while (slots[s] >= 0 && !same_ref(&refs[slots[s]], &refs[i]))
            s = (s + 1) & (cap - 1);
        if (slots[s] < 0) {
            slots[s] = i;
            ids[i] = next++;
        }
        else {
            ids[i] = ids[slots[s]];
        }
    }
    PyMem_Free(slots);
    return 0;
}

/* quotematch._alignment_score(q, s), times four (every cost is a quarter, so this is exact):
   four a word of q and s in common, less one a word of q left out, one a word of s skipped and
   three a run of skipped words, the runs being those of rapidfuzz's Indel.opcodes(q, s). Its
   alignment is rebuilt here as rapidfuzz builds it: the common prefix and suffix cut off, the
   bit-parallel LCS matrix of the rest (a row per word of s), and the path back from its end
   that takes a deletion when the row above has the bit, else steps up (an insertion when the
   row above lacks it too, else a match). ``nids``: every id is below it. -1 on no memory. */
static int
alignment_score4(const Py_UCS4 *q, Py_ssize_t nq, const Py_UCS4 *s, Py_ssize_t ns, Py_ssize_t nids, Py_ssize_t *out)
{
    Py_ssize_t prefix = 0, suffix = 0;
    while (prefix < nq && prefix < ns && q[prefix] == s[prefix])
        prefix++;
    while (suffix < nq - prefix && suffix < ns - prefix && q[nq - 1 - suffix] == s[ns - 1 - suffix])
        suffix++;
    const Py_UCS4 *s1 = q + prefix, *s2 = s + prefix;
    Py_ssize_t len1 = nq - prefix - suffix, len2 = ns - prefix - suffix;
    Py_ssize_t blocks = len1 / 64 + 1;
    uint64_t *masks = PyMem_Calloc((size_t)(nids * blocks + 1), sizeof(uint64_t));
    uint64_t *matrix = PyMem_Malloc(sizeof(uint64_t) * (size_t)(len2 * blocks + blocks));
    char *tags = PyMem_Malloc((size_t)(len1 + len2 + 1));      /* 'd' or 'i', in forward order */
    Py_ssize_t *src = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(len1 + len2 + 1));
    Py_ssize_t *dest = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(len1 + len2 + 1));
    int status = -1;
    if (masks == NULL || matrix == NULL || tags == NULL || src == NULL || dest == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < len1; i++)
        masks[(Py_ssize_t)s1[i] * blocks + i / 64] |= (uint64_t)1 << (i % 64);
    uint64_t *S = matrix + len2 * blocks;  /* the running vector, after the rows */
    for (Py_ssize_t k = 0; k < blocks; k++)
        S[k] = ~(uint64_t)0;
    for (Py_ssize_t r = 0; r < len2; r++) {
        const uint64_t *M = masks + (Py_ssize_t)s2[r] * blocks;
        lcs_step(S, M, blocks);
        memcpy(matrix + r * blocks, S, sizeof(uint64_t) * (size_t)blocks);
    }
    Py_ssize_t sim = 0;
    for (Py_ssize_t i = 0; i < len1; i++)
        sim += !((S[i / 64] >> (i % 64)) & 1);
    Py_ssize_t dist = len1 + len2 - 2 * sim, total = dist;
    Py_ssize_t col = len1, row = len2;
#define BIT(r, c) ((matrix[(r) * blocks + (c) / 64] >> ((c) % 64)) & 1)
    while (row != 0 && col != 0) {
        if (BIT(row - 1, col - 1)) {
            dist--;
            col--;
            tags[dist] = 'd', src[dist] = col, dest[dist] = row;
        }
        else {
            row--;
            if (row && !BIT(row - 1, col - 1)) {
                dist--;
                tags[dist] = 'i', src[dist] = col, dest[dist] = row;
            }
            else {
                col--;
            }
        }
    }
#undef BIT
    while (col != 0) {
        dist--;
        col--;
        tags[dist] = 'd', src[dist] = col, dest[dist] = row;
    }
    while (row != 0) {
        dist--;
        row--;
        tags[dist] = 'i', src[dist] = col, dest[dist] = row;
    }
    Py_ssize_t inserted = 0, deleted = 0, runs = 0;
    for (Py_ssize_t e = 0; e < total; e++) {
        if (tags[e] == 'd') {
            deleted++;
            continue;
        }
        inserted++;
        if (!(e > 0 && tags[e - 1] == 'i' && src[e - 1] == src[e] && dest[e - 1] + 1 == dest[e]))
            runs++;
    }
    *out = 4 * (nq - deleted) - inserted - 3 * runs - deleted;
    status = 0;
done:
    PyMem_Free(masks);
    PyMem_Free(matrix);
    PyMem_Free(tags);
    PyMem_Free(src);
    PyMem_Free(dest);
    return status;
}

static PyObject *
alignment_score(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *q, *s;
    if (!PyArg_ParseTuple(args, "UU:alignment_score", &q, &s))
        return NULL;
    Py_ssize_t nq = PyUnicode_GET_LENGTH(q), ns = PyUnicode_GET_LENGTH(s), score4;
    Py_UCS4 *ids = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(nq + ns + 1));
    if (ids == NULL)
        return PyErr_NoMemory();
    /* the characters renumbered from 0, so the masks can be a table */
    WordRef *refs = PyMem_Malloc(sizeof(WordRef) * (size_t)(nq + ns + 1));
    if (refs == NULL) {
        PyMem_Free(ids);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < nq + ns; i++) {
        PyObject *str = i < nq ? q : s;
        Py_ssize_t at = i < nq ? i : i - nq;
        refs[i].kind = PyUnicode_KIND(str);
        refs[i].data = PyUnicode_DATA(str);
        refs[i].start = at;
        refs[i].len = 1;
        refs[i].hash = word_hash(refs[i].kind, refs[i].data, at, 1);
    }
    PyObject *out = NULL;
    if (number_words(refs, nq + ns, ids) == 0 && alignment_score4(ids, nq, ids + nq, ns, nq + ns, &score4) == 0)
        out = PyFloat_FromDouble((double)score4 / 4.0);
    PyMem_Free(ids);
    PyMem_Free(refs);
    return out;
}

/* quotematch.QuoteIndex._refine (its Python body is the reference): ``stream`` the word stream,
   ``words`` the quote sentence's clean words, [a, b) the rough alignment, ``reach`` _REFINE_REACH.
   Returns (similarity 0..1, start, end), or None where Python is to decide: words not split by
   single blanks alone, a stream of fewer than three characters, a rough alignment that does
   not snap to a word. */
static PyObject *
refine(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *stream, *words;
    Py_ssize_t a, b, reach;
    if (!PyArg_ParseTuple(args, "UUnnn:refine", &stream, &words, &a, &b, &reach))
        return NULL;
    int skind = PyUnicode_KIND(stream), wkind = PyUnicode_KIND(words);
    const void *sdata = PyUnicode_DATA(stream), *wdata = PyUnicode_DATA(words);
    Py_ssize_t slen = PyUnicode_GET_LENGTH(stream), wlen = PyUnicode_GET_LENGTH(words);
    if (slen < 3 || reach < 0 || !snap(skind, sdata, slen, &a, &b))
        Py_RETURN_NONE;
    /* the quote's words: words.split() when its only whitespace is single blanks between words */
    Py_ssize_t nq = 0;
    for (Py_ssize_t i = 0; i < wlen; i++) {
        Py_UCS4 ch = PyUnicode_READ(wkind, wdata, i);
        if (ch == ' ') {
            if (i == 0 || i == wlen - 1 || PyUnicode_READ(wkind, wdata, i - 1) == ' ')
                Py_RETURN_NONE;
        }
        else if (Py_UNICODE_ISSPACE(ch)) {
            Py_RETURN_NONE;
        }
        else if (i == 0 || PyUnicode_READ(wkind, wdata, i - 1) == ' ') {
            nq++;
        }
    }
    if (nq == 0)
        Py_RETURN_NONE;
    /* the words from ``reach`` before the one at a to ``reach`` after the one ending at b */
    Py_ssize_t lo = a, hi = b;
    for (Py_ssize_t r = 0; r < reach; r++) {
        Py_ssize_t j = blank_before(skind, sdata, slen, lo - 1);
        if (j < 0)
            break;
        lo = j + 1;
    }
    for (Py_ssize_t r = 0; r < reach; r++) {
        Py_ssize_t j = blank_after(skind, sdata, slen, hi + 1);
        if (j < 0)
            break;
        hi = j;
    }
    Py_ssize_t nspans = 0;
    for (Py_ssize_t i = lo; i < hi; i++) {
        if (PyUnicode_READ(skind, sdata, i) != ' ' && (i == lo || PyUnicode_READ(skind, sdata, i - 1) == ' '))
            nspans++;
    }
    PyObject *out = NULL;
    Py_ssize_t nrefs = nq + nspans;
    WordRef *refs = PyMem_Malloc(sizeof(WordRef) * (size_t)(nrefs + 1));
    Py_UCS4 *ids = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(nrefs + 1));
    char *is_start = PyMem_Calloc((size_t)(nspans + 1), 1), *is_end = PyMem_Calloc((size_t)(nspans + 1), 1);
    Py_ssize_t npairs = 0, *px = NULL, *py = NULL, *pi0 = NULL, *pi1 = NULL;
    Ranked *ranked = NULL;
    double *ratios = NULL;
    Pattern qp, wp;
    int have_qp = 0, have_wp = 0;
    if (refs == NULL || ids == NULL || is_start == NULL || is_end == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < wlen; i++) {
        if (PyUnicode_READ(wkind, wdata, i) == ' ')
            continue;
        Py_ssize_t j = i;
        while (j < wlen && PyUnicode_READ(wkind, wdata, j) != ' ')
            j++;
        refs[k].kind = wkind, refs[k].data = wdata, refs[k].start = i, refs[k].len = j - i;
        k++;
        i = j;
    }
    for (Py_ssize_t i = lo; i < hi; i++) {
        if (PyUnicode_READ(skind, sdata, i) == ' ')
            continue;
        Py_ssize_t j = i;
        while (j < hi && PyUnicode_READ(skind, sdata, j) != ' ')
            j++;
        refs[k].kind = skind, refs[k].data = sdata, refs[k].start = i, refs[k].len = j - i;
        k++;
        i = j;
    }
    for (Py_ssize_t i = 0; i < nrefs; i++)
        refs[i].hash = word_hash(refs[i].kind, refs[i].data, refs[i].start, refs[i].len);
    const WordRef *spans = refs + nq;
    Py_ssize_t first = -1, last = -1;
    for (Py_ssize_t i = 0; i < nspans && (first < 0 || last < 0); i++) {
        if (first < 0 && spans[i].start == a)
            first = i;
        if (last < 0 && spans[i].start + spans[i].len == b)
            last = i;
    }
    if (first < 0 || last < 0) {
        out = Py_None;
        Py_INCREF(out);
        goto done;
    }
    /* the starts tried: a word or two around a, and within ``reach`` words where the quote's first
       or second word stands; the ends likewise (the quote's last or second-to-last word) */
    Py_ssize_t heads = nq < 2 ? nq : 2;
    for (Py_ssize_t i = first - 2 > 0 ? first - 2 : 0; i < first + 2 && i < nspans; i++)
        is_start[i] = 1;
    for (Py_ssize_t i = first - reach > 0 ? first - reach : 0; i <= first + reach && i < nspans; i++) {
        for (Py_ssize_t h = 0; h < heads && !is_start[i]; h++)
            is_start[i] = (char)same_ref(&spans[i], &refs[h]);
    }
    for (Py_ssize_t i = last - 1 > 0 ? last - 1 : 0; i < last + 4 && i < nspans; i++)
        is_end[i] = 1;
    for (Py_ssize_t i = last - reach > 0 ? last - reach : 0; i <= last + reach && i < nspans; i++) {
        for (Py_ssize_t h = nq - heads; h < nq && !is_end[i]; h++)
            is_end[i] = (char)same_ref(&spans[i], &refs[h]);
    }
    Py_ssize_t nstarts = 0, nends = 0;
    for (Py_ssize_t i = 0; i < nspans; i++) {
        nstarts += is_start[i];
        nends += is_end[i];
    }
    Py_ssize_t cap = nstarts * nends + 1;
    px = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)cap);
    py = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)cap);
    pi0 = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)cap);
    pi1 = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)cap);
    ranked = PyMem_Malloc(sizeof(Ranked) * (size_t)cap);
    ratios = PyMem_Malloc(sizeof(double) * (size_t)cap);
    if (px == NULL || py == NULL || pi0 == NULL || pi1 == NULL || ranked == NULL || ratios == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < nspans; i++) {
        if (!is_start[i])
            continue;
        for (Py_ssize_t j = 0; j < nspans; j++) {
            Py_ssize_t x = spans[i].start, y = spans[j].start + spans[j].len;
            if (is_end[j] && y > x) {
                px[npairs] = x, py[npairs] = y, pi0[npairs] = i, pi1[npairs] = j + 1;
                npairs++;
            }
        }
    }
    if (npairs == 0) {
        out = Py_BuildValue("(dnn)", 0.0, a, b);
        goto done;
    }
    if (number_words(refs, nrefs, ids) < 0)
        goto done;
    if (pattern_init(&qp, PyUnicode_4BYTE_KIND, ids, nq) < 0)
        goto done;
    have_qp = 1;
    if (pattern_init(&wp, wkind, wdata, wlen) < 0)
        goto done;
    have_wp = 1;
    const Py_UCS4 *rids = ids + nq;
    double best_ratio = 0.0;
    for (Py_ssize_t j = 0; j < npairs; j++) {
        Py_ssize_t matched = pattern_lcs(&qp, PyUnicode_4BYTE_KIND, rids, pi0[j], pi1[j]);
        Py_ssize_t lensum = wlen + (py[j] - px[j]);
        double ratio = 100.0;
        if (lensum) {
            Py_ssize_t dist = lensum - 2 * pattern_lcs(&wp, skind, sdata, px[j], py[j]);
            ratio = (1.0 - (double)dist / (double)lensum) * 100.0;
        }
        ratios[j] = ratio;
        if (j == 0 || ratio > best_ratio)
            best_ratio = ratio;
        ranked[j].bound = stretch_bound(matched, nq, pi1[j] - pi0[j]);
        ranked[j].index = j;
    }
    qsort(ranked, (size_t)npairs, sizeof(Ranked), compare_ranked);
    /* the pair with the highest (word score, similarity), the first such in ``ranked`` order */
    Py_ssize_t best = -1, best_score4 = 0;
    for (Py_ssize_t r = 0; r < npairs; r++) {
        Py_ssize_t j = ranked[r].index, score4;
        if (best >= 0 && ranked[r].bound < (double)best_score4 / 4.0)
            break;
        if (alignment_score4(ids, nq, rids + pi0[j], pi1[j] - pi0[j], nrefs, &score4) < 0)
            goto done;
        if (best < 0 || score4 > best_score4
            || (score4 == best_score4 && (ratios[j] / 100.0 > ratios[best] / 100.0
                                          || (ratios[j] / 100.0 == ratios[best] / 100.0 && j < best)))) {
            best = j;
            best_score4 = score4;
        }
    }
    out = Py_BuildValue("(dnn)", best_ratio / 100.0, px[best], py[best]);
done:
    if (have_qp)
        pattern_free(&qp);
    if (have_wp)
        pattern_free(&wp);
    PyMem_Free(refs);
    PyMem_Free(ids);
    PyMem_Free(is_start);
    PyMem_Free(is_end);
    PyMem_Free(px);
    PyMem_Free(py);
    PyMem_Free(pi0);
    PyMem_Free(pi1);
    PyMem_Free(ranked);
    PyMem_Free(ratios);
    return out;
}

/* ---- speed-rules */

/* scan_simple(text, base, word_type) is clipcmd._scan_simple_py: the words of a clip command that
 * clipcmd._SIMPLE_COMMAND matches (one line of plain, '...' and "..." pieces between blanks, no
 * escape, expansion, comment or operator, every quote closed), as word_type (clipcmd.Word, a tuple
 * subclass) objects: (text after quote removal, start + base, end + base, offsets), the offsets a
 * range(i + base, j + base) for a word of one piece (its characters as written, in one run), else a
 * tuple of each character's offset + base. One pass over the characters, where Python ran a regex
 * match a word and a second one a piece. Returns None for a quote left open (the caller checks
 * first: never). */

static inline int
clip_blank(Py_UCS4 c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static PyObject *
clip_word(PyObject *word_type, PyObject *text, Py_ssize_t start, Py_ssize_t end, PyObject *offsets)
{
    /* word_type((text, start, end, offsets)) as tuple.__new__(Word, ...) builds it (the type's
     * tp_alloc, then the items), without an argument tuple; steals text and offsets */
    PyObject *a = PyLong_FromSsize_t(start), *b = PyLong_FromSsize_t(end);
    PyObject *word = (a && b) ? ((PyTypeObject *)word_type)->tp_alloc((PyTypeObject *)word_type, 4) : NULL;
    if (word == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_DECREF(text);
        Py_DECREF(offsets);
        return NULL;
    }
    PyTuple_SET_ITEM(word, 0, text);
    PyTuple_SET_ITEM(word, 1, a);
    PyTuple_SET_ITEM(word, 2, b);
    PyTuple_SET_ITEM(word, 3, offsets);
    return word;
}

static PyObject *
clip_range(Py_ssize_t a, Py_ssize_t b)
{
    /* range(a, b) */
    PyObject *args[2] = {PyLong_FromSsize_t(a), PyLong_FromSsize_t(b)};
    PyObject *r = (args[0] && args[1]) ? PyObject_Vectorcall((PyObject *)&PyRange_Type, args, 2, NULL) : NULL;
    Py_XDECREF(args[0]);
    Py_XDECREF(args[1]);
    return r;
}

static PyObject *
scan_simple(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text, *word_type;
    Py_ssize_t base;
    if (!PyArg_ParseTuple(args, "UnO", &text, &base, &word_type))
        return NULL;
    if (!PyType_Check(word_type) || !PyType_IsSubtype((PyTypeObject *)word_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "word_type must be a tuple subclass");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t i = 0;
    while (i < n) {
        if (clip_blank(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        /* a word: pieces up to the next blank (or the end) */
        Py_ssize_t start = i, pieces = 0, first_a = 0, first_b = 0;
        while (i < n) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (clip_blank(c))
                break;
            Py_ssize_t a, b;
            if (c == '\'' || c == '"') {
                Py_ssize_t j = i + 1;
                while (j < n && PyUnicode_READ(kind, data, j) != c)
                    j++;
                if (j >= n) {  /* an open quote: not a simple command */
                    Py_DECREF(out);
                    Py_RETURN_NONE;
                }
                a = i + 1, b = j, i = j + 1;
            } else {
                Py_ssize_t j = i + 1;
                while (j < n) {
                    Py_UCS4 d = PyUnicode_READ(kind, data, j);
                    if (clip_blank(d) || d == '\'' || d == '"')
                        break;
                    j++;
                }
                a = i, b = j, i = j;
            }
            if (pieces++ == 0)
                first_a = a, first_b = b;
        }
        Py_ssize_t end = i;
        PyObject *word_text, *offsets;
        if (pieces == 1) {
            word_text = PyUnicode_Substring(text, first_a, first_b);
            offsets = word_text ? clip_range(first_a + base, first_b + base) : NULL;
        } else {
            /* several pieces: their characters joined, each one's offset (as _QUOTED_PIECE reads them) */
            PyObject *parts = PyList_New(0), *offs = PyList_New(0);
            word_text = offsets = NULL;
            if (parts == NULL || offs == NULL)
                goto several_done;
            Py_ssize_t k = start;
            while (k < end) {
                Py_UCS4 c = PyUnicode_READ(kind, data, k);
                Py_ssize_t a, b;
                if (c == '\'' || c == '"') {
                    Py_ssize_t j = k + 1;
                    while (PyUnicode_READ(kind, data, j) != c)
                        j++;
                    a = k + 1, b = j, k = j + 1;
                } else {
                    Py_ssize_t j = k + 1;
                    while (j < end) {
                        Py_UCS4 d = PyUnicode_READ(kind, data, j);
                        if (d == '\'' || d == '"')
                            break;
                        j++;
                    }
                    a = k, b = j, k = j;
                }
                PyObject *piece = PyUnicode_Substring(text, a, b);
                if (piece == NULL || PyList_Append(parts, piece) < 0) {
                    Py_XDECREF(piece);
                    goto several_done;
                }
                Py_DECREF(piece);
                for (Py_ssize_t x = a; x < b; x++) {
                    PyObject *at = PyLong_FromSsize_t(x + base);
                    if (at == NULL || PyList_Append(offs, at) < 0) {
                        Py_XDECREF(at);
                        goto several_done;
                    }
                    Py_DECREF(at);
                }
            }
            {
                PyObject *empty = PyUnicode_New(0, 0);
                if (empty != NULL) {
                    word_text = PyUnicode_Join(empty, parts);
                    Py_DECREF(empty);
                }
                if (word_text != NULL) {
                    offsets = PyList_AsTuple(offs);
                    if (offsets == NULL)
                        Py_CLEAR(word_text);
                }
            }
        several_done:
            Py_XDECREF(parts);
            Py_XDECREF(offs);
        }
        if (word_text == NULL || offsets == NULL) {
            Py_XDECREF(word_text);
            Py_XDECREF(offsets);
            Py_DECREF(out);
            return NULL;
        }
        PyObject *word = clip_word(word_type, word_text, start + base, end + base, offsets);
        if (word == NULL || PyList_Append(out, word) < 0) {
            Py_XDECREF(word);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(word);
    }
    return out;
}

/* ---- speed-parse
 *
 * The note parser's and the sidecar loader's per-element loops, each with its pure-Python
 * reference (used when this module is not built; tests/test_speedups_parse.py holds them equal):
 *
 * scan_links(text, pos, block_starts, block_ends, cls, slots, slow) is note._scan_links_py: the
 * YouTube links of text[pos:] (note._LINK_RE's matches, in order, those starting inside a code
 * block left out). Every match starts with "[": at each "[" the canonical link
 * "[label](https://www.youtube.com/watch?v=ID&t=Ns)" (the regex's one path for it, decided here
 * character by character) is built here; where this code cannot say for sure that no link
 * starts (a thumbnail, another URL form), slow(text, start) -> None | (end, link | None) answers
 * with the regex (note._link_match).
 *
 * transcript_paragraphs(text, start, end, link_at, cls, slots, has_cr) is the loop of
 * note._build_transcript over note._PARAGRAPH_RE's paragraphs of text[start:end] (a transcript
 * with no code block in it), or None where Python is to answer (a link running past its
 * paragraph).
 *
 * scan_lines(text, pos, heading_cls, heading_slots, block_cls, block_slots) is note._scan_lines_py:
 * the ATX headings and fenced code blocks of text[pos:], the lines that cannot open or close one (the
 * first character but blanks not one of # ` ~ <) skipped with memchr, HTML comments left open on
 * their line skipped whole.
 *
 * quotes_in(text, start, end, section, links, link_starts, block_starts, block_ends, kinds) is
 * note._quotes_py: the block quotes of text[start:end], each line a quote line or an attribution (as
 * _ATTRIBUTION_RE and _LINK_ONLY_RE tell, decided here character by character), an attribution alone
 * after a blank line given to the quote before.
 *
 * sidecar_segments(raw, memo, cls, slots) is sidecar._segments_py for the usual sidecar (each
 * item a dict with a "timestamp" "H:MM:SS" or "HH:MM:SS"), or None where Python is to answer
 * (anything else, errors included).
 *
 * The objects are made as diagnostic._fast_builder's builders make them: each field's slot set through
 * its member descriptor (``slots``: the class's descriptors in field order; what
 * object.__setattr__ does), with no __init__ call.
 */

/* a new instance of ``cls`` with its slots set to values[0..n) (n new references, stolen, NULLs
   allowed: then the instance is not made and NULL is returned with the error set) */
static PyObject *
new_slotted(PyTypeObject *cls, PyObject *slots, PyObject **values, Py_ssize_t n)
{
    PyObject *obj = NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        if (values[i] == NULL)
            goto done;
    if (!PyTuple_Check(slots) || PyTuple_GET_SIZE(slots) != n) {
        PyErr_SetString(PyExc_ValueError, "slots: one member descriptor a field expected");
        goto done;
    }
    obj = cls->tp_alloc(cls, 0);
    if (obj == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *d = PyTuple_GET_ITEM(slots, i);
        descrsetfunc set = Py_TYPE(d)->tp_descr_set;
        if (set == NULL) {
            PyErr_SetString(PyExc_TypeError, "slots: not a member descriptor");
            Py_CLEAR(obj);
            goto done;
        }
        if (set(d, obj, values[i]) < 0) {
            Py_CLEAR(obj);
            goto done;
        }
    }
done:
    for (Py_ssize_t i = 0; i < n; i++)
        Py_XDECREF(values[i]);
    return obj;
}

#define RD(i) PyUnicode_READ(kind, data, (i))

static inline PyObject *
new_ref(PyObject *o)
{
    Py_INCREF(o);
    return o;
}

/* does text[i:n] start with the ASCII string s? */
static inline int
starts_ascii(int kind, const void *data, Py_ssize_t n, Py_ssize_t i, const char *s)
{
    for (; *s; s++, i++)
        if (i >= n || RD(i) != (Py_UCS4)(unsigned char)*s)
            return 0;
    return 1;
}

static inline int
is_digit(Py_UCS4 c)
{
    return c >= '0' && c <= '9';
}

static inline int
is_id_char(Py_UCS4 c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-';
}

/* does text[a:b] fullmatch times._TIMEISH_RE, [0-9]{1,3}(?::[0-9]{1,3}){1,3}? (each run of digits
   is whole: a fourth digit or a fifth field leaves nothing for the regex to backtrack to) */
static int
timeish(int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    Py_ssize_t i = a;
    int nfields = 0;
    for (;;) {
        Py_ssize_t d = i;
        while (i < b && is_digit(RD(i)))
            i++;
        if (i - d < 1 || i - d > 3)
            return 0;
        nfields++;
        if (i == b)
            return nfields >= 2 && nfields <= 4;
        if (RD(i) != ':')
            return 0;
        i++;
    }
}

typedef struct {
    Py_ssize_t end, label_end, url_start, url_end, vid_start, vid_end, t_start, t_end;
    Py_ssize_t img_start, img_end, img_id_start, img_id_end; /* a thumbnail's image (-1: none) */
    int ts;
} FoundLink;

/* _CANONICAL_WATCH_RE, https?://(?:www\.)?youtube\.com/watch\?v=([A-Za-z0-9_-]+)(?:&t=([0-9]+s?))?, at i
   (the text ending at n): its end, or -1; the id's and t='s spans in *L (t_start -1 when absent).
   Each part is one greedy run: backtracking into one leaves a character the next part refuses. */
static Py_ssize_t
canonical_url(int kind, const void *data, Py_ssize_t n, Py_ssize_t i, FoundLink *L)
{
    if (!starts_ascii(kind, data, n, i, "http"))
        return -1;
    i += 4;
    if (i < n && RD(i) == 's')
        i++;
    if (!starts_ascii(kind, data, n, i, "://"))
        return -1;
    i += 3;
    if (starts_ascii(kind, data, n, i, "www."))
        i += 4;
    if (!starts_ascii(kind, data, n, i, "youtube.com/watch?v="))
        return -1;
    i += 20;
    L->vid_start = i;
    while (i < n && is_id_char(RD(i)))
        i++;
    if (i == L->vid_start)
        return -1;
    L->vid_end = i;
    L->t_start = L->t_end = -1;
    if (starts_ascii(kind, data, n, i, "&t=") && i + 3 < n && is_digit(RD(i + 3))) {
        L->t_start = i += 3;
        while (i < n && is_digit(RD(i)))
            i++;
        if (i < n && RD(i) == 's')
            i++;
        L->t_end = i;
    }
    return i;
}

/* the short form "https?://youtu.be/ID" ("?t=" [0-9]+ "s"? after it, or nothing) at i: its end, or -1;
   the id's and t='s spans in *L as note._parse_youtube_url gives them for it (urlsplit: host youtu.be,
   path /ID, query t=...: the id searched for from the host on, the t= value) */
static Py_ssize_t
short_url(int kind, const void *data, Py_ssize_t n, Py_ssize_t i, FoundLink *L)
{
    Py_ssize_t host;
    if (starts_ascii(kind, data, n, i, "https://youtu.be/"))
        host = i + 8;
    else if (starts_ascii(kind, data, n, i, "http://youtu.be/"))
        host = i + 7;
    else
        return -1;
    Py_ssize_t v = host + 9, j = v;
    while (j < n && is_id_char(RD(j)))
        j++;
    if (j == v)
        return -1;
    Py_ssize_t id_len = j - v;
    L->t_start = L->t_end = -1;
    if (starts_ascii(kind, data, n, j, "?t=") && j + 3 < n && is_digit(RD(j + 3))) {
        L->t_start = j += 3;
        while (j < n && is_digit(RD(j)))
            j++;
        if (j < n && RD(j) == 's')
            j++;
        L->t_end = j;
    }
    /* url.index(id, url.lower().index("youtu.be")): the id's first occurrence from the host on
       ("youtu.be/" holds no id character but letters: an id such as "be" is found there) */
    for (Py_ssize_t at = host; at <= v; at++) {
        Py_ssize_t k = 0;
        while (k < id_len && RD(at + k) == RD(v + k))
            k++;
        if (k == id_len) {
            L->vid_start = at;
            L->vid_end = at + id_len;
            break;
        }
    }
    return j;
}

/* note._IMAGE_ID_RE.match(text[a:b]), https?://(?:img\.youtube\.com|i\d?\.ytimg\.com)/(?:vi|vi_webp)/([^/\s)]+)/,
   for an ASCII image URL: 1 and the id's span in *L, 0 when it does not match */
static int
image_id(int kind, const void *data, Py_ssize_t a, Py_ssize_t b, FoundLink *L)
{
    Py_ssize_t i = a;
    if (!starts_ascii(kind, data, b, i, "http"))
        return 0;
    i += 4;
    if (i < b && RD(i) == 's')
        i++;
    if (!starts_ascii(kind, data, b, i, "://"))
        return 0;
    i += 3;
    if (starts_ascii(kind, data, b, i, "img.youtube.com/"))
        i += 16;
    else {
        if (!starts_ascii(kind, data, b, i, "i"))
            return 0;
        i++;
        if (i < b && is_digit(RD(i)))
            i++;
        if (!starts_ascii(kind, data, b, i, ".ytimg.com/"))
            return 0;
        i += 11;
    }
    if (starts_ascii(kind, data, b, i, "vi/"))
        i += 3;
    else if (starts_ascii(kind, data, b, i, "vi_webp/"))
        i += 8;
    else
        return 0;
    Py_ssize_t id = i;
    while (i < b && RD(i) != '/' && RD(i) != ')' && !Py_UNICODE_ISSPACE(RD(i)))
        i++;
    if (i == id || i >= b || RD(i) != '/')
        return 0;
    L->img_id_start = id;
    L->img_id_end = i;
    return 1;
}

/* a thumbnail, "[![" alt "](" img ")](" turl ")", at p with its URL in the canonical form: 1 and its
   parts in *L, else -1 (the regex is to say) */
static int
thumbnail_at(int kind, const void *data, Py_ssize_t n, Py_ssize_t p, FoundLink *L)
{
    Py_ssize_t i = p + 3;
    while (i < n && RD(i) != '[' && RD(i) != ']' && RD(i) != '\n') /* alt: [^\[\]\n]* */
        i++;
    L->label_end = i;
    if (!starts_ascii(kind, data, n, i, "]("))
        return -1;
    L->img_start = i += 2;
    while (i < n && RD(i) != ')' && RD(i) != '[' && !Py_UNICODE_ISSPACE(RD(i))) /* img: [^)\s\[]+ */
        i++;
    L->img_end = i;
    if (i == L->img_start || !starts_ascii(kind, data, n, i, ")]("))
        return -1;
    L->url_start = i += 3;
    while (i < n && RD(i) != ')' && RD(i) != '[' && !Py_UNICODE_ISSPACE(RD(i))) /* turl: [^)\s\[]+ */
        i++;
    L->url_end = i;
    if (i == L->url_start || i >= n || RD(i) != ')')
        return -1;
    L->end = i + 1;
    if (canonical_url(kind, data, n, L->url_start, L) != L->url_end) /* _CANONICAL_WATCH_RE.fullmatch(turl) */
        return -1;
    for (Py_ssize_t k = L->img_start; k < L->img_end; k++)
        if (RD(k) >= 128)
            return -1; /* \d and \s are Unicode classes: the regex reads such an image URL */
    L->img_id_start = L->img_id_end = -1;
    image_id(kind, data, L->img_start, L->img_end, L);
    L->ts = 0;
    return 1;
}

/* _LINK_RE at the "[" at p: 1 when it matches there by a path decided here (its groups in *L), 0
   when it cannot match there at all, -1 when the regex is to say. Each part of those paths is one
   greedy run the regex cannot backtrack into with any success (the lookahead after the URL and
   the title's and ")"'s first characters are outside the runs' character sets). */
static int
link_at(int kind, const void *data, Py_ssize_t n, Py_ssize_t p, FoundLink *L)
{
    Py_ssize_t i = p + 1;
    L->img_start = L->img_end = L->img_id_start = L->img_id_end = -1;
    if (i + 1 < n && RD(i) == '!' && RD(i + 1) == '[')
        return thumbnail_at(kind, data, n, p, L); /* "[![": no other way to match */
    while (i < n) { /* the label, [^\[\]\n]* */
        Py_UCS4 c = RD(i);
        if (c == '[' || c == ']' || c == '\n')
            break;
        i++;
    }
    if (i >= n || RD(i) != ']')
        return 0;
    L->label_end = i;
    L->ts = timeish(kind, data, p + 1, i);
    i++;
    if (i >= n || RD(i) != '(')
        return 0;
    i++;
    int lt = i < n && RD(i) == '<';
    if (lt)
        i++;
    if (i >= n)
        return 0;
    if (RD(i) != 'h') /* both URL forms start "https?://", the second in any case */
        return RD(i) == 'H' || RD(i) >= 128 ? -1 : 0;
    L->url_start = i;
    Py_ssize_t end = canonical_url(kind, data, n, i, L);
    if (end < 0)
        end = short_url(kind, data, n, i, L);
    if (end < 0)
        return -1;
    i = end;
    if (i < n) { /* the URL ends here: (?![^)\s<>\[]) */
        Py_UCS4 c = RD(i);
        if (!(c == ')' || c == '<' || c == '>' || c == '[' || Py_UNICODE_ISSPACE(c)))
            return -1;
    }
    L->url_end = i;
    if (lt) {
        if (i >= n || RD(i) != '>')
            return -1;
        i++;
    }
    if (i < n && (RD(i) == ' ' || RD(i) == '\t')) { /* a title: [ \t]+"[^"\n]*" */
        while (i < n && (RD(i) == ' ' || RD(i) == '\t'))
            i++;
        if (i >= n || RD(i) != '"')
            return -1;
        i++;
        while (i < n && RD(i) != '"' && RD(i) != '\n')
            i++;
        if (i >= n || RD(i) != '"')
            return -1;
        i++;
    }
    if (i >= n || RD(i) != ')')
        return -1;
    L->end = i + 1;
    return 1;
}

static inline PyObject *
substring_or_none(PyObject *text, Py_ssize_t a, Py_ssize_t b)
{
    return a < 0 ? new_ref(Py_None) : PyUnicode_Substring(text, a, b);
}

static inline PyObject *
offset_or_none(Py_ssize_t a)
{
    return a < 0 ? new_ref(Py_None) : PyLong_FromSsize_t(a);
}

static Py_ssize_t *
ssize_array(PyObject *list, const char *what)
{
    if (!PyList_Check(list)) {
        PyErr_Format(PyExc_TypeError, "%s: a list of int expected", what);
        return NULL;
    }
    Py_ssize_t len = PyList_GET_SIZE(list);
    Py_ssize_t *out = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(len ? len : 1));
    if (out == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        out[i] = PyLong_AsSsize_t(PyList_GET_ITEM(list, i));
        if (out[i] == -1 && PyErr_Occurred()) {
            PyMem_Free(out);
            return NULL;
        }
    }
    return out;
}

#define LINK_FIELDS 16

static PyObject *
scan_links(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text, *bstarts_list, *bends_list, *slots, *slow;
    PyTypeObject *cls;
    Py_ssize_t pos;
    if (!PyArg_ParseTuple(args, "UnO!O!O!O!O", &text, &pos, &PyList_Type, &bstarts_list, &PyList_Type,
                          &bends_list, &PyType_Type, &cls, &PyTuple_Type, &slots, &slow))
        return NULL;
    Py_ssize_t nblocks = PyList_GET_SIZE(bstarts_list);
    if (PyList_GET_SIZE(bends_list) != nblocks) {
        PyErr_SetString(PyExc_ValueError, "block_starts and block_ends differ in length");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t *bstart = ssize_array(bstarts_list, "block_starts");
    Py_ssize_t *bend = bstart ? ssize_array(bends_list, "block_ends") : NULL;
    PyObject *links = bend ? PyList_New(0) : NULL;
    if (links == NULL)
        goto fail;
    Py_ssize_t next_block = 0;
    Py_ssize_t p = pos < 0 ? 0 : pos;
    while (p < n) {
        p = PyUnicode_FindChar(text, '[', p, n, 1); /* memchr-quick for every kind of str */
        if (p < 0) {
            if (p == -2)
                goto fail;
            break;
        }
        FoundLink L;
        int found = link_at(kind, data, n, p, &L);
        if (found == 0) {
            p++;
            continue;
        }
        Py_ssize_t end;
        PyObject *link = NULL;
        if (found < 0) {
            PyObject *answer = PyObject_CallFunction(slow, "On", text, p);
            if (answer == NULL)
                goto fail;
            if (answer == Py_None) {
                Py_DECREF(answer);
                p++;
                continue;
            }
            PyObject *got;
            if (!PyArg_ParseTuple(answer, "nO", &end, &got)) {
                Py_DECREF(answer);
                goto fail;
            }
            if (end <= p) {
                Py_DECREF(answer);
                PyErr_SetString(PyExc_ValueError, "slow: an empty or backward match");
                goto fail;
            }
            if (got != Py_None)
                link = new_ref(got);
            Py_DECREF(answer);
        } else {
            end = L.end;
        }
        /* a match starting inside a code block is left out (the blocks are sorted and disjoint) */
        while (next_block < nblocks && bend[next_block] <= p)
            next_block++;
        int in_block = next_block < nblocks && bstart[next_block] <= p;
        if (!in_block && found > 0) {
            Py_ssize_t label_start = L.img_start < 0 ? p + 1 : p + 3;
            PyObject *v[LINK_FIELDS] = {
                PyLong_FromSsize_t(p), PyLong_FromSsize_t(L.end),
                PyUnicode_Substring(text, label_start, L.label_end), PyLong_FromSsize_t(label_start),
                PyUnicode_Substring(text, L.url_start, L.url_end), PyLong_FromSsize_t(L.url_start),
                PyUnicode_Substring(text, L.vid_start, L.vid_end), PyLong_FromSsize_t(L.vid_start),
                substring_or_none(text, L.t_start, L.t_end), offset_or_none(L.t_start),
                substring_or_none(text, L.img_start, L.img_end), offset_or_none(L.img_start),
                substring_or_none(text, L.img_id_start, L.img_id_end), offset_or_none(L.img_id_start),
                new_ref(L.ts ? Py_True : Py_None), new_ref(Py_None),
            };
            link = new_slotted(cls, slots, v, LINK_FIELDS);
            if (link == NULL)
                goto fail;
        }
        if (link != NULL && !in_block) {
            if (PyList_Append(links, link) < 0) {
                Py_DECREF(link);
                goto fail;
            }
        }
        Py_XDECREF(link);
        p = end;
    }
    PyMem_Free(bstart);
    PyMem_Free(bend);
    return links;
fail:
    PyMem_Free(bstart);
    PyMem_Free(bend);
    Py_XDECREF(links);
    return NULL;
}

/* note._SPEAKER_PREFIX_RE, \*\*(?P<a>[^*\n]+?):?\*\*:?[ \t]*, matched at a with the text ending
   at b: its end (or -1) and group a's span */
static Py_ssize_t
speaker_prefix(int kind, const void *data, Py_ssize_t a, Py_ssize_t b, Py_ssize_t *name_start,
               Py_ssize_t *name_end)
{
    if (a + 2 > b || RD(a) != '*' || RD(a + 1) != '*')
        return -1;
    Py_ssize_t s = a + 2, k = s;
    if (k >= b || RD(k) == '*' || RD(k) == '\n')
        return -1;
    k++;
    Py_ssize_t after;
    for (;;) { /* the shortest name after which ":**" or "**" follows */
        if (k + 2 < b && RD(k) == ':' && RD(k + 1) == '*' && RD(k + 2) == '*') {
            after = k + 3;
            break;
        }
        if (k + 1 < b && RD(k) == '*' && RD(k + 1) == '*') {
            after = k + 2;
            break;
        }
        if (k >= b || RD(k) == '*' || RD(k) == '\n')
            return -1;
        k++;
    }
    if (after < b && RD(after) == ':')
        after++;
    while (after < b && (RD(after) == ' ' || RD(after) == '\t'))
        after++;
    *name_start = s;
    *name_end = k;
    return after;
}

/* text[a:b].strip() (str.strip() strips what Py_UNICODE_ISSPACE calls whitespace) */
static PyObject *
stripped(PyObject *text, int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    while (a < b && Py_UNICODE_ISSPACE(RD(a)))
        a++;
    while (b > a && Py_UNICODE_ISSPACE(RD(b - 1)))
        b--;
    return PyUnicode_Substring(text, a, b);
}

/* [^\S\n]: whitespace but a newline */
static inline int
is_blank(Py_UCS4 c)
{
    return c != '\n' && Py_UNICODE_ISSPACE(c);
}

/* the first character of a paragraph's line: [^\s#>] */
static inline int
opens_line(Py_UCS4 c)
{
    return c != '#' && c != '>' && !Py_UNICODE_ISSPACE(c);
}

#define PARAGRAPH_FIELDS 6

/* the offset of the first "\n" in text[i:end], else end; below -1 on an error */
static inline Py_ssize_t
line_end(PyObject *text, Py_ssize_t i, Py_ssize_t end)
{
    if (i >= end)
        return end;
    Py_ssize_t nl = PyUnicode_FindChar(text, '\n', i, end, 1); /* memchr-quick for every kind of str */
    return nl == -1 ? end : nl;
}

/* the link that starts at offset at, from link_at (borrowed; NULL with no error when none) */
static PyObject *
link_starting(PyObject *link_at, Py_ssize_t at)
{
    PyObject *key = PyLong_FromSsize_t(at);
    if (key == NULL)
        return NULL;
    PyObject *link = PyDict_GetItemWithError(link_at, key);
    Py_DECREF(key);
    return link;
}

static PyObject *
transcript_paragraphs(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text, *link_at, *slots;
    PyTypeObject *cls;
    Py_ssize_t start, end;
    int has_cr;
    if (!PyArg_ParseTuple(args, "UnnO!O!O!p", &text, &start, &end, &PyDict_Type, &link_at, &PyType_Type, &cls,
                          &PyTuple_Type, &slots, &has_cr))
        return NULL;
    static PyObject *s_end = NULL, *s_is_timestamp = NULL, *s_timestamp = NULL, *s_cr = NULL, *s_empty = NULL;
    if (s_end == NULL) {
        s_end = PyUnicode_InternFromString("end");
        s_is_timestamp = PyUnicode_InternFromString("is_timestamp");
        s_timestamp = PyUnicode_InternFromString("_timestamp");
        s_cr = PyUnicode_InternFromString("\r");
        s_empty = PyUnicode_InternFromString("");
        if (!s_end || !s_is_timestamp || !s_timestamp || !s_cr || !s_empty)
            return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (end > n)
        end = n;
    if (start < 0)
        start = 0;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    /* _PARAGRAPH_RE's "^" (MULTILINE): a match starts at a line start */
    Py_ssize_t i = start;
    if (i > 0 && i < end && RD(i - 1) != '\n') {
        while (i < end && RD(i) != '\n')
            i++;
        i++;
    }
    while (i < end) {
        Py_ssize_t j = i;
        while (j < end && is_blank(RD(j)))
            j++;
        if (j >= end || !opens_line(RD(j))) { /* no paragraph here: on to the next line */
            if ((j = line_end(text, j, end)) < -1)
                goto fail;
            i = j + 1;
            continue;
        }
        Py_ssize_t p = j, k = j + 1;
        for (;;) { /* the line's rest, then each next line that opens with [^\s#>] */
            if ((k = line_end(text, k, end)) < -1)
                goto fail;
            if (k >= end)
                break;
            Py_ssize_t t = k + 1;
            while (t < end && is_blank(RD(t)))
                t++;
            if (t >= end || !opens_line(RD(t)))
                break;
            k = t + 1;
        }
        Py_ssize_t pe = RD(k - 1) == '\r' ? k - 1 : k;
        i = k + 1; /* the line after the paragraph cannot open one: it did not continue it */

        PyObject *speaker = NULL;
        PyObject *link = link_starting(link_at, p);
        if (link == NULL && PyErr_Occurred())
            goto fail;
        Py_ssize_t ns, ne, after;
        if (link == NULL && (after = speaker_prefix(kind, data, p, pe, &ns, &ne)) >= 0) {
            PyObject *name = stripped(text, kind, data, ns, ne);
            if (name == NULL)
                goto fail;
            if (PyUnicode_GET_LENGTH(name) > 0) {
                link = link_starting(link_at, after);
                if (link == NULL && PyErr_Occurred()) {
                    Py_DECREF(name);
                    goto fail;
                }
                if (link != NULL)
                    speaker = name, name = NULL;
            }
            Py_XDECREF(name);
        }
        if (link == NULL) {
            Py_XDECREF(speaker);
            continue;
        }
        Py_INCREF(link);
        /* link.is_timestamp: the property answers _timestamp once it is known (a slot read, no call) */
        PyObject *ts = PyObject_GetAttr(link, s_timestamp);
        if (ts != NULL && !PyBool_Check(ts))
            Py_SETREF(ts, PyObject_GetAttr(link, s_is_timestamp));
        int is_ts = ts == NULL ? -1 : PyObject_IsTrue(ts);
        Py_XDECREF(ts);
        PyObject *lend = is_ts > 0 ? PyObject_GetAttr(link, s_end) : NULL;
        Py_ssize_t body_start = lend == NULL ? -1 : PyLong_AsSsize_t(lend);
        Py_XDECREF(lend);
        if (is_ts < 0 || (is_ts > 0 && body_start == -1 && PyErr_Occurred())) {
            Py_DECREF(link);
            Py_XDECREF(speaker);
            goto fail;
        }
        if (is_ts == 0) {
            Py_DECREF(link);
            Py_XDECREF(speaker);
            continue;
        }
        if (body_start > pe || body_start < p) { /* a link past its paragraph: Python answers */
            Py_DECREF(link);
            Py_XDECREF(speaker);
            Py_DECREF(out);
            Py_RETURN_NONE;
        }
        /* _BODY_LEAD_RE: [ \t]*(?:[-—][ \t]*)? */
        while (body_start < pe && (RD(body_start) == ' ' || RD(body_start) == '\t'))
            body_start++;
        if (body_start < pe && (RD(body_start) == '-' || RD(body_start) == 0x2014)) {
            body_start++;
            while (body_start < pe && (RD(body_start) == ' ' || RD(body_start) == '\t'))
                body_start++;
        }
        if (speaker == NULL && (after = speaker_prefix(kind, data, body_start, pe, &ns, &ne)) >= 0) {
            speaker = stripped(text, kind, data, ns, ne);
            if (speaker == NULL) {
                Py_DECREF(link);
                goto fail;
            }
            body_start = after;
        }
        PyObject *body = PyUnicode_Substring(text, body_start, pe);
        if (body != NULL && has_cr && PyUnicode_FindChar(body, '\r', 0, PyUnicode_GET_LENGTH(body), 1) >= 0) {
            PyObject *clean = PyUnicode_Replace(body, s_cr, s_empty, -1);
            Py_SETREF(body, clean);
        }
        PyObject *v[PARAGRAPH_FIELDS] = {
            PyLong_FromSsize_t(p), PyLong_FromSsize_t(pe), link,
            speaker == NULL ? new_ref(Py_None) : speaker, body, PyLong_FromSsize_t(body_start),
        };
        PyObject *para = new_slotted(cls, slots, v, PARAGRAPH_FIELDS);
        if (para == NULL)
            goto fail;
        int r = PyList_Append(out, para);
        Py_DECREF(para);
        if (r < 0)
            goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

#define SEGMENT_FIELDS 3

/* the seconds of an ASCII "H:MM:SS" / "HH:MM:SS" (sidecar._HMS_RE in full), or -1 */
static long
hms_seconds(PyObject *stamp)
{
    if (!PyUnicode_IS_ASCII(stamp))
        return -1; /* \d is any decimal digit: Python reads those */
    const char *s = (const char *)PyUnicode_DATA(stamp);
    Py_ssize_t len = PyUnicode_GET_LENGTH(stamp);
    Py_ssize_t h = len - 6; /* the hours' digits */
    if (h < 1 || h > 2)
        return -1;
    long hours = 0;
    for (Py_ssize_t i = 0; i < h; i++) {
        if (!is_digit((unsigned char)s[i]))
            return -1;
        hours = hours * 10 + (s[i] - '0');
    }
    s += h;
    if (s[0] != ':' || s[1] < '0' || s[1] > '5' || !is_digit((unsigned char)s[2]) || s[3] != ':' || s[4] < '0'
        || s[4] > '5' || !is_digit((unsigned char)s[5]))
        return -1;
    return hours * 3600 + ((s[1] - '0') * 10 + (s[2] - '0')) * 60 + (s[4] - '0') * 10 + (s[5] - '0');
}

static PyObject *
sidecar_segments(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *raw, *memo, *slots;
    PyTypeObject *cls;
    if (!PyArg_ParseTuple(args, "O!O!O!O!", &PyList_Type, &raw, &PyDict_Type, &memo, &PyType_Type, &cls,
                          &PyTuple_Type, &slots))
        return NULL;
    static PyObject *s_timestamp = NULL, *s_speaker = NULL, *s_text = NULL;
    if (s_timestamp == NULL) {
        s_timestamp = PyUnicode_InternFromString("timestamp");
        s_speaker = PyUnicode_InternFromString("speaker");
        s_text = PyUnicode_InternFromString("text");
        if (!s_timestamp || !s_speaker || !s_text)
            return NULL;
    }
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(raw); i++) {
        PyObject *item = PyList_GET_ITEM(raw, i);
        if (!PyDict_CheckExact(item))
            goto python;
        PyObject *stamp = PyDict_GetItemWithError(item, s_timestamp);
        if (stamp == NULL) {
            if (PyErr_Occurred())
                goto fail;
            goto python; /* "start" instead, or nothing */
        }
        if (!PyUnicode_CheckExact(stamp))
            goto python;
        PyObject *start = PyDict_GetItemWithError(memo, stamp);
        if (start == NULL && PyErr_Occurred())
            goto fail;
        if (start != NULL) {
            Py_INCREF(start);
        } else {
            long seconds = hms_seconds(stamp);
            if (seconds < 0)
                goto python;
            start = PyLong_FromLong(seconds);
            if (start == NULL || PyDict_SetItem(memo, stamp, start) < 0) {
                Py_XDECREF(start);
                goto fail;
            }
        }
        PyObject *speaker = PyDict_GetItemWithError(item, s_speaker);
        if (speaker == NULL && PyErr_Occurred()) {
            Py_DECREF(start);
            goto fail;
        }
        if (speaker != NULL && PyUnicode_Check(speaker)) {
            if (!PyUnicode_CheckExact(speaker)) {
                Py_DECREF(start);
                goto python;
            }
            speaker = stripped(speaker, PyUnicode_KIND(speaker), PyUnicode_DATA(speaker), 0,
                               PyUnicode_GET_LENGTH(speaker));
            if (speaker != NULL && PyUnicode_GET_LENGTH(speaker) == 0)
                Py_SETREF(speaker, new_ref(Py_None));
        } else {
            speaker = new_ref(Py_None);
        }
        PyObject *text = PyDict_GetItemWithError(item, s_text);
        if (text == NULL && PyErr_Occurred()) {
            Py_DECREF(start);
            Py_XDECREF(speaker);
            goto fail;
        }
        text = text != NULL && PyUnicode_Check(text) ? new_ref(text) : PyUnicode_FromStringAndSize("", 0);
        PyObject *v[SEGMENT_FIELDS] = {start, speaker, text};
        PyObject *seg = new_slotted(cls, slots, v, SEGMENT_FIELDS);
        if (seg == NULL)
            goto fail;
        int r = PyList_Append(out, seg);
        Py_DECREF(seg);
        if (r < 0)
            goto fail;
    }
    return out;
python:
    Py_DECREF(out);
    Py_RETURN_NONE;
fail:
    Py_DECREF(out);
    return NULL;
}

/* text[a:b] with str.strip()'s whitespace (Py_UNICODE_ISSPACE) taken off both ends: the new bounds */
static inline void
strip_bounds(int kind, const void *data, Py_ssize_t *a, Py_ssize_t *b)
{
    while (*a < *b && Py_UNICODE_ISSPACE(RD(*a)))
        (*a)++;
    while (*b > *a && Py_UNICODE_ISSPACE(RD(*b - 1)))
        (*b)--;
}

#define HEADING_FIELDS 5
#define BLOCK_FIELDS 6

/* note._match_heading of the line text[pos:le]: 1 with the level, the title's stripped span and the
   title offset, else 0 */
static int
match_heading(int kind, const void *data, Py_ssize_t pos, Py_ssize_t le, int *level, Py_ssize_t *ta,
              Py_ssize_t *tb, Py_ssize_t *title_start)
{
    Py_ssize_t t = pos;
    while (t < le && t - pos < 3 && RD(t) == ' ') /* " {0,3}(#{1,6})(?:[ \t]|\r?$)" */
        t++;
    Py_ssize_t r = t;
    while (r < le && r - t < 7 && RD(r) == '#')
        r++;
    if (r == t || r - t > 6)
        return 0;
    Py_UCS4 c = r < le ? RD(r) : 0;
    int blank = r < le && (c == ' ' || c == '\t');
    if (!(r == le || blank || (c == '\r' && r + 1 == le)))
        return 0;
    *level = (int)(r - t);
    if (!blank) { /* no title */
        *ta = *tb = *title_start = le;
        return 1;
    }
    Py_ssize_t cs = r;
    while (cs < le && (RD(cs) == ' ' || RD(cs) == '\t'))
        cs++;
    Py_ssize_t end = le;
    if (end > cs && RD(end - 1) == '\r')
        end--;
    while (end > cs && (RD(end - 1) == ' ' || RD(end - 1) == '\t'))
        end--;
    Py_ssize_t hashes = end; /* a closing run of "#" after a blank is not the title's */
    while (hashes > cs && RD(hashes - 1) == '#')
        hashes--;
    if (hashes < end && hashes > cs && (RD(hashes - 1) == ' ' || RD(hashes - 1) == '\t')) {
        end = hashes;
        while (end > cs && (RD(end - 1) == ' ' || RD(end - 1) == '\t'))
            end--;
    }
    *ta = cs;
    *tb = end;
    strip_bounds(kind, data, ta, tb);
    *title_start = cs;
    return 1;
}

static PyObject *
scan_lines(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text, *hslots, *bslots;
    PyTypeObject *hcls, *bcls;
    Py_ssize_t pos;
    if (!PyArg_ParseTuple(args, "UnO!O!O!O!", &text, &pos, &PyType_Type, &hcls, &PyTuple_Type, &hslots, &PyType_Type,
                          &bcls, &PyTuple_Type, &bslots))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *headings = PyList_New(0), *blocks = PyList_New(0), *info = NULL, *item = NULL;
    if (headings == NULL || blocks == NULL)
        goto fail;
    int fenced = 0;
    Py_UCS4 marker = 0;
    Py_ssize_t marker_len = 0, fence_start = 0, content_start = 0;
    if (pos < 0)
        pos = 0;
    while (pos < n) {
        /* the next line whose first character but blanks ([^\S\n]) is one of # ` ~ < */
        Py_ssize_t j = pos;
        while (j < n && is_blank(RD(j)))
            j++;
        if (j >= n)
            break;
        Py_UCS4 first = RD(j);
        if (first != '#' && first != '`' && first != '~' && first != '<') {
            Py_ssize_t nl = first == '\n' ? j : PyUnicode_FindChar(text, '\n', j, n, 1);
            if (nl < 0) {
                if (nl == -2)
                    goto fail;
                break;
            }
            pos = nl + 1;
            continue;
        }
        Py_ssize_t nl = PyUnicode_FindChar(text, '\n', j, n, 1);
        if (nl == -2)
            goto fail;
        Py_ssize_t line_end = nl < 0 ? n : nl, next_pos = nl < 0 ? n + 1 : nl + 1;
        Py_ssize_t le = line_end > pos && RD(line_end - 1) == '\r' ? line_end - 1 : line_end; /* the line */
        if (fenced) { /* closed by a line of the marker's character only, as long as the marker at least */
            Py_ssize_t a = pos, b = le;
            strip_bounds(kind, data, &a, &b);
            Py_ssize_t k = a;
            while (k < b && RD(k) == marker)
                k++;
            if (k == b && b - a >= marker_len) {
                PyObject *v[BLOCK_FIELDS] = {PyLong_FromSsize_t(fence_start), PyLong_FromSsize_t(line_end), info,
                                             PyLong_FromSsize_t(content_start), PyLong_FromSsize_t(pos),
                                             new_ref(Py_True)};
                info = NULL;
                fenced = 0;
                if ((item = new_slotted(bcls, bslots, v, BLOCK_FIELDS)) == NULL || PyList_Append(blocks, item) < 0)
                    goto fail;
                Py_CLEAR(item);
            }
            pos = next_pos;
            continue;
        }
        Py_ssize_t s = pos; /* line[:4].lstrip(" ")[:1] in ("`", "~"), then _FENCE_RE */
        while (s < le && s - pos < 4 && RD(s) == ' ')
            s++;
        if (s < le && s - pos < 4 && (RD(s) == '`' || RD(s) == '~')) {
            Py_UCS4 c = RD(s);
            Py_ssize_t r = s;
            while (r < le && RD(r) == c)
                r++;
            if (r - s >= 3 && !(c == '`' && PyUnicode_FindChar(text, '`', r, le, 1) >= 0)) {
                Py_ssize_t a = r, b = le;
                strip_bounds(kind, data, &a, &b);
                if ((info = PyUnicode_Substring(text, a, b)) == NULL)
                    goto fail;
                fenced = 1;
                marker = c;
                marker_len = r - s;
                fence_start = pos;
                content_start = next_pos < n ? next_pos : n;
                pos = next_pos;
                continue;
            }
        }
        int level;
        Py_ssize_t ta, tb, title_start;
        if (first == '#' && match_heading(kind, data, pos, le, &level, &ta, &tb, &title_start)) {
            PyObject *v[HEADING_FIELDS] = {PyLong_FromLong(level), PyUnicode_Substring(text, ta, tb),
                                           PyLong_FromSsize_t(pos), PyLong_FromSsize_t(line_end),
                                           PyLong_FromSsize_t(title_start)};
            if ((item = new_slotted(hcls, hslots, v, HEADING_FIELDS)) == NULL || PyList_Append(headings, item) < 0)
                goto fail;
            Py_CLEAR(item);
        } else if (first == '<' && starts_ascii(kind, data, le, j, "<!--")) {
            /* an HTML comment left open on its line: nothing counts up to the line that closes it */
            static PyObject *close_mark = NULL;
            if (close_mark == NULL && (close_mark = PyUnicode_InternFromString("-->")) == NULL)
                goto fail;
            Py_ssize_t on_line = PyUnicode_Find(text, close_mark, pos, le, 1);
            if (on_line == -2)
                goto fail;
            if (on_line < 0) {
                Py_ssize_t close = next_pos <= n ? PyUnicode_Find(text, close_mark, next_pos, n, 1) : -1;
                if (close == -2)
                    goto fail;
                if (close < 0)
                    break;
                Py_ssize_t nl2 = PyUnicode_FindChar(text, '\n', close, n, 1);
                if (nl2 == -2)
                    goto fail;
                next_pos = nl2 < 0 ? n + 1 : nl2 + 1;
            }
        }
        pos = next_pos;
    }
    if (fenced) { /* never closed: the block runs to the end of the note */
        PyObject *v[BLOCK_FIELDS] = {PyLong_FromSsize_t(fence_start), PyLong_FromSsize_t(n), info,
                                     PyLong_FromSsize_t(content_start), PyLong_FromSsize_t(n), new_ref(Py_False)};
        info = NULL;
        if ((item = new_slotted(bcls, bslots, v, BLOCK_FIELDS)) == NULL || PyList_Append(blocks, item) < 0)
            goto fail;
        Py_CLEAR(item);
    }
    PyObject *out = PyTuple_Pack(2, headings, blocks);
    Py_DECREF(headings);
    Py_DECREF(blocks);
    return out;
fail:
    Py_XDECREF(item);
    Py_XDECREF(info);
    Py_XDECREF(headings);
    Py_XDECREF(blocks);
    return NULL;
}

typedef struct {
    PyObject *text, *links, *quote_cls, *quote_slots, *line_cls, *line_slots, *attr_cls, *attr_slots;
    int kind;
    const void *data;
    Py_ssize_t *link_starts, nlinks, *bstart, *bend, nblocks;
} QuoteScan;

/* the first link with start >= a (bisect_left over the link starts) */
static Py_ssize_t
first_link_from(QuoteScan *q, Py_ssize_t a)
{
    Py_ssize_t lo = 0, hi = q->nlinks;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (q->link_starts[mid] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Note.in_code(offset): inside the code block that starts last at or before it */
static int
quote_in_code(QuoteScan *q, Py_ssize_t offset)
{
    Py_ssize_t lo = 0, hi = q->nblocks;
    while (lo < hi) { /* bisect_right */
        Py_ssize_t mid = (lo + hi) / 2;
        if (offset < q->bstart[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo > 0 && q->bstart[lo - 1] <= offset && offset < q->bend[lo - 1];
}

/* link.is_timestamp or link.t_text is not None: 1, 0, or -1 on an error */
static int
attributes_time(PyObject *link)
{
    static PyObject *s_timestamp = NULL, *s_is_timestamp = NULL, *s_t_text = NULL;
    if (s_timestamp == NULL) {
        s_timestamp = PyUnicode_InternFromString("_timestamp");
        s_is_timestamp = PyUnicode_InternFromString("is_timestamp");
        s_t_text = PyUnicode_InternFromString("t_text");
        if (!s_timestamp || !s_is_timestamp || !s_t_text)
            return -1;
    }
    PyObject *ts = PyObject_GetAttr(link, s_timestamp); /* the property's answer once known */
    if (ts != NULL && !PyBool_Check(ts))
        Py_SETREF(ts, PyObject_GetAttr(link, s_is_timestamp));
    if (ts == NULL)
        return -1;
    int r = PyObject_IsTrue(ts);
    Py_DECREF(ts);
    if (r != 0)
        return r;
    PyObject *t = PyObject_GetAttr(link, s_t_text);
    if (t == NULL)
        return -1;
    r = t != Py_None;
    Py_DECREF(t);
    return r;
}

static inline int
in_chars(Py_UCS4 c, const char *set)
{
    for (; *set; set++)
        if (c == (Py_UCS4)(unsigned char)*set)
            return 1;
    return 0;
}

/* note._attribution(note, start, end): a new Attribution, or NULL on an error */
static PyObject *
quote_attribution(QuoteScan *q, Py_ssize_t start, Py_ssize_t end)
{
    int kind = q->kind;
    const void *data = q->data;
    PyObject *link = NULL;
    Py_ssize_t speaker_end = end;
    for (Py_ssize_t i = first_link_from(q, start); i < q->nlinks && q->link_starts[i] < end; i++) {
        PyObject *candidate = PyList_GET_ITEM(q->links, i);
        int r = attributes_time(candidate);
        if (r < 0)
            return NULL;
        if (r) { /* the first link that gives a time */
            link = candidate;
            speaker_end = q->link_starts[i];
            break;
        }
    }
    /* speaker = text[start:speaker_end].strip().rstrip(",;:").strip(), then, when that text ends with
       "(" but blanks, .rstrip("(").strip().rstrip(",").strip() */
    Py_ssize_t a = start, b = speaker_end;
    strip_bounds(kind, data, &a, &b);
    Py_ssize_t lead = a; /* text[start:speaker_end].lstrip() starts here when anything is left */
    int paren = b > a && RD(b - 1) == '(';
    while (b > a && in_chars(RD(b - 1), ",;:"))
        b--;
    strip_bounds(kind, data, &a, &b);
    if (paren) {
        while (b > a && RD(b - 1) == '(')
            b--;
        strip_bounds(kind, data, &a, &b);
        while (b > a && RD(b - 1) == ',')
            b--;
        strip_bounds(kind, data, &a, &b);
    }
    Py_ssize_t line_start = start > 0 ? PyUnicode_FindChar(q->text, '\n', 0, start, -1) + 1 : 0;
    if (line_start < 0) /* -2 + 1: an error */
        return NULL;
    PyObject *v[5] = {PyLong_FromSsize_t(line_start), PyLong_FromSsize_t(end),
                      b > a ? PyUnicode_Substring(q->text, a, b) : new_ref(Py_None),
                      b > a ? PyLong_FromSsize_t(lead) : new_ref(Py_None), new_ref(link ? link : Py_None)};
    return new_slotted((PyTypeObject *)q->attr_cls, q->attr_slots, v, 5);
}

/* one group of consecutive ">" lines (spans in lines[0..nlines)): its Quote appended to out (merged
   into the one before when it is an attribution alone), as note._quotes_py's flush does */
static int
quote_flush(QuoteScan *q, Py_ssize_t (*lines)[2], Py_ssize_t nlines, PyObject *section, PyObject *out)
{
    int kind = q->kind;
    const void *data = q->data;
    PyObject *quote_lines = PyList_New(0), *attribution = NULL;
    if (quote_lines == NULL)
        return -1;
    for (Py_ssize_t g = 0; g < nlines; g++) {
        Py_ssize_t lstart = lines[g][0], lend = lines[g][1];
        Py_ssize_t le = lend > lstart && RD(lend - 1) == '\r' ? lend - 1 : lend; /* the line without its "\r" */
        if (q->nblocks && quote_in_code(q, lstart))
            continue;
        /* _ATTRIBUTION_RE, >[ \t]*(?:--|—|–|―|-)[ \t]*, and what may not follow it: "-" or '"' */
        Py_ssize_t i = lstart + 1;
        while (i < le && (RD(i) == ' ' || RD(i) == '\t'))
            i++;
        Py_ssize_t dash = -1;
        if (i + 1 < le && RD(i) == '-' && RD(i + 1) == '-')
            dash = i + 2;
        else if (i < le && (RD(i) == '-' || RD(i) == 0x2014 || RD(i) == 0x2013 || RD(i) == 0x2015))
            dash = i + 1;
        if (dash >= 0) {
            while (dash < le && (RD(dash) == ' ' || RD(dash) == '\t'))
                dash++;
            if (dash < le && (RD(dash) == '-' || RD(dash) == '"'))
                dash = -1;
        }
        Py_ssize_t bracket = -1;
        if (dash < 0 && i < le && RD(i) == '[') { /* _LINK_ONLY_RE, >[ \t]*\[[^\]\n]*\]\(, and a link on the line */
            Py_ssize_t k = i + 1;
            while (k < le && RD(k) != ']')
                k++;
            if (k + 1 < le && RD(k + 1) == '(') {
                Py_ssize_t f = first_link_from(q, lstart);
                if (f < q->nlinks && q->link_starts[f] < lend)
                    bracket = i;
            }
        }
        if (dash >= 0 || bracket >= 0) {
            PyObject *found = quote_attribution(q, dash >= 0 ? dash : bracket, lend);
            if (found == NULL)
                goto fail;
            Py_XSETREF(attribution, found);
            continue;
        }
        /* a line of the quote: after ">" and one blank, when anything but blanks is there */
        Py_ssize_t offset = lstart + 1;
        if (offset < le && RD(offset) == ' ')
            offset++;
        Py_ssize_t a = offset, b = le;
        strip_bounds(kind, data, &a, &b);
        if (b > a) {
            PyObject *v[2] = {PyLong_FromSsize_t(offset), PyUnicode_Substring(q->text, offset, b)};
            PyObject *line = new_slotted((PyTypeObject *)q->line_cls, q->line_slots, v, 2);
            if (line == NULL)
                goto fail;
            int r = PyList_Append(quote_lines, line);
            Py_DECREF(line);
            if (r < 0)
                goto fail;
        }
    }
    if (PyList_GET_SIZE(quote_lines) == 0 && attribution == NULL) {
        Py_DECREF(quote_lines);
        return 0;
    }
    Py_ssize_t nout = PyList_GET_SIZE(out);
    if (PyList_GET_SIZE(quote_lines) == 0 && nout > 0) { /* an attribution alone after a blank line */
        static PyObject *s_attribution = NULL, *s_end = NULL;
        if (s_attribution == NULL) {
            s_attribution = PyUnicode_InternFromString("attribution");
            s_end = PyUnicode_InternFromString("end");
            if (!s_attribution || !s_end)
                goto fail;
        }
        PyObject *before = PyList_GET_ITEM(out, nout - 1);
        PyObject *its = PyObject_GetAttr(before, s_attribution);
        if (its == NULL)
            goto fail;
        int alone = its == Py_None;
        Py_DECREF(its);
        if (alone) { /* it belongs to the quote before */
            PyObject *end = PyLong_FromSsize_t(lines[nlines - 1][1]);
            int r = end == NULL || PyObject_SetAttr(before, s_attribution, attribution) < 0
                    || PyObject_SetAttr(before, s_end, end) < 0;
            Py_XDECREF(end);
            if (r)
                goto fail;
            Py_DECREF(quote_lines);
            Py_DECREF(attribution);
            return 0;
        }
    }
    PyObject *v[5] = {PyLong_FromSsize_t(lines[0][0]), PyLong_FromSsize_t(lines[nlines - 1][1]), quote_lines,
                      attribution ? attribution : new_ref(Py_None), new_ref(section)};
    PyObject *quote = new_slotted((PyTypeObject *)q->quote_cls, q->quote_slots, v, 5);
    if (quote == NULL)
        return -1;
    int r = PyList_Append(out, quote);
    Py_DECREF(quote);
    return r;
fail:
    Py_DECREF(quote_lines);
    Py_XDECREF(attribution);
    return -1;
}

static PyObject *
quotes_in(PyObject *Py_UNUSED(self), PyObject *args)
{
    QuoteScan q;
    memset(&q, 0, sizeof q);
    PyObject *section, *starts_list, *bstarts_list, *bends_list, *kinds;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "UnnUO!O!O!O!O!", &q.text, &start, &end, &section, &PyList_Type, &q.links,
                          &PyList_Type, &starts_list, &PyList_Type, &bstarts_list, &PyList_Type, &bends_list,
                          &PyTuple_Type, &kinds))
        return NULL;
    if (!PyArg_ParseTuple(kinds, "O!O!O!O!O!O!", &PyType_Type, &q.quote_cls, &PyTuple_Type, &q.quote_slots,
                          &PyType_Type, &q.line_cls, &PyTuple_Type, &q.line_slots, &PyType_Type, &q.attr_cls,
                          &PyTuple_Type, &q.attr_slots))
        return NULL;
    if (PyList_GET_SIZE(starts_list) != PyList_GET_SIZE(q.links)
        || PyList_GET_SIZE(bstarts_list) != PyList_GET_SIZE(bends_list)) {
        PyErr_SetString(PyExc_ValueError, "quotes_in: lists of different lengths");
        return NULL;
    }
    q.kind = PyUnicode_KIND(q.text);
    q.data = PyUnicode_DATA(q.text);
    q.nlinks = PyList_GET_SIZE(q.links);
    q.nblocks = PyList_GET_SIZE(bstarts_list);
    Py_ssize_t n = PyUnicode_GET_LENGTH(q.text);
    if (end > n)
        end = n;
    PyObject *out = NULL;
    Py_ssize_t (*group)[2] = NULL, ngroup = 0, cap = 0;
    q.link_starts = ssize_array(starts_list, "link_starts");
    if (q.link_starts == NULL || (q.bstart = ssize_array(bstarts_list, "block_starts")) == NULL
        || (q.bend = ssize_array(bends_list, "block_ends")) == NULL || (out = PyList_New(0)) == NULL)
        goto fail;
    /* _QUOTE_LINE_RE, ^>[^\n]* (MULTILINE) in text[start:end]: a ">" at a line start; a run of such
       lines on consecutive lines is one group */
    Py_ssize_t p = start < 0 ? 0 : start, prev_end = -2;
    if (p > 0 && p < end && PyUnicode_READ(q.kind, q.data, p - 1) != '\n') {
        p = PyUnicode_FindChar(q.text, '\n', p, end, 1);
        if (p == -2)
            goto fail;
        p = p < 0 ? end : p + 1;
    }
    while (p < end) {
        Py_ssize_t nl = PyUnicode_FindChar(q.text, '\n', p, end, 1);
        if (nl == -2)
            goto fail;
        Py_ssize_t line_end = nl < 0 ? end : nl;
        if (PyUnicode_READ(q.kind, q.data, p) == '>') {
            if (p != prev_end + 1 && ngroup) {
                if (quote_flush(&q, group, ngroup, section, out) < 0)
                    goto fail;
                ngroup = 0;
            }
            if (ngroup == cap) {
                cap = cap ? 2 * cap : 16;
                Py_ssize_t (*more)[2] = PyMem_Realloc(group, sizeof(*group) * (size_t)cap);
                if (more == NULL) {
                    PyErr_NoMemory();
                    goto fail;
                }
                group = more;
            }
            group[ngroup][0] = p;
            group[ngroup][1] = line_end;
            ngroup++;
            prev_end = line_end;
        }
        p = line_end + 1;
    }
    if (ngroup && quote_flush(&q, group, ngroup, section, out) < 0)
        goto fail;
    PyMem_Free(group);
    PyMem_Free(q.link_starts);
    PyMem_Free(q.bstart);
    PyMem_Free(q.bend);
    return out;
fail:
    PyMem_Free(group);
    PyMem_Free(q.link_starts);
    PyMem_Free(q.bstart);
    PyMem_Free(q.bend);
    Py_XDECREF(out);
    return NULL;
}

#undef RD

static PyMethodDef methods[] = {
    {"split_clean", split_clean, METH_VARARGS,
     "split_clean(text, clean) -> list[str]: the words of text, clean verbatim when clean, "
     "joined by blanks and cut at the NUL words (quotematch._split_clean_py)."},
    {"split_stream", split_stream, METH_VARARGS,
     "split_stream(text, clean, nonascii=False) -> (stream, starts): split_clean's words as QuoteIndex's "
     "stream, and where each passage's words begin in it; nonascii: a non-ASCII character that is no "
     "letter or digit splits words too (quotematch._split_stream_py)."},
    {"find_joined", find_joined, METH_VARARGS,
     "find_joined(stream, needle, limit) -> list[tuple[int, int]]: the first ``limit`` stretches of "
     "whole words of the blank-joined stream that read ``needle`` without their blanks and "
     "apostrophes (quotematch._find_joined_py)."},
    {"ascii_tokens", ascii_tokens, METH_VARARGS,
     "ascii_tokens(text, clean, annotations) -> list[tuple[str, int, int]]: quotematch.tokens "
     "for ASCII text (its apostrophes already unified): the folded words and their spans."},
    {"rank_stretches", rank_stretches, METH_VARARGS,
     "rank_stretches(qids, rids, words, stream, pairs) -> (order, bounds, ratios): for each (x, y, i0, i1), "
     "the word bound of rids[i0:i1] against qids and fuzz.ratio(words, stream[x:y]); order: the pairs by "
     "bound, highest first, then as given (quotematch._rank_stretches_py)."},
    {"rank_candidates", rank_candidates, METH_VARARGS,
     "rank_candidates(held, count, n, k) -> list[int]: the k passages of the highest exact score, the sum "
     "of log(1 + n / len(hits)) over the sorted lists in held holding them (quotematch._rank_candidates_py)."},
    {"split_plain", split_plain, METH_VARARGS,
     "split_plain(text) -> list[tuple[int, int, str]] | None: quotematch.split_quote's sentences "
     "(start, end, words) of a quote without edits, or None where Python is to split it."},
    {"word_opcodes", word_opcodes, METH_VARARGS,
     "word_opcodes(a, b) -> list: difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() "
     "of two lists of item numbers below len(a) + len(b) (quotematch.word_diff)."},
    {"refine", refine, METH_VARARGS,
     "refine(stream, words, a, b, reach) -> (similarity, start, end) | None: QuoteIndex._refine's "
     "answer, or None where Python is to give it (see quotematch.QuoteIndex._refine)."},
    {"alignment_score", alignment_score, METH_VARARGS,
     "alignment_score(q, s) -> float: quotematch._alignment_score of two strings, a character a word "
     "(for the tests: refine computes it on its own word numbers)."},
    {"scan_simple", scan_simple, METH_VARARGS,
     "scan_simple(text, base, word_type) -> list | None: clipcmd._scan_simple_py's words of a command "
     "clipcmd._SIMPLE_COMMAND matches (None for a quote left open)."},
    {"scan_links", scan_links, METH_VARARGS,
     "scan_links(text, pos, block_starts, block_ends, cls, slots, slow) -> list: note._scan_links_py's "
     "links of text[pos:], the canonical ones built here, the others asked of slow(text, start)."},
    {"transcript_paragraphs", transcript_paragraphs, METH_VARARGS,
     "transcript_paragraphs(text, start, end, link_at, cls, slots, has_cr) -> list | None: "
     "note._build_transcript's paragraphs of text[start:end], or None where Python is to answer."},
    {"scan_lines", scan_lines, METH_VARARGS,
     "scan_lines(text, pos, heading_cls, heading_slots, block_cls, block_slots) -> (headings, code_blocks): "
     "note._scan_lines_py's headings and fenced code blocks of text[pos:]."},
    {"quotes_in", quotes_in, METH_VARARGS,
     "quotes_in(text, start, end, section, links, link_starts, block_starts, block_ends, kinds) -> list: "
     "note._quotes_py's quotes of text[start:end] (kinds: Quote, QuoteLine, Attribution and their slots)."},
    {"sidecar_segments", sidecar_segments, METH_VARARGS,
     "sidecar_segments(raw, memo, cls, slots) -> list | None: sidecar._segments_py's segments of "
     "the usual sidecar, or None where Python is to answer."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "notecheck._speedups",
    "The transcript word loops of notecheck.quotematch, in C (optional: pure-Python twins are used without it).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    init_latin1_class();
    if (PyType_Ready(&StreamIndexType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&StreamIndexType);
    if (PyModule_AddObject(m, "StreamIndex", (PyObject *)&StreamIndexType) < 0) {
        Py_DECREF(&StreamIndexType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
