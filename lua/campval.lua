--[[
campval for LuaJIT (OpenResty, Kong, Debian's libnginx-mod-http-lua): validate request bodies
against campval rules through the FFI.

    local campval = require "campval"
    local rules = assert(campval.builtin("campaign_create"))   -- or campval.compile(text)
    local ok, problem, status, warnings = rules:check(body)    -- problem: RFC 9457 JSON text
    local ok, problem, status, warnings = rules:check_file(ngx.req.get_body_file())
    rules:access()   -- in access_by_lua: 415 / 400 / 413 / 422 problem+json, or fall through
    rules:check(body, { fail_on = "warning" })   -- warnings refuse the body too
    local dnc = assert(campval.numbers("/etc/campval/dnc.txt"))   -- a do-not-call list
    rules:check(body, { suppress = dnc })         -- a contact on it: 422 SUPPRESSED
    rules:check(body, { suppress = dnc, suppress_severity = "warning" })   -- only counted

Warnings come from subschemas the rules mark "x-severity": "warning": they never make a body
invalid unless fail_on is "warning"; `warnings` counts them (0 when there are none).

The shared library is found, in order: the path in the environment variable CAMPVAL_LIB (nginx
clears the environment: add `env CAMPVAL_LIB;` to nginx.conf); libcampval.so in each directory
of package.cpath (its "?.so" entries); then the dynamic loader's search ("libcampval.so.0" from
/etc/ld.so.conf, LD_LIBRARY_PATH). Set campval.library before the first call to override.

Rules compile once (in init_by_lua, shared by the workers after fork, or in a module); each
worker holds one workspace, created on first use, with the library's default limits as the nginx
module's (262,144 JSON tokens, depth 128: about 10 MB): a body with more tokens, or nested
deeper, is refused 413 payload-too-large (LIMIT_TOKENS, LIMIT_DEPTH) as the C module refuses it.
campval.builtin(name, { max_tokens = N }) (or compile) sets the token limit of those rules;
each distinct limit has a workspace of its own. check() neither yields nor keeps pointers into
the workspace: the answer is a Lua string.
]]

local ffi = require "ffi"
local C_NULL = nil

ffi.cdef [[
typedef struct campval_schema campval_schema;
typedef struct campval_workspace campval_workspace;
typedef struct campval_limits {
    uint32_t max_tokens; uint32_t max_depth; uint32_t max_errors; uint32_t max_string;
    uint32_t regex_match_limit; uint32_t regex_depth_limit; uint32_t regex_heap_limit_kib;
} campval_limits;
typedef struct campval_error {
    int code; size_t offset; uint32_t line; uint32_t column; int32_t token;
    const char *keyword; const char *keyword_location; uint32_t detail; int32_t aux;
    int severity;
} campval_error;
typedef struct campval_result {
    int valid; size_t error_count; size_t errors_dropped; const campval_error *errors;
    size_t token_count; int code; uint64_t work; size_t found[2];
} campval_result;
typedef struct campval_compile_error {
    int code; size_t offset; uint32_t line; uint32_t column;
    char document[256]; char location[256]; char message[256];
} campval_compile_error;
typedef int (*campval_writer)(void *ctx, const char *data, size_t n);
typedef struct campval_numbers campval_numbers;
typedef struct campval_numbers_error {
    size_t line; char message[128];
} campval_numbers_error;
typedef struct campval_preflight {
    int64_t at; const char *regions; const campval_numbers *suppress; uint32_t flags;
} campval_preflight;

int campval_schema_compile(const char *rules, size_t len, const void *opt,
                           campval_schema **out, campval_compile_error *err);
int campval_schema_builtin(const char *name, const void *opt, campval_schema **out,
                           campval_compile_error *err);
void campval_schema_free(campval_schema *schema);
void campval_limits_default(campval_limits *lim);
int campval_workspace_create(const campval_limits *lim, const void *alloc,
                             campval_workspace **out);
void campval_workspace_destroy(campval_workspace *ws);
int campval_validate(const campval_schema *schema, campval_workspace *ws, const char *json,
                     size_t len, uint32_t flags, campval_result *out);
int campval_write_result(const campval_workspace *ws, const campval_result *res, int format,
                         const char *name, campval_writer write, void *ctx);
int campval_http_status(int code);
const char *campval_code_name(int code);
int campval_workspace_set_preflight(campval_workspace *ws, const campval_preflight *pf);
int campval_numbers_load(const char *path, const void *alloc, campval_numbers **out,
                         campval_numbers_error *err);
size_t campval_numbers_count(const campval_numbers *s);
size_t campval_numbers_memory(const campval_numbers *s);
int campval_numbers_contains(const campval_numbers *s, const char *e164, size_t len);
void campval_numbers_free(campval_numbers *s);
]]

