const char *glob = "/proc/*";
int a = 1;
int b = 2;
const char *end = "*/";
