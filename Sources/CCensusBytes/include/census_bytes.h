#ifndef CENSUS_BYTES_H
#define CENSUS_BYTES_H

#include <stdint.h>

/// A bit for each of the 64 bytes at `p` that equals `byte` (bit k for p[k]); all 64 bytes
/// must be readable.
///
/// Swift cannot reach the vector compare-and-collect instructions this needs (SSE2's
/// pcmpeqb/pmovmskb, part of every x86-64), so the byte-parallel search lives in C; on other
/// processors a plain loop stands in. The pattern search walks line starts with it: one call
/// per 64 bytes instead of one `memchr` call per line.
uint64_t census_byte_mask64(const uint8_t *p, uint8_t byte);

/// Moves the calling thread now to the `index % n`-th of the n processors it may run on, then
/// allows it all n again (so the scheduler may still move it later): a one-time spreading of a
/// scan's worker threads. Returns 0, or -1 when it could not (the thread stays where it is).
///
/// Why: the workers of a small scan sleep until the detection engine is built, and the thread
/// that builds it wakes them all onto its own processor; the scheduler's balancing moves one to
/// the idle processor only milliseconds later, about the length of the whole scan. Measured on
/// the prometheus tree (2 processors): 1 to 2 ms less of 15 to 18 (docs/benchmarks.md).
int census_spread_to_cpu(int index);

/// Makes the whole pages inside [start, start + count) resident and writable now, in one call
/// (madvise MADV_POPULATE_WRITE, Linux 5.14), rather than one page fault per page as they are
/// first written. Does nothing where that is not available. For tables about to be written in
/// full at start-up.
void census_prefault(void *start, unsigned long count);

/// Makes `bytes` of the calling thread's heap resident in one call: allocates them, prefaults
/// them (census_prefault) and frees them, so that the thread's next allocations, up to that
/// size, land on pages already there rather than faulting one page at a time.
void census_warm_heap(unsigned long bytes);

/// Makes the program's own `.data` pages private and writable now, in one call (census_prefault),
/// finding the section in the section headers of /proc/self/exe. For a process about to start
/// threads: a first write to a page that is mapped read-only (a `.data` page read before, or a
/// `swift_initStaticObject` header there) copies the page and must flush the other processors'
/// TLB, an inter-processor interrupt each time once a second thread runs (a VM exit on virtual
/// machines); done while single-threaded, none is needed. `.bss` is left alone: making its 230
/// pages resident (most never used) cost more than the dozen zero-page copies it saves
/// (docs/benchmarks.md). Does nothing when anything is not as expected.
void census_prefault_writable_data(void);

/// Sets glibc's allocator for a program that starts several threads at once (see MallocTuning
/// in Sources/census/Census.swift): a 16 MB top pad, a 4 MB mmap threshold and a 32 MB trim
/// threshold. Does nothing on other C libraries.
void census_tune_malloc(void);

#endif