local CAMPVAL_OK = 0
local CAMPVAL_OUTPUT_PROBLEM = 2
local CAMPVAL_FIRST_ERROR = 1
local CAMPVAL_SEVERITY_WARNING = 1
local CAMPVAL_FALSE_SCHEMA = 327 -- a violation code: picks the invalid-payload problem
local CAMPVAL_PREFLIGHT_SUPPRESS_AS_WARNING = 1

local _M = { _VERSION = "0.1.0", library = nil }

local lib
local function find_library()
    local env = os.getenv("CAMPVAL_LIB")
    if env and env ~= "" then return env end
    for template in package.cpath:gmatch("[^;]+") do
        if template:find("?.so", 1, true) then
            for _, name in ipairs({ "libcampval.so.0", "libcampval.so" }) do
                local path = template:gsub("%?%.so$", name)
                local f = io.open(path, "rb")
                if f then f:close(); return path end
            end
        end
    end
    -- the runtime name (package libcampval0), through the dynamic loader's search
    return "libcampval.so.0"
end

local function L()
    if not lib then lib = ffi.load(_M.library or find_library()) end
    return lib
end

-- ---- the worker's workspaces ------------------------------------------------------------

-- one per token limit in use (false: the library's default limits), made on first use and
-- kept for the worker's life
local workspaces = {}
local lim = ffi.new("campval_limits")
local ws_out = ffi.new("campval_workspace *[1]")

local function workspace_for(max_tokens)
    local key = max_tokens or false
    local w = workspaces[key]
    if w then return w end
    local c = L()
    c.campval_limits_default(lim)
    if max_tokens then lim.max_tokens = max_tokens end
    if c.campval_workspace_create(lim, C_NULL, ws_out) ~= CAMPVAL_OK then return nil end
    w = ws_out[0]
    workspaces[key] = w
    return w
end

-- problem+json is written through one permanent callback into this table
local chunks, nchunks = {}, 0
local writer = ffi.cast("campval_writer", function(_, data, n)
    nchunks = nchunks + 1
    chunks[nchunks] = ffi.string(data, n)
    return 0
end)

local res = ffi.new("campval_result")
local pf = ffi.new("campval_preflight")
-- the list the workspace points to: referenced here until the next check replaces it, so the
-- garbage collector can never free a set the workspace still holds
local pf_list = nil

-- ---- do-not-call lists -------------------------------------------------------------------

local Numbers = {}
Numbers.__index = Numbers

--- Load a do-not-call list: one E.164 number per line ("#" comments and blank lines allowed).
-- Returns the list, or nil and "PATH:LINE: message" ("PATH: message" when the file cannot be
-- read). Load it once (init_by_lua: the workers share it after fork, about 8 bytes a number);
-- it is read-only and freed when no Lua value refers to it any more.
function _M.numbers(path)
    local out, err = ffi.new("campval_numbers *[1]"), ffi.new("campval_numbers_error")
    local c = L()
    if c.campval_numbers_load(tostring(path), C_NULL, out, err) ~= CAMPVAL_OK then
        local line = tonumber(err.line)
        return nil, line > 0 and string.format("%s:%d: %s", path, line, ffi.string(err.message))
            or string.format("%s: %s", path, ffi.string(err.message))
    end
    return setmetatable({ set = ffi.gc(out[0], c.campval_numbers_free) }, Numbers)
end

--- How many distinct numbers the list holds.
function Numbers:count() return tonumber(L().campval_numbers_count(self.set)) end

--- Bytes the list takes.
function Numbers:memory() return tonumber(L().campval_numbers_memory(self.set)) end

--- true when `number` ("+14155550123", or written as a list line may be) is on the list.
function Numbers:contains(number)
    return L().campval_numbers_contains(self.set, number, #number) == 1
end

-- suppress: nil or a list from campval.numbers; severity: "error" (nil too) or "warning"
local function preflight_for(suppress, severity)
    if suppress ~= nil and getmetatable(suppress) ~= Numbers then
        error("campval: suppress must be a list from campval.numbers, not " .. tostring(suppress), 3)
    end
    local flags = 0
    if severity == "warning" then
        flags = CAMPVAL_PREFLIGHT_SUPPRESS_AS_WARNING
    elseif severity ~= nil and severity ~= "error" then
        error('campval: suppress_severity must be "error" or "warning", not ' .. tostring(severity), 3)
    end
    pf.at, pf.regions, pf.flags = 0, C_NULL, flags
    pf.suppress = suppress and suppress.set or C_NULL
    return pf
end

-- ---- rules -------------------------------------------------------------------------------

local Rules = {}
Rules.__index = Rules

local function compile_error(err)
    local loc = ffi.string(err.location)
    return string.format("rules:%d:%d: %s%s [%s]", err.line, err.column, ffi.string(err.message),
        loc ~= "" and (" at " .. loc) or "", ffi.string(L().campval_code_name(err.code)))
end

local function wrap(rc, out, err, opts)
    if rc ~= CAMPVAL_OK then return nil, compile_error(err) end
    local schema = ffi.gc(out[0], L().campval_schema_free)
    opts = opts or {}
    local max_tokens = opts.max_tokens
    if max_tokens ~= nil and (type(max_tokens) ~= "number" or max_tokens < 1 or
            max_tokens > 0x3FFFFFFF or max_tokens % 1 ~= 0) then
        error("campval: max_tokens must be an integer from 1 to 1073741823, not " ..
            tostring(max_tokens), 3)
    end
    return setmetatable({ schema = schema, max_tokens = max_tokens,
        flags = opts.first_error and CAMPVAL_FIRST_ERROR or 0,
        fail_on = opts.fail_on, suppress = opts.suppress,
        suppress_severity = opts.suppress_severity }, Rules)
end

--- Compile the built-in rules set `name`. Returns rules, or nil and a message.
-- opts.first_error: stop at the first error (smaller answers, less work on bad bodies); it
-- never stops at a warning, so a body that passes has all its warnings counted.
-- opts.fail_on: the default of check()'s fail_on for these rules ("error" or "warning").
-- opts.suppress, opts.suppress_severity: the defaults of check()'s (see there).
-- opts.max_tokens: the JSON tokens (values and member names) a body may have, the library's
-- default (262,144) when nil; a body with more is refused 413 (LIMIT_TOKENS).
function _M.builtin(name, opts)
    local out, err = ffi.new("campval_schema *[1]"), ffi.new("campval_compile_error")
    return wrap(L().campval_schema_builtin(name, C_NULL, out, err), out, err, opts)
end

--- Compile rules from JSON Schema text. Returns rules, or nil and "rules:LINE:COL: message".
function _M.compile(text, opts)
    local out, err = ffi.new("campval_schema *[1]"), ffi.new("campval_compile_error")
    return wrap(L().campval_schema_compile(text, #text, C_NULL, out, err), out, err, opts)
end

-- fail_on: "error" (nil too) or "warning"; anything else is the caller's mistake
local function fails_on_warning(fail_on)
    if fail_on == nil or fail_on == "error" then return false end
    if fail_on == "warning" then return true end
    error('campval: fail_on must be "error" or "warning", not ' .. tostring(fail_on), 3)
end

--- Validate a body (a Lua string). Returns true, nil, 200, warnings when valid; otherwise
-- false, the RFC 9457 problem+json text, its HTTP status (400 malformed, 413, 422 invalid,
-- 500) and warnings. `warnings` is how many warnings the body has (0 when none).
-- opts.fail_on: "error" (the default, or the rules' own) or "warning": a body with warnings
-- is then refused too, 422 with them in the problem's "warnings" member ("errors" empty).
-- opts.suppress: a do-not-call list (campval.numbers) for rules with "x-suppress": true (the
-- built-in campaign_create): a contact on it is an error, code SUPPRESSED at its
-- /contacts/N/to_phone_number; opts.suppress_severity "warning" makes it a warning ("error",
-- the default). Both default to the rules' own (suppress = false: no list here); anything
-- else raises an error.
function Rules:check(body, opts)
    body = body or ""
    local fail_on = opts and opts.fail_on
    if fail_on == nil then fail_on = self.fail_on end
    local strict = fails_on_warning(fail_on)
    local suppress = opts and opts.suppress
    if suppress == nil then suppress = self.suppress end
    if suppress == false then suppress = nil end
    local severity = opts and opts.suppress_severity
    if severity == nil then severity = self.suppress_severity end
    local p = preflight_for(suppress, severity)
    local w = workspace_for(self.max_tokens)
    if not w then return false, '{"type":"about:blank","title":"out of memory","status":500}', 500, 0 end
    local c = L()
    -- the worker's one workspace serves every rules object and call: set the list (or none)
    -- each time
    local rc = c.campval_workspace_set_preflight(w, p)
    pf_list = suppress
    if rc ~= CAMPVAL_OK then
        return false, '{"type":"about:blank","title":"preflight settings refused","status":500}', 500, 0
    end
    rc = c.campval_validate(self.schema, w, body, #body, self.flags, res)
    local warnings = tonumber(res.found[CAMPVAL_SEVERITY_WARNING])
    if rc == CAMPVAL_OK and strict and warnings > 0 then
        -- refused for its warnings: the first one's code picks the problem (any violation
        -- code when none was recorded)
        rc = CAMPVAL_FALSE_SCHEMA
        for i = 0, tonumber(res.error_count) - 1 do
            if res.errors[i].severity == CAMPVAL_SEVERITY_WARNING then
                rc = res.errors[i].code
                break
            end
        end
        res.valid, res.code = 0, rc
    end
    if rc == CAMPVAL_OK then return true, nil, 200, warnings end
    nchunks = 0
    c.campval_write_result(w, res, CAMPVAL_OUTPUT_PROBLEM, C_NULL, writer, C_NULL)
    local problem = table.concat(chunks, "", 1, nchunks)
    for i = 1, nchunks do chunks[i] = nil end
    return false, problem, c.campval_http_status(rc), warnings
end

--- Validate the body in a file (ngx.req.get_body_file()). Same answers and opts as check; a
-- file that cannot be read is false, a problem with status 500, 0 warnings, and the error.
function Rules:check_file(path, opts)
    local f, err = io.open(path or "", "rb")
    if not f then
        return false, '{"type":"about:blank","title":"request body unreadable","status":500}', 500,
            0, err
    end
    local body = f:read("*a")
    f:close()
    return self:check(body, opts)
end

--- For access_by_lua*: refuse a body that is not application/json (415) or not valid (the
-- problem+json answer with its status); return normally when the body passes. opts as check's.
-- A body that passes with N > 0 warnings reaches the upstream with the request header
-- Campval-Warnings: N, as the nginx module sends it; a client's own header of that name is
-- replaced (0 when there is no warning).
function Rules:access(opts)
    local ngx = ngx
    local ct = ngx.var.content_type or ""
    if not (ct:lower():find("^application/json%s*;") or ct:lower():find("^application/json%s*$")) then
        ngx.status = 415
        ngx.header["Content-Type"] = "application/problem+json"
        ngx.print('{"type":"about:blank","title":"Unsupported Media Type","status":415,' ..
            '"detail":"expected Content-Type: application/json"}')
        return ngx.exit(415)
    end
    ngx.req.read_body()
    local ok, problem, status, warnings
    local body = ngx.req.get_body_data()
    if body then
        ok, problem, status, warnings = self:check(body, opts)
    else
        local file = ngx.req.get_body_file()
        if file then
            ok, problem, status, warnings = self:check_file(file, opts)
        else
            ok, problem, status, warnings = self:check("", opts)
        end
    end
    if ok then
        if warnings > 0 or ngx.var.http_campval_warnings then
            ngx.req.set_header("Campval-Warnings", tostring(warnings))
        end
        return
    end
    ngx.status = status
    ngx.header["Content-Type"] = "application/problem+json"
    ngx.print(problem)
    return ngx.exit(status)
end

return _M
