/*
 * ngx_http_campval_module: validate JSON request bodies with campval before they are proxied.
 *
 * The handler sits in the PRECONTENT phase, so it runs after every access check (allow/deny,
 * auth_basic, auth_request, `satisfy`): bodies of clients that are refused anyway are never read
 * or validated, and a valid body cannot turn `satisfy any` into a grant, which an ACCESS-phase
 * handler returning NGX_OK would. It reads the whole body with
 * ngx_http_read_client_request_body and re-enters the phase engine when the body is complete
 * (the mirror module's pattern); the body stays in r->request_body, untouched, for proxy_pass
 * and the other content handlers.
 *
 * Rules are compiled once, when the configuration is read, and shared by all workers; so are
 * do-not-call lists (campval_suppress), loaded by the master before it forks. Each worker has
 * one campval workspace; validation allocates nothing. A body nginx is to keep in memory is
 * read into one block (ngx_http_campval_one_block) and validated in place; one that nginx kept
 * in separate buffers (chunked) or in a temporary file is copied into one buffer: the worker's
 * own, reused, up to NGX_HTTP_CAMPVAL_BODY_KEEP bytes, a request-pool one above that. The
 * problem+json response is built in the request pool.
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <stdio.h>
#include <string.h>

#include "campval.h"


#define NGX_HTTP_CAMPVAL_LOG_ERRORS  5   /* errors quoted in one log line */

/*
 * Bodies in pieces up to this size are joined in a buffer the worker keeps, not in the request
 * pool: a pool block that large is a malloc and a free per request, and glibc then moved the
 * heap top (brk) about once every nine requests under load.
 */
#define NGX_HTTP_CAMPVAL_BODY_KEEP   (1024 * 1024)

#define NGX_HTTP_CAMPVAL_FAIL_ON_ERROR    0
#define NGX_HTTP_CAMPVAL_FAIL_ON_WARNING  1


typedef struct {
    ngx_str_t                  key;      /* built-in name or full path of the rules file */
    campval_schema            *schema;
} ngx_http_campval_rules_t;


typedef struct {
    ngx_str_t                  path;     /* full path of the list */
    campval_numbers           *numbers;
} ngx_http_campval_suppress_t;


typedef struct {
    ngx_array_t                rules;    /* of ngx_http_campval_rules_t: one compile per key */
    ngx_array_t                suppress; /* of ngx_http_campval_suppress_t: one load per path */
    ngx_uint_t                 max_errors;   /* largest campval_max_errors in use */
    ngx_int_t                  request_id;   /* index of $request_id */
    ngx_flag_t                 used;
} ngx_http_campval_main_conf_t;


typedef struct {
    campval_schema            *schema;
    ngx_str_t                  rules;    /* as written, for log lines */
    ngx_flag_t                 enable;
    ngx_int_t                  status;
    ngx_int_t                  max_errors;
    ngx_flag_t                 first_error;
    ngx_flag_t                 allow_duplicate_keys;
    ngx_uint_t                 log_level;
    ngx_uint_t                 fail_on;  /* NGX_HTTP_CAMPVAL_FAIL_ON_* */
    campval_numbers           *suppress; /* NULL: no list (none, or campval_suppress off) */
    ngx_uint_t                 suppress_flags;   /* campval_preflight_flags */
} ngx_http_campval_loc_conf_t;


typedef struct {
    ngx_int_t                  status;   /* what the phase handler returns when re-entered */
    ngx_buf_t                 *header_in;    /* r->header_in, while ours reads the body */
} ngx_http_campval_ctx_t;


/* The problem+json rendered by campval_write_result, gathered into request-pool buffers. */
typedef struct {
    ngx_pool_t                *pool;
    ngx_chain_t               *first;
    ngx_chain_t              **last;
    ngx_buf_t                 *buf;
    off_t                      size;
} ngx_http_campval_out_t;


static ngx_int_t ngx_http_campval_handler(ngx_http_request_t *r);
static void ngx_http_campval_body_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_campval_check(ngx_http_request_t *r);
static ngx_int_t ngx_http_campval_one_block(ngx_http_request_t *r,
    ngx_http_campval_ctx_t *ctx);
static ngx_int_t ngx_http_campval_body(ngx_http_request_t *r, u_char **data,
    size_t *len);
static u_char *ngx_http_campval_join_buffer(ngx_http_request_t *r, size_t size);
static ngx_int_t ngx_http_campval_is_json(ngx_http_request_t *r);
static ngx_int_t ngx_http_campval_reject_type(ngx_http_request_t *r);
static ngx_int_t ngx_http_campval_send_problem(ngx_http_request_t *r,
    campval_workspace *ws, const campval_result *res, ngx_uint_t status);
static ngx_int_t ngx_http_campval_send(ngx_http_request_t *r, ngx_uint_t status,
    ngx_chain_t *out, off_t size);
static int ngx_http_campval_write(void *ctx, const char *data, size_t n);
static void ngx_http_campval_log(ngx_http_request_t *r,
    ngx_http_campval_loc_conf_t *lcf, campval_workspace *ws,
    const campval_result *res, ngx_uint_t status);
static ngx_str_t ngx_http_campval_request_id(ngx_http_request_t *r);
static ngx_int_t ngx_http_campval_warnings_header(ngx_http_request_t *r,
    size_t warnings);
static campval_workspace *ngx_http_campval_workspace(ngx_log_t *log,
    ngx_http_campval_main_conf_t *mcf);

