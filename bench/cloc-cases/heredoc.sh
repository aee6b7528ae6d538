cat << EOF
#include <stdio.h>
#define X 1
EOF
