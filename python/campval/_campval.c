/*
 * _campval: the CPython extension behind the campval package.
 *
 * Rules wraps one compiled campval_schema (immutable, shared by every thread). Each OS thread
 * validates in its own workspace, kept in a pthread key whose destructor frees it when the
 * thread ends, and grown (like the CLI does) when a document may need more tokens. The GIL is
 * released around campval_validate only; everything that reads the workspace (pointers,
 * messages, the problem+json text) is copied into Python objects right after, while the
 * thread still owns the workspace, so Result objects never point into C memory.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "campval.h"

static PyObject *rules_error; /* campval.RulesError, set by _set_exceptions */

/* ---- per-thread workspace --------------------------------------------------------------- */

typedef struct {
    campval_workspace *ws;
    uint64_t tokens;
} thread_ws;

static pthread_key_t ws_key;

static void thread_ws_free(void *p)
{
    thread_ws *t = p;
    campval_workspace_destroy(t->ws);
    free(t);
}

/* The calling thread's workspace, big enough for a document of len bytes; NULL on ENOMEM. */
static campval_workspace *workspace_for(size_t len)
{
    thread_ws *t = pthread_getspecific(ws_key);
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t || pthread_setspecific(ws_key, t) != 0) {
            free(t);
            return NULL;
        }
    }
    /* Every token needs at least two bytes ("1,"), so this many always suffice. */
    uint64_t want = (uint64_t)len / 2 + 2;
    if (want > 0x3FFFFFFF)
        want = 0x3FFFFFFF;
    if (want < 1024)
        want = 1024;
    if (t->ws && t->tokens >= want)
        return t->ws;
    campval_workspace_destroy(t->ws);
    t->ws = NULL;
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_tokens = (uint32_t)want;
    if (campval_workspace_create(&lim, NULL, &t->ws) != CAMPVAL_OK)
        return NULL;
    t->tokens = want;
    return t->ws;
}

/* ---- Rules ------------------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    campval_schema *schema;
} RulesObject;

static PyObject *raise_compile_error(const campval_compile_error *e)
{
    PyObject *args = Py_BuildValue("(sIIssn)", e->message, e->line, e->column, e->location,
                                   campval_code_name(e->code), (Py_ssize_t)e->offset);
    if (args) {
        PyErr_SetObject(rules_error ? rules_error : PyExc_ValueError, args);
        Py_DECREF(args);
    }
    return NULL;
}

static PyObject *rules_new_from(PyTypeObject *type, campval_schema *schema)
{
    RulesObject *self = (RulesObject *)type->tp_alloc(type, 0);
    if (!self) {
        campval_schema_free(schema);
        return NULL;
    }
    self->schema = schema;
    return (PyObject *)self;
}

/* _Rules(text: bytes) -> compiled rules; raises RulesError */
static PyObject *rules_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"text", "base_uri", NULL};
    Py_buffer text;
    const char *base_uri = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*|z", kwlist, &text, &base_uri))
        return NULL;
    campval_compile_options opt = {0};
    opt.base_uri = base_uri;
    campval_schema *schema = NULL;
    campval_compile_error err;
    memset(&err, 0, sizeof err);
    campval_code rc;
    Py_BEGIN_ALLOW_THREADS
    rc = campval_schema_compile(text.buf, (size_t)text.len, &opt, &schema, &err);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&text);
    if (rc != CAMPVAL_OK) {
        if (rc == CAMPVAL_NOMEM)
            return PyErr_NoMemory();
        return raise_compile_error(&err);
    }
    return rules_new_from(type, schema);
}

static PyTypeObject RulesType;

/* _Rules.builtin(name) */
static PyObject *rules_builtin(PyObject *cls, PyObject *arg)
{
    const char *name = PyUnicode_AsUTF8(arg);
    if (!name)
        return NULL;
    campval_schema *schema = NULL;
    campval_compile_error err;
    memset(&err, 0, sizeof err);
    campval_code rc = campval_schema_builtin(name, NULL, &schema, &err);
    if (rc != CAMPVAL_OK) {
        if (rc == CAMPVAL_NOMEM)
            return PyErr_NoMemory();
        return raise_compile_error(&err);
    }
    return rules_new_from((PyTypeObject *)cls, schema);
}

