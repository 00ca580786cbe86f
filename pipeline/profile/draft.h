/*
 * draft.h — `nightfan profile init`: a draft mapping profile from one night's files.
 *
 * Owns deciding, file by file, which source and stream a file is (a path with "pred" or "model" in
 * it is the predictions', anything else the labels'), which column holds which field (by header
 * name first, then by content: a column of stage-like values is the stage, an increasing column of
 * numbers or times the onset, ...), the stream's dialect keys, and a proposed canonical value for
 * every distinct raw value (pipeline/profile/vocab.h). What it cannot decide is marked for the user: the
 * value or column is written as "TODO" and the question goes into the draft's "_todo" list, which
 * the profile loader refuses until it is removed (common/profile.h); "_files" says what each file of
 * the night was taken for. CSV contents are sniffed by pipeline/profile/sniff.h; annotation files
 * (NSRR XML, Profusion XML, EDF+) are read with the shard's reader (shard/annot.h).
 */
#ifndef NIGHTFAN_DRAFT_H
#define NIGHTFAN_DRAFT_H

#include <jansson.h>

#include "err.h"

/* The draft for night `night` of `root` (NULL: the first night, in name order). The profile as a
 * JSON object (caller json_decref()s), or NULL with e filled:
 *   ROOT: no night folder in it
 *   unknown night "N9": ROOT/N9 is not a folder
 *   N1: no file of the night holds a stage, event or position column */
json_t *draft_profile(const char *root, const char *night, struct err *e);

/* The draft as text: two-space indented JSON, a stream object's small maps on one line each. */
char *draft_text(const json_t *draft);

#endif
