/* census-expect: code=5 comments=5 blanks=2 */
#include <linux/linkage.h>

/*
 * Kernel-style assembly: C comments, preprocessor lines are code.
 */
SYM_FUNC_START(entry)
	movq %rdi, %rax	# return the first argument
	ret
SYM_FUNC_END(entry)

# a hash comment