static char *ngx_http_campval_rules(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_campval(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_campval_suppress(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static campval_numbers *ngx_http_campval_load_numbers(ngx_conf_t *cf,
    ngx_str_t *value, ngx_str_t *path);
static void ngx_http_campval_numbers_cleanup(void *data);
static campval_schema *ngx_http_campval_compile(ngx_conf_t *cf,
    ngx_str_t *rules, ngx_str_t *key);
static ngx_int_t ngx_http_campval_is_builtin(ngx_str_t *name);
static u_char *ngx_http_campval_read_file(ngx_conf_t *cf, const char *path,
    size_t *len, ngx_err_t *err);
static int ngx_http_campval_load(void *ctx, const char *uri, const char **text,
    size_t *len);
static void ngx_http_campval_schema_cleanup(void *data);

static void *ngx_http_campval_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_campval_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_campval_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static ngx_int_t ngx_http_campval_init(ngx_conf_t *cf);
static ngx_int_t ngx_http_campval_init_process(ngx_cycle_t *cycle);
static void ngx_http_campval_exit_process(ngx_cycle_t *cycle);


static ngx_conf_num_bounds_t  ngx_http_campval_status_bounds = {
    ngx_conf_check_num_bounds, 400, 599
};

static ngx_conf_num_bounds_t  ngx_http_campval_max_errors_bounds = {
    ngx_conf_check_num_bounds, 1, 100000
};

static ngx_conf_enum_t  ngx_http_campval_log_levels[] = {
    { ngx_string("error"), NGX_LOG_ERR },
    { ngx_string("warn"), NGX_LOG_WARN },
    { ngx_string("notice"), NGX_LOG_NOTICE },
    { ngx_string("info"), NGX_LOG_INFO },
    { ngx_null_string, 0 }
};

static ngx_conf_enum_t  ngx_http_campval_fail_on[] = {
    { ngx_string("error"), NGX_HTTP_CAMPVAL_FAIL_ON_ERROR },
    { ngx_string("warning"), NGX_HTTP_CAMPVAL_FAIL_ON_WARNING },
    { ngx_null_string, 0 }
};

static ngx_conf_enum_t  ngx_http_campval_suppress_severity[] = {
    { ngx_string("error"), 0 },
    { ngx_string("warning"), CAMPVAL_PREFLIGHT_SUPPRESS_AS_WARNING },
    { ngx_null_string, 0 }
};


#define NGX_HTTP_CAMPVAL_CONF                                                 \
    (NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF)

static ngx_command_t  ngx_http_campval_commands[] = {

    { ngx_string("campval_rules"),
      NGX_HTTP_CAMPVAL_CONF|NGX_CONF_TAKE1,
      ngx_http_campval_rules,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("campval"),
      NGX_HTTP_CAMPVAL_CONF|NGX_CONF_FLAG,
      ngx_http_campval,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("campval_status"),
      NGX_HTTP_CAMPVAL_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_campval_loc_conf_t, status),
      &ngx_http_campval_status_bounds },

    { ngx_string("campval_max_errors"),
      NGX_HTTP_CAMPVAL_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_campval_loc_conf_t, max_errors),
      &ngx_http_campval_max_errors_bounds },

    { ngx_string("campval_first_error"),
      NGX_HTTP_CAMPVAL_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_campval_loc_conf_t, first_error),
      NULL },

    { ngx_string("campval_allow_duplicate_keys"),
      NGX_HTTP_CAMPVAL_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_campval_loc_conf_t, allow_duplicate_keys),
      NULL },

    { ngx_string("campval_log_level"),
      NGX_HTTP_CAMPVAL_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_enum_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_campval_loc_conf_t, log_level),
      &ngx_http_campval_log_levels },

    { ngx_string("campval_fail_on"),
      NGX_HTTP_CAMPVAL_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_enum_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_campval_loc_conf_t, fail_on),
      &ngx_http_campval_fail_on },

    { ngx_string("campval_suppress"),
      NGX_HTTP_CAMPVAL_CONF|NGX_CONF_TAKE1,
      ngx_http_campval_suppress,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("campval_suppress_severity"),
      NGX_HTTP_CAMPVAL_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_enum_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_campval_loc_conf_t, suppress_flags),
      &ngx_http_campval_suppress_severity },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_campval_module_ctx = {
    NULL,                                  /* preconfiguration */
    ngx_http_campval_init,                 /* postconfiguration */

    ngx_http_campval_create_main_conf,     /* create main configuration */
    NULL,                                  /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_campval_create_loc_conf,      /* create location configuration */
    ngx_http_campval_merge_loc_conf        /* merge location configuration */
};


ngx_module_t  ngx_http_campval_module = {
    NGX_MODULE_V1,
    &ngx_http_campval_module_ctx,          /* module context */
    ngx_http_campval_commands,             /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_campval_init_process,         /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_campval_exit_process,         /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


/* One workspace per worker process: workers are single-threaded. */
static campval_workspace  *ngx_http_campval_ws;
static ngx_uint_t          ngx_http_campval_ws_errors;

/* The worker's buffer for joining a body nginx holds in pieces (NGX_HTTP_CAMPVAL_BODY_KEEP). */
static u_char             *ngx_http_campval_joined;
static size_t              ngx_http_campval_joined_size;

static ngx_str_t  ngx_http_campval_request_id_name = ngx_string("request_id");

static ngx_str_t  ngx_http_campval_warnings_name = ngx_string("Campval-Warnings");
static u_char     ngx_http_campval_warnings_lc[] = "campval-warnings";
static ngx_uint_t  ngx_http_campval_warnings_hash;   /* of the above, set by init */

static const char  ngx_http_campval_type_problem[] =
    "{\"type\":\"https://campval.dev/problems/unsupported-media-type\","
    "\"title\":\"Unsupported Media Type\",\"status\":415,"
    "\"detail\":\"the request body must be JSON: Content-Type application/json "
    "or application/*+json, charset utf-8 if any\"}\n";


/* ---- request path ------------------------------------------------------------------------ */

static ngx_int_t
ngx_http_campval_handler(ngx_http_request_t *r)
{
    ngx_int_t                     rc;
    ngx_http_campval_ctx_t       *ctx;
    ngx_http_campval_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_campval_module);

    /* subrequests (auth_request, mirror, SSI) share the main request's body */
    if (!lcf->enable || r != r->main
        || !(r->method & (NGX_HTTP_POST|NGX_HTTP_PUT|NGX_HTTP_PATCH)))
    {
        return NGX_DECLINED;
    }

    ctx = ngx_http_get_module_ctx(r, ngx_http_campval_module);

    if (ctx) {
        /* re-entered: NGX_DONE while the body is read or once answered, NGX_DECLINED once valid */
        return ctx->status;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_campval_ctx_t));
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    ctx->status = NGX_DONE;
    ngx_http_set_ctx(r, ctx, ngx_http_campval_module);

    if (!ngx_http_campval_is_json(r)) {
        return ngx_http_campval_reject_type(r);
    }

    if (r->headers_in.content_length_n > (off_t) CAMPVAL_MAX_INPUT) {
        return NGX_HTTP_REQUEST_ENTITY_TOO_LARGE;
    }

    if (ngx_http_campval_one_block(r, ctx) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_read_client_request_body(r, ngx_http_campval_body_handler);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        /* 413 for a body over client_max_body_size, 400 for broken chunking, ... */
        if (ctx->header_in) {
            r->header_in = ctx->header_in;
            ctx->header_in = NULL;
        }

        return rc;
    }

    /* balances the count taken by ngx_http_read_client_request_body */
    ngx_http_finalize_request(r, NGX_DONE);
    return NGX_DONE;
}


static void
ngx_http_campval_body_handler(ngx_http_request_t *r)
{
    ngx_int_t                rc;
    ngx_http_campval_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_campval_module);

    if (ctx->header_in) {
        r->header_in = ctx->header_in;
        ctx->header_in = NULL;
    }

    rc = ngx_http_campval_check(r);

    if (rc != NGX_DECLINED) {
        ngx_http_finalize_request(r, rc);
        return;
    }

    ctx->status = NGX_DECLINED;

    /* keep the body for an error_page redirect that proxies it too */
    r->preserve_body = 1;

    r->write_event_handler = ngx_http_core_run_phases;
    ngx_http_core_run_phases(r);
}


