#!/usr/bin/env bash
# 07_checksrc: scripts/checksrc (the code conventions of docs/DEVELOPING.md as checks) finds each
# kind of violation in planted files, with its exact line, and passes a file that keeps them all.
source "$TESTS/lib.sh"
CHECKSRC="$TESTS/../scripts/checksrc"
mkdir -p "$WORK/widget"
cd "$WORK/widget"

cat >widget.c <<'C'
/*
 * widget.c — a module that keeps the conventions.
 */
#include "widget.h"

static int helper(void)
{
	return 0; /* exit(1) or fprintf(stderr, ...) in a comment is not a call */
}

int widget_count(void)
{
	puts("exit(1)");
	return helper();
}
C
cat >widget_bad.c <<'C'
#include "../widget.h"

int count_widgets(void)
{
	fprintf(stderr, "no\n");
	exit(1);
}
C
cat >cmd_widget.c <<'C'
/*
 * cmd_widget.c — a command: it may print and exit.
 */
int cmd_widget(void)
{
	fprintf(stderr, "nightfan widget: error: no\n");
	exit(1);
}
C

check_run "a file keeping the conventions, and a command that prints" 0 "" "$CHECKSRC" widget.c cmd_widget.c
check_eq "one check per file" "$(cat "$WORK/stdout")" "2 passed, 0 failed"
check_run "every kind of violation" 1 "" "$CHECKSRC" widget.c widget_bad.c
check_eq "each violation named with its line" "$(cat "$WORK/stdout")" \
"widget_bad.c:1: include: relative \"../\" include (the include path finds headers)
widget_bad.c:1: opening: the file does not open with a comment saying what it owns
widget_bad.c:3: prefix: count_widgets() is neither static nor prefixed widget_
widget_bad.c:5: print: fprintf outside main.c/cmd_*.c (return an error in struct err)
widget_bad.c:6: print: exit outside main.c/cmd_*.c (return an error in struct err)
1 passed, 1 failed"

finish
