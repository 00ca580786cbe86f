/*
 * test_vertex.c — pipeline/vertex (job id and label rules, job names, request body),
 * pipeline/vertex_progress (states and task counts), pipeline/vertex_cli (typed parameters).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pipeline/cloud/kfp_rest.h"
#include "pipeline/cloud/vertex.h"
#include "pipeline/cloud/vertex_cli.h"
#include "pipeline/cloud/vertex_progress.h"

TEST(job_ids_follow_the_api_rule)
{
	struct err e;
	CHECK_INT(vertex_check_job_id("nightfan-20261124", &e), 0);
	CHECK_INT(vertex_check_job_id("a", &e), 0);
	CHECK_INT(vertex_check_job_id("Nightfan", &e), -1);
	CHECK_STR(e.message, "job id \"Nightfan\": expected a lowercase letter first");
	CHECK_INT(vertex_check_job_id("9lives", &e), -1);
	CHECK_INT(vertex_check_job_id("night_fan", &e), -1);
	CHECK_STR(e.message, "job id \"night_fan\": expected only lowercase letters, digits and '-'");
	CHECK_INT(vertex_check_job_id("", &e), -1);
	char long_id[200];
	memset(long_id, 'a', 127);
	long_id[127] = '\0';
	CHECK_INT(vertex_check_job_id(long_id, &e), 0);
	long_id[127] = 'a';
	long_id[128] = '\0';
	CHECK_INT(vertex_check_job_id(long_id, &e), -1);
	CHECK(strstr(e.message, "expected 1 to 127 characters") != NULL);
}

TEST(labels_follow_the_api_rule)
{
	struct err e;
	CHECK_INT(vertex_check_label("team", "sleep-lab_2", &e), 0);
	CHECK_INT(vertex_check_label("run", "", &e), 0);              /* empty values are allowed */
	CHECK_INT(vertex_check_label("étude", "nuit", &e), 0);        /* international letters */
	CHECK_INT(vertex_check_label("Team", "x", &e), -1);
	CHECK_STR(e.message, "label \"Team=x\": expected only lowercase letters, digits, '_' and '-'");
	CHECK_INT(vertex_check_label("team", "Sleep Lab", &e), -1);
	CHECK_INT(vertex_check_label("1team", "x", &e), -1);
	CHECK_STR(e.message, "label \"1team=x\": expected the key to start with a letter");
	CHECK_INT(vertex_check_label("", "x", &e), -1);
	CHECK_STR(e.message, "label \"=x\": expected a key");
	CHECK_INT(vertex_check_label("vertex-ai-pipelines-run-billing-id", "1", &e), -1);
	CHECK_STR(e.message, "label \"vertex-ai-pipelines-run-billing-id\": reserved by Vertex AI Pipelines");
	char v64[80], v65[80];
	memset(v64, 'v', 64);
	v64[64] = '\0';
	memset(v65, 'v', 65);
	v65[65] = '\0';
	CHECK_INT(vertex_check_label("k", v64, &e), 0);
	CHECK_INT(vertex_check_label("k", v65, &e), -1);
	/* 64 two-byte characters are 64 characters, not 128 */
	char wide[200] = "";
	for (int i = 0; i < 64; i++)
		strcat(wide, "é");
	CHECK_INT(vertex_check_label("k", wide, &e), 0);
}

TEST(generated_job_ids_are_valid)
{
	char id[160];
	struct err e;
	vertex_make_job_id("nightfan", 1764016523, id, sizeof id); /* 2025-11-24T20:35:23Z */
	CHECK_STR(id, "nightfan-20251124203523");
	vertex_make_job_id("Sleep Study_2", 1764016523, id, sizeof id);
	CHECK_STR(id, "sleep-study-2-20251124203523");
	vertex_make_job_id("2025 cohort", 1764016523, id, sizeof id);
	CHECK_STR(id, "job-2025-cohort-20251124203523");
	char name[300];
	memset(name, 'x', 299);
	name[299] = '\0';
	vertex_make_job_id(name, 1764016523, id, sizeof id);
	CHECK_INT(vertex_check_job_id(id, &e), 0);
}

