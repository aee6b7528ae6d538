// Only comments.

// And blank lines, without a final newline.