/*
 * Have nginx read the body into one block of memory, so that it is validated in place instead
 * of being copied (ngx_http_campval_body). The part of the body that came with the headers sits
 * in r->header_in; nginx reads the rest into a buffer of its own, a second block, unless
 * r->header_in has room for it ("the whole request body may be placed in r->header_in"; it
 * leaves request_body_in_single_buf to do). So that part is copied, once, into a buffer with
 * room for the whole body, which stands in for r->header_in while nginx reads the body;
 * the body handler puts the original back, consumed as nginx would have left it.
 *
 * Only where nginx would keep the whole body in one memory buffer of its own anyway (the rest
 * under 1.25 client_body_buffer_size, its own test): the same memory and one allocation, as
 * before. Bodies that would spill to a temporary file, client_body_in_file_only, chunked
 * bodies (their length is not known) and HTTP/2 (its own reading, no preread part) are left as
 * they are.
 */
static ngx_int_t
ngx_http_campval_one_block(ngx_http_request_t *r, ngx_http_campval_ctx_t *ctx)
{
    off_t                      rest;
    size_t                     preread;
    ngx_buf_t                 *b, *hb;
    ngx_http_core_loc_conf_t  *clcf;

    /* nginx reads nothing here for these (a subrequest shares its parent's header_in) */
    if (r != r->main || r->request_body || r->discard_body
        || r->request_body_no_buffering)
    {
        return NGX_OK;
    }

    hb = r->header_in;
    preread = (size_t) (hb->last - hb->pos);

    if (preread == 0 || r->headers_in.chunked || r->request_body_in_file_only
        || r->headers_in.content_length_n <= (off_t) preread
        || r->http_version >= NGX_HTTP_VERSION_20)
    {
        return NGX_OK;
    }

    rest = r->headers_in.content_length_n - (off_t) preread;

    if (rest <= hb->end - hb->last) {
        return NGX_OK;
    }

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    if (rest >= (off_t) (clcf->client_body_buffer_size
                         + (clcf->client_body_buffer_size >> 2)))
    {
        return NGX_OK;
    }

    b = ngx_create_temp_buf(r->pool, (size_t) r->headers_in.content_length_n);
    if (b == NULL) {
        return NGX_ERROR;
    }

    b->last = ngx_cpymem(b->pos, hb->pos, preread);

    /* nothing of it is left for a pipelined request (ngx_http_set_keepalive) */
    hb->pos = hb->last;

    ctx->header_in = hb;
    r->header_in = b;

    return NGX_OK;
}


/*
 * Validate the body that was read. Returns NGX_DECLINED when it is valid, otherwise what the
 * request is finalized with (the result of sending the problem+json, or an error status).
 */
static ngx_int_t
ngx_http_campval_check(ngx_http_request_t *r)
{
    u_char                        *data;
    size_t                         len;
    size_t                         i, warnings;
    uint32_t                       flags;
    ngx_int_t                      rc;
    ngx_uint_t                     status;
    campval_code                   code;
    campval_result                 res;
    campval_preflight              pf;
    campval_workspace             *ws;
    ngx_http_campval_loc_conf_t   *lcf;
    ngx_http_campval_main_conf_t  *mcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_campval_module);
    mcf = ngx_http_get_module_main_conf(r, ngx_http_campval_module);

    rc = ngx_http_campval_body(r, &data, &len);
    if (rc != NGX_OK) {
        return rc;
    }

    ws = ngx_http_campval_workspace(r->connection->log, mcf);
    if (ws == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /*
     * Never CAMPVAL_NO_WARNINGS: the upstream gets the count, and campval_fail_on warning needs
     * them. CAMPVAL_FIRST_ERROR stops at an error only, never at a warning, so a body that
     * passes (no error) always has every warning counted; only the warnings a refused body
     * lists in its problem stop at its first error.
     */
    flags = 0;

    if (lcf->first_error) {
        flags |= CAMPVAL_FIRST_ERROR;
    }

    if (lcf->allow_duplicate_keys) {
        flags |= CAMPVAL_ALLOW_DUPLICATE_KEYS;
    }

    /*
     * The worker's one workspace serves every location: give it this location's list (or
     * none) each time. It only copies a few fields; "at" 0 is now, for the calling hours.
     */
    ngx_memzero(&pf, sizeof(campval_preflight));
    pf.suppress = lcf->suppress;
    pf.flags = (uint32_t) lcf->suppress_flags;

    code = campval_workspace_set_preflight(ws, &pf);
    if (code != CAMPVAL_OK) {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                      "campval: campval_workspace_set_preflight failed: %s (%s)",
                      campval_strerror(code), campval_code_name(code));
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    code = campval_validate(lcf->schema, ws, (const char *) data, len, flags, &res);

    warnings = res.found[CAMPVAL_SEVERITY_WARNING];

    if (code == CAMPVAL_OK && warnings > 0
        && lcf->fail_on == NGX_HTTP_CAMPVAL_FAIL_ON_WARNING)
    {
        /*
         * Refused for its warnings: a violation code picks the invalid-payload problem, whose
         * "errors" is then empty and "warnings" lists them. The first warning's code, or any
         * violation code when none was recorded (campval_max_errors 1 leaves warnings no room).
         */
        code = CAMPVAL_FALSE_SCHEMA;

        for (i = 0; i < res.error_count; i++) {
            if (res.errors[i].severity == CAMPVAL_SEVERITY_WARNING) {
                code = res.errors[i].code;
                break;
            }
        }

        res.valid = 0;
        res.code = code;
    }

    if (code == CAMPVAL_OK) {
        if (ngx_http_campval_warnings_header(r, warnings) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return NGX_DECLINED;
    }

    /*
     * The library's mapping, which its problem+json states too: 400 malformed JSON, 413 a body
     * too large or too deeply nested to parse, 422 a limit that stopped the rules on
     * well-formed JSON (refused: it was not fully checked), 422 or campval_status for rule
     * violations. 500 means rules, usage or internal codes: the server's fault.
     */
    status = (ngx_uint_t) campval_http_status(code);

    if (campval_code_class(code) == CAMPVAL_CLASS_VIOLATION) {
        status = (ngx_uint_t) lcf->status;

    } else if (status >= NGX_HTTP_INTERNAL_SERVER_ERROR) {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                      "campval: validation failed: %s (%s)",
                      campval_strerror(code), campval_code_name(code));
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* the workspace records for the largest campval_max_errors; cut to this location's */
    if (res.error_count > (size_t) lcf->max_errors) {
        res.errors_dropped += res.error_count - (size_t) lcf->max_errors;
        res.error_count = (size_t) lcf->max_errors;
    }

    ngx_http_campval_log(r, lcf, ws, &res, status);

    return ngx_http_campval_send_problem(r, ws, &res, status);
}


/*
 * The body as one contiguous buffer. A body nginx holds in memory buffers that follow each
 * other (one buffer, or the pieces read into one block: ngx_http_campval_one_block) is used in
 * place; one spread over separate buffers (chunked, say) or spilled to a temporary file is
 * copied (see ngx_http_campval_join_buffer). r->request_body itself is left exactly as it was.
 */
static ngx_int_t
ngx_http_campval_body(ngx_http_request_t *r, u_char **data, size_t *len)
{
    u_char       *p;
    off_t         size, total, done, saved;
    ssize_t       n;
    ngx_buf_t    *b;
    ngx_uint_t    nbufs, nfile;
    ngx_chain_t  *cl;

    *data = (u_char *) "";
    *len = 0;

    if (r->request_body == NULL || r->request_body->bufs == NULL) {
        return NGX_OK;
    }

    cl = r->request_body->bufs;

    if (ngx_buf_in_memory(cl->buf)) {
        p = cl->buf->last;
        nbufs = 1;

        for (cl = cl->next; cl; cl = cl->next) {
            if (!ngx_buf_in_memory(cl->buf) || cl->buf->pos != p) {
                break;
            }

            p = cl->buf->last;
            nbufs++;
        }

        if (cl == NULL) {
            *data = r->request_body->bufs->buf->pos;
            *len = (size_t) (p - *data);

            ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                           "campval body: %uz bytes in %ui buffers of one block",
                           *len, nbufs);
            return NGX_OK;
        }
    }

    total = 0;
    nbufs = 0;
    nfile = 0;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        total += ngx_buf_size(cl->buf);
        nbufs++;

        if (!ngx_buf_in_memory(cl->buf) && cl->buf->in_file) {
            nfile++;
        }
    }

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "campval body: %O bytes in %ui buffers, %ui in a file",
                   total, nbufs, nfile);

    if (total > (off_t) CAMPVAL_MAX_INPUT) {
        return NGX_HTTP_REQUEST_ENTITY_TOO_LARGE;
    }

    *data = ngx_http_campval_join_buffer(r, (size_t) total);
    if (*data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = *data;

    for (cl = r->request_body->bufs; cl; cl = cl->next) {
        b = cl->buf;

        if (ngx_buf_in_memory(b)) {
            p = ngx_cpymem(p, b->pos, b->last - b->pos);
            continue;
        }

        if (!b->in_file) {
            continue;
        }

        /* ngx_read_file moves file->offset; nothing else should see that */
        saved = b->file->offset;
        size = b->file_last - b->file_pos;

        for (done = 0; done < size; done += n) {
            n = ngx_read_file(b->file, p + done, (size_t) (size - done),
                              b->file_pos + done);

            if (n == NGX_ERROR) {
                b->file->offset = saved;
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            if (n == 0) {
                ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                              "campval: request body file \"%V\" is shorter "
                              "than expected", &b->file->name);
                b->file->offset = saved;
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }
        }

        b->file->offset = saved;
        p += size;
    }

    *len = (size_t) (p - *data);

    return NGX_OK;
}


