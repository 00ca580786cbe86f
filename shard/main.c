/* main.c — PLACEHOLDER: nightfan-shard is being written this session. */
#include <stdio.h>
int main(void)
{
	fprintf(stderr, "nightfan-shard: error: not built yet\n");
	return 2;
}
