// Deprecated: a blank line separates this comment from the module directive, so it does not count.

module example.com/dep

// Deprecated: only comments on the module directive count.
require example.com/a v1.0.0
