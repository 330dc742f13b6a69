/*
 * What a workspace costs: campval_workspace_size as one limit changes and the others stay at
 * their defaults. The slope per token is taken between powers of two, where the member-name
 * hash table (rounded up to a power of two) is exactly two slots per token; other token counts
 * pay up to 8 more bytes per token for that rounding.
 *
 * usage: ws_size      prints "name=value" lines for bench/memory.sh
 */
#include <campval.h>

#include <stdio.h>

enum { TOKENS, DEPTH, ERRORS, STRING };

static size_t size_with(int which, uint32_t v)
{
    campval_limits lim;
    campval_limits_default(&lim);
    switch (which) {
    case TOKENS: lim.max_tokens = v; break;
    case DEPTH: lim.max_depth = v; break;
    case ERRORS: lim.max_errors = v; break;
    default: lim.max_string = v; break;
    }
    return campval_workspace_size(&lim);
}

static double slope(int which, uint32_t a, uint32_t b)
{
    return ((double)size_with(which, b) - (double)size_with(which, a)) / ((double)b - (double)a);
}

int main(void)
{
    campval_limits def;
    campval_limits_default(&def);
    size_t total = campval_workspace_size(NULL);
    double per_token = slope(TOKENS, 1u << 14, 1u << 20);
    double per_depth = slope(DEPTH, 64, 1024);
    double per_error = slope(ERRORS, 10, 1000);
    double per_string = slope(STRING, 1024, 1u << 20);
    printf("default_limits=max_tokens:%u,max_depth:%u,max_errors:%u,max_string:%u\n",
           def.max_tokens, def.max_depth, def.max_errors, def.max_string);
    printf("default_workspace_bytes=%zu\n", total);
    printf("bytes_per_token=%.2f\n", per_token);
    printf("bytes_per_depth_level=%.2f\n", per_depth);
    printf("bytes_per_error=%.2f\n", per_error);
    printf("bytes_per_string_byte=%.2f\n", per_string);
    printf("fixed_bytes=%.0f\n", (double)total - per_token * def.max_tokens -
                                    per_depth * def.max_depth - per_error * def.max_errors -
                                    per_string * def.max_string);
    static const uint32_t tokens[] = {1024, 1000, 16384, 130035, 262144, 712790};
    for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
        printf("workspace_bytes[max_tokens=%u]=%zu\n", tokens[i], size_with(TOKENS, tokens[i]));
    return 0;
}
