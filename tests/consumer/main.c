/* A program outside campval that uses it the way any other project would: the public header
 * only, found through pkg-config or as a meson subproject. Validates its first argument's file
 * against campaign_create; exit 0 valid, 1 invalid, 2 trouble. */
#include <campval.h>
#include <stdio.h>
#include <stdlib.h>

#if CAMPVAL_VERSION_NUMBER < 0x000100
#error "campval 0.1.0 or newer is needed"
#endif

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 2;
    static char body[1 << 20];
    size_t n = fread(body, 1, sizeof body, f);
    fclose(f);
    campval_schema *schema;
    campval_compile_error cerr;
    if (campval_schema_builtin("campaign_create", NULL, &schema, &cerr) != CAMPVAL_OK)
        return 2;
    campval_workspace *ws;
    if (campval_workspace_create(NULL, NULL, &ws) != CAMPVAL_OK)
        return 2;
    campval_result res;
    campval_code rc = campval_validate(schema, ws, body, n, 0, &res);
    printf("campval %s: %s\n", campval_version(), rc == CAMPVAL_OK ? "valid" : campval_code_name(rc));
    campval_workspace_destroy(ws);
    campval_schema_free(schema);
    return rc == CAMPVAL_OK ? 0 : 1;
}
