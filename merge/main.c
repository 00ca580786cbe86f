/* main.c — PLACEHOLDER: nightfan-merge is being written this session. */
#include <stdio.h>
int main(void)
{
	fprintf(stderr, "nightfan-merge: error: not built yet\n");
	return 2;
}
