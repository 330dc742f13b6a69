/* The x-phone rule: which checks a keyword asks for, and the verdict on one number. */
#ifndef CAMPVAL_PHONE_RULE_H
#define CAMPVAL_PHONE_RULE_H

#include "internal.h"
#include "phone.h"

struct campval__kw;
/* The x-phone verdict for bytes p[0..n): CAMPVAL_OK, the violation, or CAMPVAL_INTERNAL when
 * libphonenumber failed; info says what was found (messages explain the verdict with it). */
campval_code campval__phone_verdict(const campval_schema *s, const struct campval__kw *kw,
                                    const char *p, size_t n, campval__phone_info *info);

#endif /* CAMPVAL_PHONE_RULE_H */