/*
 * Room for a body of size bytes joined from its pieces: the worker's buffer, grown to a multiple
 * of 16 KB and kept, or for a body over NGX_HTTP_CAMPVAL_BODY_KEEP the request pool. The
 * worker's buffer is only read by the validation of the request being checked, which ends
 * before the next request's body can be joined.
 */
static u_char *
ngx_http_campval_join_buffer(ngx_http_request_t *r, size_t size)
{
    u_char  *p;
    size_t   want;

    if (size > NGX_HTTP_CAMPVAL_BODY_KEEP) {
        return ngx_pnalloc(r->pool, size + 1);
    }

    if (size >= ngx_http_campval_joined_size) {
        want = ngx_align(size + 1, 16384);

        p = ngx_alloc(want, r->connection->log);
        if (p == NULL) {
            return NULL;
        }

        ngx_free(ngx_http_campval_joined);
        ngx_http_campval_joined = p;
        ngx_http_campval_joined_size = want;
    }

    return ngx_http_campval_joined;
}


/* application/json or application/<anything>+json, parameters allowed, charset utf-8 only */
static ngx_int_t
ngx_http_campval_is_json(ngx_http_request_t *r)
{
    u_char  *p, *end, *type_end, *sub, *name, *value, *next;
    size_t   sublen, namelen, valuelen;

    if (r->headers_in.content_type == NULL) {
        return 0;
    }

    p = r->headers_in.content_type->value.data;
    end = p + r->headers_in.content_type->value.len;

    /* what nearly every client sends, and accepted by the parsing below */
    if (end - p == sizeof("application/json") - 1
        && ngx_memcmp(p, "application/json", sizeof("application/json") - 1) == 0)
    {
        return 1;
    }

    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }

    type_end = ngx_strlchr(p, end, ';');
    if (type_end == NULL) {
        type_end = end;
    }

    next = type_end;

    while (type_end > p && (type_end[-1] == ' ' || type_end[-1] == '\t')) {
        type_end--;
    }

    if (type_end - p < 12 || ngx_strncasecmp(p, (u_char *) "application/", 12) != 0) {
        return 0;
    }

    sub = p + 12;
    sublen = (size_t) (type_end - sub);

    if (!(sublen == 4 && ngx_strncasecmp(sub, (u_char *) "json", 4) == 0)
        && !(sublen > 5
             && ngx_strncasecmp(type_end - 5, (u_char *) "+json", 5) == 0))
    {
        return 0;
    }

    /* JSON is UTF-8 (RFC 8259 section 8.1): any other declared charset is refused */
    while (next < end) {
        name = next + 1;
        next = ngx_strlchr(name, end, ';');
        if (next == NULL) {
            next = end;
        }

        while (name < next && (*name == ' ' || *name == '\t')) {
            name++;
        }

        value = ngx_strlchr(name, next, '=');
        if (value == NULL) {
            continue;
        }

        namelen = (size_t) (value - name);
        while (namelen && (name[namelen - 1] == ' ' || name[namelen - 1] == '\t')) {
            namelen--;
        }

        if (namelen != 7 || ngx_strncasecmp(name, (u_char *) "charset", 7) != 0) {
            continue;
        }

        value++;
        valuelen = (size_t) (next - value);

        while (valuelen && (*value == ' ' || *value == '\t' || *value == '"')) {
            value++;
            valuelen--;
        }

        while (valuelen && (value[valuelen - 1] == ' ' || value[valuelen - 1] == '\t'
                            || value[valuelen - 1] == '"'))
        {
            valuelen--;
        }

        if (!(valuelen == 5 && ngx_strncasecmp(value, (u_char *) "utf-8", 5) == 0)
            && !(valuelen == 4 && ngx_strncasecmp(value, (u_char *) "utf8", 4) == 0))
        {
            return 0;
        }
    }

    return 1;
}