TEST(job_names_and_links)
{
	struct vertex_job_ref ref;
	struct err e;
	CHECK_INT(vertex_parse_job("projects/p1/locations/europe-west4/pipelineJobs/j-1", NULL, NULL, &ref, &e), 0);
	CHECK_STR(ref.project, "p1");
	CHECK_STR(ref.region, "europe-west4");
	CHECK_STR(ref.id, "j-1");
	CHECK_INT(vertex_parse_job("j-2", "p2", "us-central1", &ref, &e), 0);
	CHECK_STR(ref.region, "us-central1");
	char link[512];
	vertex_console_link(&ref, link, sizeof link);
	CHECK_STR(link, "https://console.cloud.google.com/vertex-ai/locations/us-central1/pipelines/runs/j-2?project=p2");
	CHECK_INT(vertex_parse_job("j-2", NULL, NULL, &ref, &e), -1);
	CHECK_INT(vertex_parse_job("projects/p/locations/r/pipelineJobs/j/extra", NULL, NULL, &ref, &e), -1);
	CHECK_INT(vertex_parse_job("j?x=1", "p", "r", &ref, &e), -1);
	CHECK_STR(e.message, "job id \"j?x=1\": expected lowercase letters, digits and '-'");
	CHECK_INT(vertex_parse_job("j", "p/../q", "r", &ref, &e), -1);
}

TEST(create_body_has_the_documented_fields)
{
	json_t *spec = json_pack("{s:{s:s}, s:{}}", "pipelineInfo", "name", "nightfan", "root");
	json_t *params = json_pack("{s:[s], s:s}", "nights", "N0001", "on_error", "record");
	json_t *labels = json_pack("{s:s}", "team", "sleep");
	struct vertex_create c = {.project = "p", .region = "r", .job_id = "j", .display_name = "nightfan",
		.pipeline_spec = spec, .parameter_values = params, .gcs_output_directory = "gs://b/root",
		.service_account = "sa@p.iam.gserviceaccount.com", .labels = labels};
	json_t *body = vertex_create_body(&c);
	char *text = json_dumps(body, JSON_SORT_KEYS | JSON_COMPACT);
	CHECK_STR(text, "{\"displayName\":\"nightfan\",\"labels\":{\"team\":\"sleep\"},"
			"\"pipelineSpec\":{\"pipelineInfo\":{\"name\":\"nightfan\"},\"root\":{}},"
			"\"runtimeConfig\":{\"gcsOutputDirectory\":\"gs://b/root\",\"parameterValues\":"
			"{\"nights\":[\"N0001\"],\"on_error\":\"record\"}},"
			"\"serviceAccount\":\"sa@p.iam.gserviceaccount.com\"}");
	free(text);
	json_decref(body);
	struct kfp_create k = {.display_name = "nightfan", .pipeline_spec = spec, .parameters = params,
		.pipeline_root = "minio://mlpipeline/v2"};
	body = kfp_create_body(&k);
	text = json_dumps(body, JSON_SORT_KEYS | JSON_COMPACT);
	CHECK_STR(text, "{\"display_name\":\"nightfan\",\"pipeline_spec\":{\"pipelineInfo\":{\"name\":\"nightfan\"},"
			"\"root\":{}},\"runtime_config\":{\"parameters\":{\"nights\":[\"N0001\"],\"on_error\":\"record\"},"
			"\"pipeline_root\":\"minio://mlpipeline/v2\"}}");
	free(text);
	json_decref(body);
	/* v2beta1 Run.experiment_id (run.proto field 1), sent only when an experiment was picked */
	k.experiment_id = "11111111-0000-4000-8000-000000000001";
	body = kfp_create_body(&k);
	CHECK_STR(json_string_value(json_object_get(body, "experiment_id")), "11111111-0000-4000-8000-000000000001");
	json_decref(body);
	json_decref(spec);
	json_decref(params);
	json_decref(labels);
}

