TEMPLATE = """
int main(void);
# not a comment
"""