static ngx_int_t
ngx_http_campval_reject_type(ngx_http_request_t *r)
{
    ngx_int_t                     rc;
    ngx_buf_t                    *b;
    ngx_str_t                     id;
    ngx_chain_t                  *out;
    ngx_http_campval_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_campval_module);
    id = ngx_http_campval_request_id(r);

    if (r->headers_in.content_type) {
        ngx_log_error(lcf->log_level, r->connection->log, 0,
                      "campval: request %V rejected (415): Content-Type \"%V\" "
                      "is not JSON", &id, &r->headers_in.content_type->value);
    } else {
        ngx_log_error(lcf->log_level, r->connection->log, 0,
                      "campval: request %V rejected (415): no Content-Type", &id);
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    out = ngx_alloc_chain_link(r->pool);
    if (b == NULL || out == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->pos = (u_char *) ngx_http_campval_type_problem;
    b->last = b->pos + sizeof(ngx_http_campval_type_problem) - 1;
    b->memory = 1;

    out->buf = b;
    out->next = NULL;

    rc = ngx_http_campval_send(r, NGX_HTTP_UNSUPPORTED_MEDIA_TYPE, out,
                               b->last - b->pos);

    /* a phase handler that answered finalizes itself and stops the phase engine */
    ngx_http_finalize_request(r, rc);
    return NGX_DONE;
}


static ngx_int_t
ngx_http_campval_send_problem(ngx_http_request_t *r, campval_workspace *ws,
    const campval_result *res, ngx_uint_t status)
{
    u_char                   *p;
    ngx_http_campval_out_t    out;

    out.pool = r->pool;
    out.first = NULL;
    out.last = &out.first;
    out.buf = NULL;
    out.size = 0;

    if (campval_write_result(ws, res, CAMPVAL_OUTPUT_PROBLEM, NULL,
                             ngx_http_campval_write, &out)
        != CAMPVAL_OK || out.first == NULL)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /*
     * campval writes "status":422 for rule violations; RFC 9457 wants the member to match the
     * HTTP status, which campval_status may change (for violations only: every other answer
     * already carries campval_http_status). The member comes in the first writes (the fixed
     * head of the document), so it is in the first buffer.
     */
    if (status != 422 && campval_code_class(res->code) == CAMPVAL_CLASS_VIOLATION) {
        p = ngx_strnstr(out.first->buf->pos, "\"status\":422",
                        out.first->buf->last - out.first->buf->pos);
        if (p) {
            (void) ngx_sprintf(p + 9, "%03ui", status);
        }
    }

    return ngx_http_campval_send(r, status, out.first, out.size);
}


static ngx_int_t
ngx_http_campval_send(ngx_http_request_t *r, ngx_uint_t status, ngx_chain_t *out,
    off_t size)
{
    ngx_int_t     rc;
    ngx_chain_t  *cl;

    for (cl = out; cl->next; cl = cl->next) { /* void */ }

    cl->buf->last_buf = (r == r->main) ? 1 : 0;
    cl->buf->last_in_chain = 1;

    r->headers_out.status = status;

    if (status == 422) {
        /* nginx 1.22 has no reason phrase for 422 and would send "HTTP/1.1 422 " */
        ngx_str_set(&r->headers_out.status_line, "422 Unprocessable Content");
    }

    r->headers_out.content_length_n = size;
    ngx_str_set(&r->headers_out.content_type, "application/problem+json");
    r->headers_out.content_type_len = r->headers_out.content_type.len;
    r->headers_out.content_type_lowcase = NULL;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    return ngx_http_output_filter(r, out);
}


static int
ngx_http_campval_write(void *ctx, const char *data, size_t n)
{
    size_t                   size;
    ngx_chain_t             *cl;
    ngx_http_campval_out_t  *out = ctx;

    if (out->buf == NULL || (size_t) (out->buf->end - out->buf->last) < n) {
        size = ngx_max(n, 4096);

        out->buf = ngx_create_temp_buf(out->pool, size);
        cl = ngx_alloc_chain_link(out->pool);
        if (out->buf == NULL || cl == NULL) {
            return -1;
        }

        cl->buf = out->buf;
        cl->next = NULL;
        *out->last = cl;
        out->last = &cl->next;
    }

    out->buf->last = ngx_cpymem(out->buf->last, data, n);
    out->size += n;

    return 0;
}


/* One line per rejected request: request id, status, the first few errors with pointers. */
static void
ngx_http_campval_log(ngx_http_request_t *r, ngx_http_campval_loc_conf_t *lcf,
    campval_workspace *ws, const campval_result *res, ngx_uint_t status)
{
    u_char      *p, *q, *last;
    size_t       i, total, errors, warnings;
    ngx_str_t    id;
    char         ptr[256], msg[256];
    u_char       line[1536];
    u_char       counts[64];

    id = ngx_http_campval_request_id(r);
    total = res->error_count + res->errors_dropped;
    errors = res->found[CAMPVAL_SEVERITY_ERROR];
    warnings = res->found[CAMPVAL_SEVERITY_WARNING];

    if (errors == 0 && warnings == 0) { /* a limit's result may count nothing else */
        errors = total;
    }

    p = line;
    last = line + sizeof(line);

    for (i = 0; i < res->error_count && i < NGX_HTTP_CAMPVAL_LOG_ERRORS; i++) {
        (void) campval_error_pointer(ws, &res->errors[i], ptr, sizeof(ptr));
        (void) campval_error_message(ws, &res->errors[i], msg, sizeof(msg));

        p = ngx_slprintf(p, last, "%s\"%s\": %s [%s%s]", i ? "; " : "",
                         ptr, msg, campval_code_name(res->errors[i].code),
                         res->errors[i].severity == CAMPVAL_SEVERITY_WARNING
                         ? ", warning" : "");
    }

    if (total > i) {
        p = ngx_slprintf(p, last, "; and %uz more", total - i);
    }

    /* pointers carry member names unescaped: keep a client's control bytes out of the log */
    for (q = line; q < p; q++) {
        if (*q < 0x20 || *q == 0x7f) {
            *q = '?';
        }
    }

    q = ngx_slprintf(counts, counts + sizeof(counts), "%uz error%s", errors,
                     errors == 1 ? "" : "s");

    if (warnings > 0) {
        q = ngx_slprintf(q, counts + sizeof(counts), ", %uz warning%s", warnings,
                         warnings == 1 ? "" : "s");
    }

    ngx_log_error(lcf->log_level, r->connection->log, 0,
                  "campval: request %V rejected (%ui) by rules \"%V\": %*s: %*s",
                  &id, status, &lcf->rules, (size_t) (q - counts), counts,
                  (size_t) (p - line), line);
}


/*
 * Campval-Warnings: N on the request the upstream gets, when the body passed with N > 0
 * warnings. A client may send the header itself: every copy of it is given our count (0 when
 * there are none), so the upstream never reads a client's number as campval's.
 */
static ngx_int_t
ngx_http_campval_warnings_header(ngx_http_request_t *r, size_t warnings)
{
    u_char           *p;
    size_t            n;
    ngx_str_t         value;
    ngx_uint_t        i, seen;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    p = ngx_pnalloc(r->pool, NGX_SIZE_T_LEN);
    if (p == NULL) {
        return NGX_ERROR;
    }

    /* the digits, last first: what ngx_sprintf(p, "%uz") writes, without parsing a format */
    value.data = p + NGX_SIZE_T_LEN;
    n = warnings;

    do {
        *--value.data = (u_char) ('0' + n % 10);
        n /= 10;
    } while (n);

    value.len = (size_t) (p + NGX_SIZE_T_LEN - value.data);

    seen = 0;
    part = &r->headers_in.headers.part;
    h = part->elts;

    for (i = 0; /* void */; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                break;
            }

            part = part->next;
            h = part->elts;
            i = 0;
        }

        if (h[i].key.len == ngx_http_campval_warnings_name.len
            && ngx_strncasecmp(h[i].key.data, ngx_http_campval_warnings_lc,
                               h[i].key.len) == 0)
        {
            h[i].value = value;
            seen = 1;
        }
    }

    if (seen || warnings == 0) {
        return NGX_OK;
    }

    h = ngx_list_push(&r->headers_in.headers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    h->key = ngx_http_campval_warnings_name;
    h->value = value;
    h->lowcase_key = ngx_http_campval_warnings_lc;
    h->hash = ngx_http_campval_warnings_hash;
#if (nginx_version >= 1023000)
    h->next = NULL;
#endif

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "campval: body passed with %uz warnings", warnings);

    return NGX_OK;
}