static void rules_dealloc(RulesObject *self)
{
    campval_schema_free(self->schema);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int write_bytes(void *ctx, const char *data, size_t n)
{
    PyObject *list = ctx;
    PyObject *b = PyBytes_FromStringAndSize(data, (Py_ssize_t)n);
    if (!b)
        return -1;
    int rc = PyList_Append(list, b);
    Py_DECREF(b);
    return rc;
}

/* Copy one error out of the workspace: (code, pointer, line, column, message, keyword,
 * keyword_location, offset). */
static PyObject *error_tuple(const campval_workspace *ws, const campval_error *e)
{
    char small[512];
    size_t n = campval_error_pointer(ws, e, small, sizeof small);
    PyObject *ptr;
    if (n < sizeof small) {
        ptr = PyUnicode_DecodeUTF8(small, (Py_ssize_t)n, "replace");
    } else {
        char *big = malloc(n + 1);
        if (!big)
            return PyErr_NoMemory();
        campval_error_pointer(ws, e, big, n + 1);
        ptr = PyUnicode_DecodeUTF8(big, (Py_ssize_t)n, "replace");
        free(big);
    }
    if (!ptr)
        return NULL;
    n = campval_error_message(ws, e, small, sizeof small);
    PyObject *msg;
    if (n < sizeof small) {
        msg = PyUnicode_DecodeUTF8(small, (Py_ssize_t)n, "replace");
    } else {
        char *big = malloc(n + 1);
        if (!big) {
            Py_DECREF(ptr);
            return PyErr_NoMemory();
        }
        campval_error_message(ws, e, big, n + 1);
        msg = PyUnicode_DecodeUTF8(big, (Py_ssize_t)n, "replace");
        free(big);
    }
    if (!msg) {
        Py_DECREF(ptr);
        return NULL;
    }
    return Py_BuildValue("(sNIINssns)", campval_code_name(e->code), ptr, e->line, e->column, msg,
                         e->keyword ? e->keyword : "",
                         e->keyword_location ? e->keyword_location : "",
                         (Py_ssize_t)e->offset, campval_severity_name(e->severity));
}

/*
 * _Rules.validate(body: bytes-like, first_error=False, warnings=True, at=0)
 *   -> (valid, code_name, http_status, errors_dropped, problem_json, [finding tuples],
 *       errors_found, warnings_found)
 * Finding tuples come in document order, errors and warnings alike, each ending with its
 * severity name; the counts include findings not recorded. warnings=False passes
 * CAMPVAL_NO_WARNINGS (warning subschemas are not evaluated). at: the
 * day the campaign runs as a Unix time (campval_preflight.at; 0: now), set on the thread's
 * workspace for this call.
 */
static PyObject *rules_validate(RulesObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"body", "first_error", "warnings", "at", NULL};
    Py_buffer body;
    int first_error = 0, warnings = 1;
    long long at = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*|ppL", kwlist, &body, &first_error,
                                     &warnings, &at))
        return NULL;
    uint32_t flags = (first_error ? CAMPVAL_FIRST_ERROR : 0u) |
                     (warnings ? 0u : CAMPVAL_NO_WARNINGS);
    campval_workspace *ws = workspace_for((size_t)body.len);
    if (!ws) {
        PyBuffer_Release(&body);
        return PyErr_NoMemory();
    }
    /* every call sets it: the workspace outlives the call, another may have set another day */
    campval_preflight pf;
    memset(&pf, 0, sizeof pf);
    pf.at = (int64_t)at;
    campval_code prc = campval_workspace_set_preflight(ws, &pf);
    if (prc != CAMPVAL_OK) {
        PyBuffer_Release(&body);
        if (prc == CAMPVAL_BAD_ARGUMENT)
            PyErr_SetString(PyExc_ValueError,
                            "at must be a Unix time from 0 to 253402300799 (9999-12-31)");
        else
            PyErr_SetString(PyExc_RuntimeError, "campval_workspace_set_preflight failed");
        return NULL;
    }
    campval_result res;
    Py_BEGIN_ALLOW_THREADS
    campval_validate(self->schema, ws, body.buf, (size_t)body.len, flags, &res);
    Py_END_ALLOW_THREADS

    /* Copy everything out now: the workspace (and body) are only valid until the next call. */
    PyObject *out = NULL, *errors = NULL, *problem = NULL, *chunks = PyList_New(0);
    if (!chunks)
        goto done;
    if (campval_write_result(ws, &res, CAMPVAL_OUTPUT_PROBLEM, NULL, write_bytes, chunks) !=
        CAMPVAL_OK) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_RuntimeError, "campval_write_result failed");
        goto done;
    }
    PyObject *empty = PyBytes_FromStringAndSize("", 0);
    if (!empty)
        goto done;
    PyObject *joined = _PyBytes_Join(empty, chunks);
    Py_DECREF(empty);
    if (!joined)
        goto done;
    problem = PyUnicode_DecodeUTF8(PyBytes_AS_STRING(joined), PyBytes_GET_SIZE(joined), "strict");
    Py_DECREF(joined);
    if (!problem)
        goto done;
    errors = PyList_New((Py_ssize_t)res.error_count);
    if (!errors)
        goto done;
    for (size_t i = 0; i < res.error_count; i++) {
        PyObject *t = error_tuple(ws, &res.errors[i]);
        if (!t)
            goto done;
        PyList_SET_ITEM(errors, (Py_ssize_t)i, t);
    }
    out = Py_BuildValue("(OsinOOnn)", res.valid ? Py_True : Py_False, campval_code_name(res.code),
                        campval_http_status(res.code), (Py_ssize_t)res.errors_dropped, problem,
                        errors, (Py_ssize_t)res.found[CAMPVAL_SEVERITY_ERROR],
                        (Py_ssize_t)res.found[CAMPVAL_SEVERITY_WARNING]);