TEST(progress_counts_work_tasks_only)
{
	json_error_t je;
	json_t *job = json_loads("{\"state\": \"PIPELINE_STATE_RUNNING\", \"jobDetail\": {\"taskDetails\": ["
				 "{\"taskId\": \"1\", \"taskName\": \"nightfan\", \"state\": \"RUNNING\"},"
				 "{\"taskId\": \"2\", \"parentTaskId\": \"1\", \"taskName\": \"for-loop-1\", \"state\": \"RUNNING\"},"
				 "{\"taskId\": \"3\", \"parentTaskId\": \"2\", \"taskName\": \"shard\", \"state\": \"SUCCEEDED\"},"
				 "{\"taskId\": \"4\", \"parentTaskId\": \"2\", \"taskName\": \"shard\", \"state\": \"SKIPPED\"},"
				 "{\"taskId\": \"5\", \"parentTaskId\": \"2\", \"taskName\": \"shard\", \"state\": \"RUNNING\"},"
				 "{\"taskId\": \"6\", \"parentTaskId\": \"2\", \"taskName\": \"shard\", \"state\": \"FAILED\"},"
				 "{\"taskId\": \"7\", \"parentTaskId\": \"1\", \"taskName\": \"merge\", \"state\": \"PENDING\"}]}}",
				 0, &je);
	struct job_progress p;
	struct err e;
	CHECK_INT(job_progress_read(job, JOB_VERTEX, &p, &e), 0);
	CHECK(!p.terminal);
	CHECK_INT(p.n_tasks, 2);
	CHECK_STR(p.tasks[0].name, "shard");
	CHECK_INT(p.tasks[0].total, 4);
	CHECK_INT(p.tasks[0].done, 2);
	CHECK_INT(p.tasks[0].running, 1);
	CHECK_INT(p.tasks[0].failed, 1);
	char line[256];
	CHECK_STR(job_progress_format(&p, line, sizeof line),
		  "PIPELINE_STATE_RUNNING; shard 2/4 done (1 running, 1 failed); merge 0/1 done");
	json_decref(job);

	/* KFP v2beta1: run.proto's RuntimeState by value name, no prefix (swagger v2beta1RuntimeState);
	 * Argo's inner "executor" task of each container task is not counted twice. */
	job = json_loads("{\"state\": \"FAILED\", \"error\": {\"message\": \"shard failed\"},"
			 "\"run_details\": {\"task_details\": [{\"display_name\": \"root\", \"state\": \"FAILED\"},"
			 "{\"display_name\": \"shard-driver\", \"state\": \"SUCCEEDED\"},"
			 "{\"display_name\": \"shard\", \"state\": \"FAILED\"},"
			 "{\"display_name\": \"executor\", \"state\": \"FAILED\"},"
			 "{\"display_name\": \"shard\", \"state\": \"SUCCEEDED\"},"
			 "{\"display_name\": \"executor\", \"state\": \"SKIPPED\"}]}}", 0, &je);
	CHECK_INT(job_progress_read(job, JOB_KFP, &p, &e), 0);
	CHECK(p.terminal);
	CHECK(!p.succeeded);
	CHECK_STR(p.error, "shard failed");
	CHECK_STR(job_progress_format(&p, line, sizeof line), "FAILED; shard 1/2 done (0 running, 1 failed)");
	json_decref(job);

	/* Which KFP run states end a wait, and which of them are a success. */
	static const struct { const char *state; bool terminal, succeeded; } kfp_states[] = {
		{"RUNTIME_STATE_UNSPECIFIED", false, false}, {"PENDING", false, false}, {"RUNNING", false, false},
		{"SUCCEEDED", true, true}, {"SKIPPED", true, true}, {"FAILED", true, false},
		{"CANCELING", false, false}, {"CANCELED", true, false}, {"PAUSED", false, false},
		{"RUNTIME_STATE_SUCCEEDED", false, false}, /* not a name the server writes */
		{"PIPELINE_STATE_SUCCEEDED", false, false}};
	for (size_t i = 0; i < sizeof kfp_states / sizeof kfp_states[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "{\"state\": \"%s\"}", kfp_states[i].state);
		job = json_loads(text, 0, &je);
		CHECK_INT(job_progress_read(job, JOB_KFP, &p, &e), 0);
		CHECK(p.terminal == kfp_states[i].terminal);
		CHECK(p.succeeded == kfp_states[i].succeeded);
		json_decref(job);
	}
	job = json_loads("{\"state\": \"SUCCEEDED\"}", 0, &je);
	CHECK_INT(job_progress_read(job, JOB_VERTEX, &p, &e), 0);
	CHECK(!p.terminal); /* Vertex spells it PIPELINE_STATE_SUCCEEDED */
	json_decref(job);

	job = json_loads("{\"name\": \"x\"}", 0, &je);
	CHECK_INT(job_progress_read(job, JOB_VERTEX, &p, &e), -1);
	CHECK_STR(e.message, "the pipeline job answer has no \"state\"");
	json_decref(job);
}

