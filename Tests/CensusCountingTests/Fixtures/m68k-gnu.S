# census-expect: code=6 comments=4 blanks=1
#include <linux/linkage.h>
| GNU as m68k syntax, as in the kernel's arch/m68k
	| an indented comment
ENTRY(fpsp_entry)
	moveq	#0,%d0		| a comment after code: the line is code
	movem.l	%d0-%d1,-(%sp)
#define FRAME 4

	move.l	%sp@(FRAME),%a0
# a hash comment
