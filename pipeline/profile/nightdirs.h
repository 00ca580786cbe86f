/*
 * nightdirs.h — the nights of a local input root, for `nightfan profile`: the folders under ROOT
 * whose names are night ids (SPEC §1), sorted; names starting with '.' and other entries are left
 * out (common/dirlist.h lists the folder). (`nightfan compile` lists roots its own way, gs://
 * included: pipeline/spec/cmd_compile.c.)
 */
#ifndef NIGHTFAN_NIGHTDIRS_H
#define NIGHTFAN_NIGHTDIRS_H

#include <stddef.h>

#include "err.h"
#include "strlist.h"

/* The night ids under root into *ids (initialised first; sorted). 0, or -1 with *ids empty:
 *   ROOT: cannot list the input root: No such file or directory
 * The caller releases *ids with strlist_release() after either. */
int nightdirs_list(const char *root, struct strlist *ids, struct err *e);

/* 0 when `night` is a valid id and ROOT/night is a folder; else -1:
 *   unknown night "N9": ROOT/N9 is not a folder */
int nightdirs_check(const char *root, const char *night, struct err *e);

#endif
