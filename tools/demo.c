/* demo.c - placeholder until the cast path lands (replaced this session). */
#include <stdio.h>
int main(void) { puts("borne demo: not yet"); return 0; }
