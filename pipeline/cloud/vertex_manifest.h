/*
 * vertex_manifest.h — the night manifest a submission needs, taken to where the pipeline's
 * containers can read it.
 *
 * A spec compiled from a night list too long for a KFP parameter loops over "@K" items: batch K of
 * the manifest named by the nights_manifest parameter (pipeline/spec/spec.h), by default the local
 * file `nightfan compile` wrote. Owns: deciding whether the submitted run needs that manifest (an
 * "@K" item in the effective `nights`), refusing what its containers could not read (a local path
 * on Kubeflow Pipelines, anything but gs:// on Vertex AI, an empty nights_manifest), reading and
 * checking a local manifest (every batch the loop names exists), and uploading it for Vertex AI
 * under a content-addressed name, gs://BUCKET/PREFIX/nightfan-manifests/<xxh128>.json beside the
 * pipeline root, so identical manifests are stored once.
 * Not here: the upload request (common/gcs.c), the command line (pipeline/cloud/cmd_submit.c).
 */
#ifndef NIGHTFAN_VERTEX_MANIFEST_H
#define NIGHTFAN_VERTEX_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "err.h"
#include "gcs.h"

#define VERTEX_MANIFEST_FOLDER "nightfan-manifests"
#define VERTEX_MANIFEST_MAX_BYTES (64u << 20)

struct vertex_manifest {
	char *local_path;   /* the local manifest to upload (malloc'ed), or NULL: nothing to do */
	char *bytes;        /* its content (malloc'ed) */
	size_t len;
	char *bucket;       /* where it goes (malloc'ed) */
	char *object;       /* "<prefix>/nightfan-manifests/<xxh128>.json" (malloc'ed) */
};

/* Result codes of vertex_manifest_prepare beyond 0. */
enum { VERTEX_MANIFEST_BAD_INPUT = 1, VERTEX_MANIFEST_REFUSED = 2 };

/* Before anything is sent: decide what the run's manifest needs, from the spec's root
 * parameters `nights` and `nights_manifest` (the values in `params`, the typed --params, else the
 * spec's defaults). `kfp`: the run goes to a Kubeflow Pipelines server; else Vertex AI, with
 * `pipeline_root` a gs:// URI. Fills *m (free with vertex_manifest_free; zeroed when the run needs
 * no upload). Returns 0; VERTEX_MANIFEST_REFUSED (e filled) when the containers could not read
 * the manifest — nights_manifest empty, a local path on KFP ("upload it to Cloud Storage and pass
 * --param nights_manifest=gs://BUCKET/KEY"), a scheme other than gs:// (a KFP launcher fetches
 * input artifacts, never string parameters, so s3:// and minio:// cannot work; the shard reads
 * gs:// through the Cloud Storage API where /gcs/ is not mounted);
 * VERTEX_MANIFEST_BAD_INPUT (e filled) when the local manifest cannot be read, is not JSON, or
 * lacks a batch the loop names. */
int vertex_manifest_prepare(const json_t *spec, const json_t *params, bool kfp, const char *pipeline_root,
			    struct vertex_manifest *m, struct err *e);

/* Before anything is sent: the run's effective input_root (--param, else the spec's default) must
 * be one its containers can read — a gs:// URI or a path (a local path is the user's to provide
 * in the container). 0, or VERTEX_MANIFEST_REFUSED with e saying why for another scheme
 * (s3://, minio://, ...): "input_root \"minio://b/x\": Kubeflow Pipelines tasks cannot read it
 * (...); pass --param input_root=gs://BUCKET/PREFIX", or on Vertex AI "... read only gs://". */
int vertex_manifest_check_input_root(const json_t *spec, const json_t *params, bool kfp, struct err *e);

/* Upload m's manifest (gcs_create_object, Content-Type application/json) and set
 * params.nights_manifest to its gs:// URI, which *uri gets too (malloc'ed). *existed: the same
 * bytes were already there. 0 or -1. */
int vertex_manifest_upload(const struct vertex_manifest *m, struct gcs *g, json_t *params, char **uri,
			   bool *existed, struct err *e);

void vertex_manifest_free(struct vertex_manifest *m);

#endif