static ngx_str_t
ngx_http_campval_request_id(ngx_http_request_t *r)
{
    u_char                        *p;
    ngx_str_t                      id;
    ngx_http_variable_value_t     *vv;
    ngx_http_campval_main_conf_t  *mcf;

    mcf = ngx_http_get_module_main_conf(r, ngx_http_campval_module);

    /* indexed, so the value is the one access_log and add_header show for this request */
    vv = ngx_http_get_indexed_variable(r, (ngx_uint_t) mcf->request_id);

    if (vv && !vv->not_found && vv->len) {
        id.data = vv->data;
        id.len = vv->len;
        return id;
    }

    /* without $request_id: connection number and request number on it */
    p = ngx_pnalloc(r->pool, NGX_ATOMIC_T_LEN + NGX_INT_T_LEN + 2);
    if (p == NULL) {
        ngx_str_set(&id, "-");
        return id;
    }

    id.data = p;
    id.len = ngx_sprintf(p, "%uA-%ui", r->connection->number,
                         r->connection->requests) - p;
    return id;
}


/*
 * The worker's workspace, sized for the largest campval_max_errors of the configuration.
 * Made in init_process; made here if that failed or the configuration changed in a single
 * process (master_process off) reload.
 */
static campval_workspace *
ngx_http_campval_workspace(ngx_log_t *log, ngx_http_campval_main_conf_t *mcf)
{
    campval_code    rc;
    campval_limits  lim;

    if (ngx_http_campval_ws && ngx_http_campval_ws_errors == mcf->max_errors) {
        return ngx_http_campval_ws;
    }

    campval_workspace_destroy(ngx_http_campval_ws);
    ngx_http_campval_ws = NULL;

    campval_limits_default(&lim);
    lim.max_errors = (uint32_t) mcf->max_errors;

    rc = campval_workspace_create(&lim, NULL, &ngx_http_campval_ws);

    if (rc != CAMPVAL_OK) {
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "campval: cannot create a workspace of %uz bytes: %s",
                      campval_workspace_size(&lim), campval_strerror(rc));
        ngx_http_campval_ws = NULL;
        return NULL;
    }

    ngx_http_campval_ws_errors = mcf->max_errors;

    return ngx_http_campval_ws;
}


/* ---- configuration ----------------------------------------------------------------------- */

