module example.com/control

//backfeed <tag>  line para 
// trailing spaces are trimmed  　
// Deprecated: not a module comment
retract v0.1.0
