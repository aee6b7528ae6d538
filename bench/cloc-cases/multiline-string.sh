includes='
#include <sys/types.h>
#define KERNEL
'
echo "$includes"
