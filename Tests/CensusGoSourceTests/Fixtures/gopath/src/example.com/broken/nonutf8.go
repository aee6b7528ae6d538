package broken

// ÿ not UTF-8
import "sort"
