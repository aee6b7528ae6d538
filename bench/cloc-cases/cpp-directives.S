#include <linux/linkage.h>
#define X 1
# a comment
	mov %rdi, %rax