static char *
ngx_http_campval_rules(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_campval_loc_conf_t *lcf = conf;

    ngx_str_t                     *value, key;
    ngx_uint_t                     i;
    campval_schema                *schema;
    ngx_http_campval_rules_t      *cached;
    ngx_http_campval_main_conf_t  *mcf;

    if (lcf->schema != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (value[1].len == 0) {
        return "needs a built-in rules name or a file";
    }

    key = value[1];

    if (!ngx_http_campval_is_builtin(&key)
        && ngx_conf_full_name(cf->cycle, &key, 1) != NGX_OK)
    {
        return NGX_CONF_ERROR;
    }

    /* locations naming the same rules share one compiled schema */
    mcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_campval_module);
    cached = mcf->rules.elts;
    schema = NULL;

    for (i = 0; i < mcf->rules.nelts; i++) {
        if (cached[i].key.len == key.len
            && ngx_strncmp(cached[i].key.data, key.data, key.len) == 0)
        {
            schema = cached[i].schema;
            break;
        }
    }

    if (schema == NULL) {
        schema = ngx_http_campval_compile(cf, &value[1], &key);
        if (schema == NULL) {
            return NGX_CONF_ERROR;
        }

        cached = ngx_array_push(&mcf->rules);
        if (cached == NULL) {
            return NGX_CONF_ERROR;
        }

        cached->key = key;
        cached->schema = schema;
    }

    lcf->schema = schema;
    lcf->rules = value[1];

    if (lcf->enable == NGX_CONF_UNSET) {
        lcf->enable = 1;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_campval(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_campval_loc_conf_t *lcf = conf;

    ngx_str_t  *value;

    value = cf->args->elts;

    /* not ngx_conf_set_flag_slot: campval_rules may already have switched it on */
    if (ngx_strcasecmp(value[1].data, (u_char *) "on") == 0) {
        lcf->enable = 1;

    } else if (ngx_strcasecmp(value[1].data, (u_char *) "off") == 0) {
        lcf->enable = 0;

    } else {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\" in \"%V\" directive, "
                           "it must be \"on\" or \"off\"", &value[1], &cmd->name);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_campval_suppress(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_campval_loc_conf_t *lcf = conf;

    ngx_str_t                     *value, path;
    ngx_uint_t                     i;
    campval_numbers               *numbers;
    ngx_http_campval_suppress_t   *cached;
    ngx_http_campval_main_conf_t  *mcf;

    if (lcf->suppress != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    /* "off" drops an inherited list; a file named off can be given as ./off */
    if (value[1].len == 3 && ngx_strncmp(value[1].data, "off", 3) == 0) {
        lcf->suppress = NULL;
        return NGX_CONF_OK;
    }

    if (value[1].len == 0) {
        return "needs a file";
    }

    path = value[1];

    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    /* locations naming the same file share one loaded set */
    mcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_campval_module);
    cached = mcf->suppress.elts;
    numbers = NULL;

    for (i = 0; i < mcf->suppress.nelts; i++) {
        if (cached[i].path.len == path.len
            && ngx_strncmp(cached[i].path.data, path.data, path.len) == 0)
        {
            numbers = cached[i].numbers;
            break;
        }
    }

    if (numbers == NULL) {
        numbers = ngx_http_campval_load_numbers(cf, &value[1], &path);
        if (numbers == NULL) {
            return NGX_CONF_ERROR;
        }

        cached = ngx_array_push(&mcf->suppress);
        if (cached == NULL) {
            return NGX_CONF_ERROR;
        }

        cached->path = path;
        cached->numbers = numbers;
    }

    lcf->suppress = numbers;

    return NGX_CONF_OK;
}


/*
 * Load a do-not-call list into memory of its own (malloc, not a pool): loaded in the master,
 * it is shared copy-on-write by the workers it forks, and freed with the configuration's pool.
 * A bad line fails the configuration with FILE:LINE: message.
 */
static campval_numbers *
ngx_http_campval_load_numbers(ngx_conf_t *cf, ngx_str_t *value, ngx_str_t *path)
{
    campval_code             rc;
    campval_numbers         *numbers;
    ngx_pool_cleanup_t      *cln;
    campval_numbers_error    nerr;
    char                     name[NGX_MAX_PATH + 1];

    if (path->len > NGX_MAX_PATH) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "campval_suppress \"%V\": name too long",
                           value);
        return NULL;
    }

    ngx_memcpy(name, path->data, path->len);
    name[path->len] = '\0';

    /* added first, so that nothing loaded can leak when the pool cannot take a cleanup */
    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NULL;
    }

    ngx_memzero(&nerr, sizeof(campval_numbers_error));
    numbers = NULL;

    rc = campval_numbers_load(name, NULL, &numbers, &nerr);

    if (rc != CAMPVAL_OK) {
        if (nerr.line) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "campval_suppress \"%V\": %s:%uz: %s [%s]",
                               value, name, nerr.line, nerr.message,
                               campval_code_name(rc));
        } else {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "campval_suppress \"%V\": %s: %s [%s]",
                               value, name, nerr.message[0] ? nerr.message
                                                             : campval_strerror(rc),
                               campval_code_name(rc));
        }

        return NULL;
    }

    cln->handler = ngx_http_campval_numbers_cleanup;
    cln->data = numbers;

    ngx_conf_log_error(NGX_LOG_INFO, cf, 0,
                       "campval_suppress \"%V\": %uz numbers, %uz bytes",
                       value, campval_numbers_count(numbers),
                       campval_numbers_memory(numbers));

    return numbers;
}


static void
ngx_http_campval_numbers_cleanup(void *data)
{
    campval_numbers_free(data);
}


/* Compile built-in rules or a rules file; a compile error names the file and position. */
static campval_schema *
ngx_http_campval_compile(ngx_conf_t *cf, ngx_str_t *rules, ngx_str_t *key)
{
    u_char                   *text, *base;
    size_t                    len;
    ngx_err_t                 err;
    campval_code              rc;
    ngx_pool_cleanup_t       *cln;
    campval_schema           *schema;
    campval_compile_error     cerr;
    campval_compile_options   opt;
    const char               *where;
    char                      name[NGX_MAX_PATH + 1];

    if (key->len > NGX_MAX_PATH) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "campval_rules \"%V\": name too long",
                           rules);
        return NULL;
    }

    ngx_memcpy(name, key->data, key->len);
    name[key->len] = '\0';

    ngx_memzero(&opt, sizeof(campval_compile_options));
    ngx_memzero(&cerr, sizeof(campval_compile_error));
    opt.loader = ngx_http_campval_load;
    opt.loader_ctx = cf;

    schema = NULL;

    if (ngx_http_campval_is_builtin(key)) {
        rc = campval_schema_builtin(name, &opt, &schema, &cerr);
        where = name;

    } else {
        text = ngx_http_campval_read_file(cf, name, &len, &err);

        if (text == NULL) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, err,
                               "campval_rules \"%V\": cannot read \"%s\" (it is not a "
                               "built-in rules name either)", rules, name);
            return NULL;
        }

        /* relative $ref in the file resolve next to it, through the loader */
        base = ngx_pnalloc(cf->temp_pool, key->len + sizeof("file://"));
        if (base == NULL) {
            return NULL;
        }

        (void) ngx_sprintf(base, "file://%s%Z", name);
        opt.base_uri = (const char *) base;

        rc = campval_schema_compile((const char *) text, len, &opt, &schema, &cerr);
        where = name;
    }

    if (rc != CAMPVAL_OK) {
        if (cerr.document[0]) {
            where = cerr.document;
        }

        if (cerr.line) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "campval_rules \"%V\": %s:%uD:%uD: %s%s%s%s [%s]",
                               rules, where, cerr.line, cerr.column, cerr.message,
                               cerr.location[0] ? " (at \"" : "", cerr.location,
                               cerr.location[0] ? "\")" : "", campval_code_name(rc));
        } else {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "campval_rules \"%V\": %s: %s%s%s%s [%s]",
                               rules, where, cerr.message[0] ? cerr.message
                                                              : campval_strerror(rc),
                               cerr.location[0] ? " (at \"" : "", cerr.location,
                               cerr.location[0] ? "\")" : "", campval_code_name(rc));
        }

        return NULL;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        campval_schema_free(schema);
        return NULL;
    }

    cln->handler = ngx_http_campval_schema_cleanup;
    cln->data = schema;

    return schema;
}


static ngx_int_t
ngx_http_campval_is_builtin(ngx_str_t *name)
{
    char  buf[NGX_MAX_PATH + 1];

    /* ngx_str_t need not be NUL-terminated; "campaign#/properties/contacts" selects a subschema
     * of the built-in "campaign", and campval_builtin_find ignores the fragment */
    if (name->len > NGX_MAX_PATH) {
        return 0;
    }

    ngx_memcpy(buf, name->data, name->len);
    buf[name->len] = '\0';

    return campval_builtin_find(buf) >= 0;
}