done:
    Py_XDECREF(chunks);
    Py_XDECREF(problem);
    Py_XDECREF(errors);
    PyBuffer_Release(&body);
    return out;
}

static PyObject *rules_memory(RulesObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSize_t(campval_schema_memory(self->schema));
}

static PyMethodDef rules_methods[] = {
    {"builtin", (PyCFunction)rules_builtin, METH_O | METH_CLASS,
     "Compile the built-in rules set of that name."},
    {"validate", (PyCFunction)(void (*)(void))rules_validate, METH_VARARGS | METH_KEYWORDS,
     "Validate a bytes-like body; returns a raw tuple (see campval.Rules.validate)."},
    {"memory", (PyCFunction)rules_memory, METH_NOARGS, "Bytes the compiled rules hold."},
    {NULL, NULL, 0, NULL}};

static PyTypeObject RulesType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "campval._campval._Rules",
    .tp_basicsize = sizeof(RulesObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Compiled campval rules (immutable, shared by threads).",
    .tp_new = rules_new,
    .tp_dealloc = (destructor)rules_dealloc,
    .tp_methods = rules_methods,
};

/* ---- module functions ------------------------------------------------------------------- */

static PyObject *mod_set_exceptions(PyObject *m, PyObject *arg)
{
    (void)m;
    Py_XINCREF(arg);
    Py_XSETREF(rules_error, arg);
    Py_RETURN_NONE;
}

/* codes() -> {name: number} from the header's list: the only source of code names. */
static PyObject *mod_codes(PyObject *m, PyObject *Py_UNUSED(ignored))
{
    (void)m;
    PyObject *d = PyDict_New();
    if (!d)
        return NULL;
#define CAMPVAL_X_(name, num, msg)                                                                 \
    do {                                                                                           \
        PyObject *v = PyLong_FromLong(num);                                                        \
        if (!v || PyDict_SetItemString(d, campval_code_name(CAMPVAL_##name), v) < 0) {             \
            Py_XDECREF(v);                                                                         \
            Py_DECREF(d);                                                                          \
            return NULL;                                                                           \
        }                                                                                          \
        Py_DECREF(v);                                                                              \
    } while (0);
    CAMPVAL_CODES(CAMPVAL_X_)
#undef CAMPVAL_X_
    return d;
}

static PyObject *mod_builtins(PyObject *m, PyObject *Py_UNUSED(ignored))
{
    (void)m;
    size_t n = campval_builtin_count();
    PyObject *l = PyList_New(0);
    for (size_t i = 0; l && i < n; i++) {
        const char *desc = NULL;
        const char *name = campval_builtin_name(i, &desc);
        PyObject *t = Py_BuildValue("(ss)", name, desc ? desc : "");
        if (!t || PyList_Append(l, t) < 0) {
            Py_XDECREF(t);
            Py_CLEAR(l);
            break;
        }
        Py_DECREF(t);
    }
    return l;
}

static PyMethodDef mod_methods[] = {
    {"_set_exceptions", mod_set_exceptions, METH_O, "Set the class raised for compile errors."},
    {"codes", mod_codes, METH_NOARGS, "Every code name and its number."},
    {"builtins", mod_builtins, METH_NOARGS, "Built-in rules sets: [(name, description)]."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "_campval", NULL, -1, mod_methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__campval(void);
PyMODINIT_FUNC PyInit__campval(void)
{
    if (pthread_key_create(&ws_key, thread_ws_free) != 0)
        return PyErr_NoMemory();
    if (PyType_Ready(&RulesType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moddef);
    if (!m)
        return NULL;
    Py_INCREF(&RulesType);
    if (PyModule_AddObject(m, "_Rules", (PyObject *)&RulesType) < 0 ||
        PyModule_AddStringConstant(m, "version", campval_version()) < 0) {
        Py_DECREF(&RulesType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
