/*
 * run_program.h — which executable a task's command runs under `nightfan run`.
 *
 * Owns the lookup of a bare command ("nightfan-shard"): $NIGHTFAN_BINDIR, then beside the running
 * nightfan, then PATH. Starting the process is pipeline/local/run_sched.c; what the command is,
 * the plan's (pipeline/local/plan.h).
 */
#ifndef NIGHTFAN_RUN_PROGRAM_H
#define NIGHTFAN_RUN_PROGRAM_H

/* A bare command is the binary in $NIGHTFAN_BINDIR when that is set (how the valgrind stage of the
 * tests slips its shims in), else the binary beside this one when there is one there, else whatever
 * PATH finds; a command with a '/' is taken as is. Returns the path (caller frees), or NULL when no
 * executable is found (or out of memory). */
char *run_program_resolve(const char *command);

#endif