/* Whole file into cf->temp_pool (freed once the configuration is read). */
static u_char *
ngx_http_campval_read_file(ngx_conf_t *cf, const char *path, size_t *len,
    ngx_err_t *err)
{
    u_char           *text;
    off_t             size;
    ssize_t           n;
    ngx_file_t        file;
    ngx_file_info_t   fi;

    ngx_memzero(&file, sizeof(ngx_file_t));
    file.name.data = (u_char *) path;
    file.name.len = ngx_strlen(path);
    file.log = cf->log;

    *err = 0;

    file.fd = ngx_open_file(path, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (file.fd == NGX_INVALID_FILE) {
        *err = ngx_errno;
        return NULL;
    }

    text = NULL;

    if (ngx_fd_info(file.fd, &fi) == NGX_FILE_ERROR) {
        *err = ngx_errno;
        goto done;
    }

    size = ngx_file_size(&fi);

    text = ngx_pnalloc(cf->temp_pool, (size_t) size + 1);
    if (text == NULL) {
        goto done;
    }

    n = ngx_read_file(&file, text, (size_t) size, 0);
    if (n != size) {
        *err = n == NGX_ERROR ? ngx_errno : 0;
        text = NULL;
        goto done;
    }

    *len = (size_t) size;

done:

    (void) ngx_close_file(file.fd);
    return text;
}


/* campval_loader: documents a rules file references by file:// URI. */
static int
ngx_http_campval_load(void *ctx, const char *uri, const char **text, size_t *len)
{
    u_char      *t;
    ngx_err_t    err;
    ngx_conf_t  *cf = ctx;

    if (ngx_strncmp(uri, "file://", 7) != 0) {
        return -1;
    }

    t = ngx_http_campval_read_file(cf, uri + 7, len, &err);
    if (t == NULL) {
        return -1;
    }

    *text = (const char *) t;
    return 0;
}


static void
ngx_http_campval_schema_cleanup(void *data)
{
    campval_schema_free(data);
}


static void *
ngx_http_campval_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_campval_main_conf_t  *mcf;

    mcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_campval_main_conf_t));
    if (mcf == NULL) {
        return NULL;
    }

    if (ngx_array_init(&mcf->rules, cf->pool, 2, sizeof(ngx_http_campval_rules_t))
        != NGX_OK)
    {
        return NULL;
    }

    if (ngx_array_init(&mcf->suppress, cf->pool, 1, sizeof(ngx_http_campval_suppress_t))
        != NGX_OK)
    {
        return NULL;
    }

    mcf->max_errors = 1;

    return mcf;
}


static void *
ngx_http_campval_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_campval_loc_conf_t  *lcf;

    lcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_campval_loc_conf_t));
    if (lcf == NULL) {
        return NULL;
    }

    /* set by ngx_pcalloc(): lcf->rules = { 0, NULL } */

    lcf->schema = NGX_CONF_UNSET_PTR;
    lcf->enable = NGX_CONF_UNSET;
    lcf->status = NGX_CONF_UNSET;
    lcf->max_errors = NGX_CONF_UNSET;
    lcf->first_error = NGX_CONF_UNSET;
    lcf->allow_duplicate_keys = NGX_CONF_UNSET;
    lcf->log_level = NGX_CONF_UNSET_UINT;
    lcf->fail_on = NGX_CONF_UNSET_UINT;
    lcf->suppress = NGX_CONF_UNSET_PTR;
    lcf->suppress_flags = NGX_CONF_UNSET_UINT;

    return lcf;
}


static char *
ngx_http_campval_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_campval_loc_conf_t *prev = parent;
    ngx_http_campval_loc_conf_t *conf = child;

    ngx_http_campval_main_conf_t  *mcf;

    if (conf->schema == NGX_CONF_UNSET_PTR) {
        conf->schema = (prev->schema == NGX_CONF_UNSET_PTR) ? NULL : prev->schema;
        conf->rules = prev->rules;
    }

    ngx_conf_merge_value(conf->enable, prev->enable, 0);
    ngx_conf_merge_value(conf->status, prev->status, 422);
    ngx_conf_merge_value(conf->max_errors, prev->max_errors,
                         CAMPVAL_DEFAULT_MAX_ERRORS);
    ngx_conf_merge_value(conf->first_error, prev->first_error, 0);
    ngx_conf_merge_value(conf->allow_duplicate_keys, prev->allow_duplicate_keys, 0);
    ngx_conf_merge_uint_value(conf->log_level, prev->log_level, NGX_LOG_INFO);
    ngx_conf_merge_uint_value(conf->fail_on, prev->fail_on, NGX_HTTP_CAMPVAL_FAIL_ON_ERROR);
    ngx_conf_merge_ptr_value(conf->suppress, prev->suppress, NULL);
    ngx_conf_merge_uint_value(conf->suppress_flags, prev->suppress_flags, 0);

    if (conf->enable && conf->schema == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"campval on\" needs \"campval_rules\" in this or an "
                           "enclosing block");
        return NGX_CONF_ERROR;
    }

    if (conf->enable) {
        mcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_campval_module);
        mcf->used = 1;

        if ((ngx_uint_t) conf->max_errors > mcf->max_errors) {
            mcf->max_errors = (ngx_uint_t) conf->max_errors;
        }
    }

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_campval_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt           *h;
    ngx_http_core_main_conf_t     *cmcf;
    ngx_http_campval_main_conf_t  *mcf;

    /* locations are merged by now: without campval anywhere, cost nothing per request */
    mcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_campval_module);
    if (!mcf->used) {
        return NGX_OK;
    }

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    /*
     * PRECONTENT, not ACCESS: after allow/deny, auth_basic, auth_request and `satisfy`, so
     * refused clients' bodies are never read, and no interplay with `satisfy any`.
     */
    h = ngx_array_push(&cmcf->phases[NGX_HTTP_PRECONTENT_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_campval_handler;

    ngx_http_campval_warnings_hash = ngx_hash_key(ngx_http_campval_warnings_lc,
                                                  sizeof(ngx_http_campval_warnings_lc) - 1);

    mcf->request_id = ngx_http_get_variable_index(cf, &ngx_http_campval_request_id_name);
    if (mcf->request_id == NGX_ERROR) {
        return NGX_ERROR;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_campval_init_process(ngx_cycle_t *cycle)
{
    ngx_http_campval_main_conf_t  *mcf;

    mcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_campval_module);

    /* a failure is logged and retried per request (500 until it works) */
    if (mcf && mcf->used) {
        (void) ngx_http_campval_workspace(cycle->log, mcf);
    }

    return NGX_OK;
}


static void
ngx_http_campval_exit_process(ngx_cycle_t *cycle)
{
    campval_workspace_destroy(ngx_http_campval_ws);
    ngx_http_campval_ws = NULL;

    ngx_free(ngx_http_campval_joined);
    ngx_http_campval_joined = NULL;
    ngx_http_campval_joined_size = 0;
}
