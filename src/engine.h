/* Validation stage: the evaluator (engine.c), compiled rules over a parsed document. */
#ifndef CAMPVAL_ENGINE_H
#define CAMPVAL_ENGINE_H

#include "internal.h"

/* Evaluation nesting allowed before LIMIT_EVALUATION, from the workspace's max_depth: every
 * document level may take a couple of nested evaluations (a subschema and an applicator), and
 * rules add a few levels of their own. Bounds the C stack whatever the rules. */
#define CAMPVAL__EVAL_DEPTH(max_depth) (2u * (max_depth) + 64u)

/* Bytes of scratch the engine needs in a workspace with these limits. */
size_t campval__engine_scratch_size(const campval_limits *lim);

/* Evaluate schema over the parsed document in ws; errors are recorded in ws. */
campval_code campval__engine_run(const campval_schema *schema, campval_workspace *ws);

#endif /* CAMPVAL_ENGINE_H */