TEST(progress_expects_one_run_per_loop_item)
{
	json_error_t je;
	const char *spec = "{\"pipelineSpec\": {\"root\": {"
		"\"inputDefinitions\": {\"parameters\": {\"nights\": {\"parameterType\": \"LIST\","
		"  \"defaultValue\": [\"N1\", \"N2\", \"N3\", \"N4\"]}}},"
		"\"dag\": {\"tasks\": {"
		"  \"for-loop-1\": {\"componentRef\": {\"name\": \"comp-for-loop-1\"},"
		"    \"inputs\": {\"parameters\": {\"pipelinechannel--nights\": {\"componentInputParameter\": \"nights\"}}},"
		"    \"parameterIterator\": {\"itemInput\": \"x\", \"items\": {\"inputParameter\": \"pipelinechannel--nights\"}}},"
		"  \"for-loop-2\": {\"componentRef\": {\"name\": \"comp-for-loop-2\"},"
		"    \"parameterIterator\": {\"itemInput\": \"y\", \"items\": {\"raw\": \"[1, 2]\"}}},"
		"  \"merge\": {\"taskInfo\": {\"name\": \"merge\"}}}}},"
		"\"components\": {\"comp-for-loop-1\": {\"dag\": {\"tasks\": {\"shard\": {\"taskInfo\": {\"name\": \"shard\"}}}}},"
		"  \"comp-for-loop-2\": {\"dag\": {\"tasks\": {\"other\": {\"taskInfo\": {\"name\": \"other\"}}}}}}},"
		"\"state\": \"PIPELINE_STATE_RUNNING\", %s"
		"\"jobDetail\": {\"taskDetails\": [{\"taskId\": \"5\", \"parentTaskId\": \"2\", \"taskName\": \"shard\", \"state\": \"SUCCEEDED\"}]}}";
	char text[4096];
	snprintf(text, sizeof text, spec, "");
	json_t *job = json_loads(text, 0, &je);
	struct job_progress p;
	struct err e;
	char line[256];
	CHECK_INT(job_progress_read(job, JOB_VERTEX, &p, &e), 0);
	CHECK_STR(job_progress_format(&p, line, sizeof line), "PIPELINE_STATE_RUNNING; shard 1/4 done; other 0/2 done");
	json_decref(job);
	/* the job's own parameter value wins over the spec's default */
	snprintf(text, sizeof text, spec, "\"runtimeConfig\": {\"parameterValues\": {\"nights\": [\"N9\"]}},");
	job = json_loads(text, 0, &je);
	CHECK_INT(job_progress_read(job, JOB_VERTEX, &p, &e), 0);
	CHECK_STR(job_progress_format(&p, line, sizeof line), "PIPELINE_STATE_RUNNING; shard 1/1 done; other 0/2 done");
	json_decref(job);
}

TEST(parameters_are_typed_by_the_spec)
{
	json_error_t je;
	json_t *spec = json_loads("{\"root\": {\"inputDefinitions\": {\"parameters\": {"
				  "\"nights\": {\"parameterType\": \"LIST\"}, \"on_error\": {\"parameterType\": \"STRING\"},"
				  "\"n\": {\"parameterType\": \"NUMBER_INTEGER\"}, \"x\": {\"parameterType\": \"NUMBER_DOUBLE\"},"
				  "\"b\": {\"parameterType\": \"BOOLEAN\"}}}}}", 0, &je);
	char *args[] = {"nights=[\"N0001\",\"N0002\"]", "on_error=fail", "n=3", "x=2", "b=true"};
	struct err e;
	json_t *p = cloud_typed_params(spec, args, 5, &e);
	char *text = json_dumps(p, JSON_SORT_KEYS | JSON_COMPACT);
	CHECK_STR(text, "{\"b\":true,\"n\":3,\"nights\":[\"N0001\",\"N0002\"],\"on_error\":\"fail\",\"x\":2}");
	free(text);
	json_decref(p);
	char *unknown[] = {"nigths=[]"};
	CHECK(cloud_typed_params(spec, unknown, 1, &e) == NULL);
	CHECK_STR(e.message, "--param nigths: the pipeline has no such parameter");
	char *wrong[] = {"n=3.5"};
	CHECK(cloud_typed_params(spec, wrong, 1, &e) == NULL);
	CHECK_STR(e.message, "--param n: expected a JSON NUMBER_INTEGER value, got \"3.5\"");
	char *integral_real[] = {"n=3.0"}; /* typed by a person, an integer is written as one */
	CHECK(cloud_typed_params(spec, integral_real, 1, &e) == NULL);
	CHECK_STR(e.message, "--param n: expected a JSON NUMBER_INTEGER value, got \"3.0\"");
	char *twice[] = {"n=1", "n=2"};
	CHECK(cloud_typed_params(spec, twice, 2, &e) == NULL);
	CHECK_STR(e.message, "--param n: given twice");
	char *bare[] = {"nights"};
	CHECK(cloud_typed_params(spec, bare, 1, &e) == NULL);
	CHECK_STR(e.message, "--param \"nights\": expected name=value");
	json_decref(spec);
}

TEST(labels_from_arguments)
{
	struct err e;
	char *ok[] = {"team=sleep", "cohort=2025"};
	json_t *l = cloud_labels(ok, 2, &e);
	CHECK_INT(json_object_size(l), 2);
	json_decref(l);
	char *dup[] = {"team=a", "team=b"};
	CHECK(cloud_labels(dup, 2, &e) == NULL);
	CHECK_STR(e.message, "--label team: given twice");
	char *bare[] = {"team"};
	CHECK(cloud_labels(bare, 1, &e) == NULL);
	CHECK_STR(e.message, "--label \"team\": expected key=value");
}
