// The public header compiles and links as C++ (extern "C", no C-only constructs), with the
// compiler's strictest warnings. Plain main; exit status 0 on success.
#include "campval.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

// A C++ caller's usual wrapper: RAII around the C handles.
struct Workspace {
    campval_workspace *ws = nullptr;
    Workspace() { campval_workspace_create(nullptr, nullptr, &ws); }
    ~Workspace() { campval_workspace_destroy(ws); }
    Workspace(const Workspace &) = delete;
    Workspace &operator=(const Workspace &) = delete;
};

struct Schema {
    campval_schema *s = nullptr;
    campval_compile_error err{};
    explicit Schema(const std::string &rules)
    {
        campval_schema_compile(rules.data(), rules.size(), nullptr, &s, &err);
    }
    ~Schema() { campval_schema_free(s); }
    Schema(const Schema &) = delete;
    Schema &operator=(const Schema &) = delete;
};

} // namespace

int main()
{
    Workspace w;
    Schema schema(R"({"type":"object","properties":{"n":{"type":"integer","minimum":1}}})");
    if (!w.ws || !schema.s) {
        std::fprintf(stderr, "setup failed: %s\n", schema.err.message);
        return 1;
    }
    const std::string doc = R"({"n":0})";
    campval_result res;
    campval_code rc = campval_validate(schema.s, w.ws, doc.data(), doc.size(), CAMPVAL_FIRST_ERROR,
                                       &res);
    if (rc != CAMPVAL_MINIMUM || res.error_count != 1) {
        std::fprintf(stderr, "validate: %s\n", campval_code_name(rc));
        return 1;
    }
    char ptr[64];
    campval_error_pointer(w.ws, &res.errors[0], ptr, sizeof ptr);
    if (std::strcmp(ptr, "/n") != 0 || campval_code_class(rc) != CAMPVAL_CLASS_VIOLATION) {
        std::fprintf(stderr, "pointer %s\n", ptr);
        return 1;
    }
    // Flags combine as unsigned values in C++ too.
    std::uint32_t flags = CAMPVAL_SYNTAX_ONLY | CAMPVAL_ALLOW_BOM;
    rc = campval_validate(nullptr, w.ws, "\xEF\xBB\xBF[]", 5, flags, &res);
    if (rc != CAMPVAL_OK) {
        std::fprintf(stderr, "bom: %s\n", campval_code_name(rc));
        return 1;
    }
    std::puts(campval_version());
    return 0;
}
