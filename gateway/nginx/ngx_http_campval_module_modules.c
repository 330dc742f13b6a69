/*
 * The module list nginx's configure writes as objs/<addon>_modules.c for a dynamic module.
 * ngx_load_module() looks these three symbols up with dlsym(): ngx_modules (the modules in this
 * object), ngx_module_names (their names, same order) and ngx_module_order (names of modules
 * this one must precede; only filters need an order, so it is empty).
 */

#include <ngx_config.h>
#include <ngx_core.h>


extern ngx_module_t  ngx_http_campval_module;

ngx_module_t *ngx_modules[] = {
    &ngx_http_campval_module,
    NULL
};

char *ngx_module_names[] = {
    "ngx_http_campval_module",
    NULL
};

char *ngx_module_order[] = {
    NULL
};
