@ census-expect: code=5 comments=3 blanks=1
#include <asm/assembler.h>
# a hash comment
ENTRY(copy_word)
	mov	r2, r0, lsl #2		@ after code: the line is code
	@ an indented comment
	ldr	r3, [r1], #4

	str	r3, [r0], #4
