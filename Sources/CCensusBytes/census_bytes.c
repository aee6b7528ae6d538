#define _GNU_SOURCE
#include <sched.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include "census_bytes.h"
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#if defined(__linux__)
#include <elf.h>
#include <link.h>
#endif
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
uint64_t census_byte_mask64(const uint8_t *p, uint8_t byte) {
    const __m128i needle = _mm_set1_epi8((char)byte);
    uint64_t mask = 0;
    for (int k = 0; k < 4; k++) {
        __m128i block = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        mask |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(block, needle)) << (16 * k);
    }
    return mask;
}
#else
uint64_t census_byte_mask64(const uint8_t *p, uint8_t byte) {
    uint64_t mask = 0;
    for (int k = 0; k < 64; k++) mask |= (uint64_t)(p[k] == byte) << k;
    return mask;
}
#endif


int census_spread_to_cpu(int index) {
#ifdef __linux__
    cpu_set_t allowed;
    if (index < 0 || sched_getaffinity(0, sizeof(allowed), &allowed) != 0) return -1;
    int count = CPU_COUNT(&allowed);
    if (count < 2) return -1;
    int wanted = index % count;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        if (wanted-- > 0) continue;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        if (sched_setaffinity(0, sizeof(one), &one) != 0) return -1;
        return sched_setaffinity(0, sizeof(allowed), &allowed) == 0 ? 0 : -1;
    }
    return -1;
#else
    (void)index;
    return -1;
#endif
}

void census_tune_malloc(void) {
#if defined(__GLIBC__)
    mallopt(M_TOP_PAD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
#endif
}

void census_prefault(void *start, unsigned long count) {
#if defined(MADV_POPULATE_WRITE)
    static long page = 0;
    if (page == 0) page = sysconf(_SC_PAGESIZE);
    if (page <= 0) return;
    uintptr_t first = ((uintptr_t)start + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)start + count) & ~((uintptr_t)page - 1);
    if (end > first) (void)madvise((void *)first, end - first, MADV_POPULATE_WRITE);
#else
    (void)start;
    (void)count;
#endif
}

void census_warm_heap(unsigned long bytes) {
    void *block = malloc(bytes);
    if (block == NULL) return;
    census_prefault(block, bytes);
    free(block);
}

#if defined(__linux__) && defined(__LP64__)
static int census_first_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    *(ElfW(Addr) *)data = info->dlpi_addr;
    return 1;  /* the first object is the program itself */
}
#endif

void census_prefault_writable_data(void) {
#if defined(__linux__) && defined(__LP64__) && defined(MADV_POPULATE_WRITE)
    ElfW(Addr) base = 0;
    dl_iterate_phdr(census_first_object, &base);
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    Elf64_Ehdr header;
    Elf64_Shdr *sections = NULL;
    char *names = NULL;
    if (pread(fd, &header, sizeof header, 0) != (ssize_t)sizeof header) goto done;
    if (memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64) goto done;
    if (header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shnum == 0 || header.e_shnum > 1024) goto done;
    if (header.e_shstrndx >= header.e_shnum) goto done;
    size_t table = (size_t)header.e_shnum * sizeof(Elf64_Shdr);
    sections = malloc(table);
    if (sections == NULL || pread(fd, sections, table, (off_t)header.e_shoff) != (ssize_t)table) goto done;
    Elf64_Shdr *strings = &sections[header.e_shstrndx];
    if (strings->sh_size == 0 || strings->sh_size > 65536) goto done;
    names = malloc(strings->sh_size + 1);
    if (names == NULL || pread(fd, names, strings->sh_size, (off_t)strings->sh_offset) != (ssize_t)strings->sh_size) goto done;
    names[strings->sh_size] = 0;
    for (unsigned i = 0; i < header.e_shnum; i++) {
        Elf64_Shdr *section = &sections[i];
        if (section->sh_name >= strings->sh_size) continue;
        if ((section->sh_flags & (SHF_ALLOC | SHF_WRITE)) != (SHF_ALLOC | SHF_WRITE) || section->sh_addr == 0) continue;
        const char *name = names + section->sh_name;
        if (strcmp(name, ".data") == 0) {
            census_prefault((void *)(base + section->sh_addr), section->sh_size);
        }
    }
done:
    free(names);
    free(sections);
    close(fd);
#endif
}
