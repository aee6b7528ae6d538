// This module is Deprecated: but not at the start of a paragraph.
module example.com/dep
