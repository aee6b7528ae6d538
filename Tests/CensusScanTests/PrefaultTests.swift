import CCensusBytes
import Glibc
import Testing

/// `census_prefault` and `census_warm_heap`: pages made resident in one call.
@Suite("Prefaulting pages")
struct PrefaultTests {
    /// How many of the `pages` pages at `start` are resident, by mincore(2) (independent of the
    /// code under test).
    static func resident(_ start: UnsafeMutableRawPointer, pages: Int) -> Int {
        var vector = [UInt8](repeating: 0, count: pages)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard mincore(start, pages * page, &vector) == 0 else { return -1 }
        return vector.filter { $0 & 1 != 0 }.count
    }

    @Test func untouchedPagesBecomeResidentAndWritable() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pages = 16
        let mapped = mmap(nil, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        let start = try #require(mapped == MAP_FAILED ? nil : mapped)
        defer { munmap(start, pages * page) }
        #expect(Self.resident(start, pages: pages) == 0)
        // A range that starts and ends inside pages: only the whole pages within it are made
        // resident (the first and last are partial here).
        census_prefault(start + 100, UInt(pages * page - 200))
        let made = Self.resident(start, pages: pages)
        // Kernels before 5.14 do not know MADV_POPULATE_WRITE: then nothing changes.
        #expect(made == pages - 2 || made == 0)
        if made > 0 {
            #expect(Self.resident(start, pages: 1) == 0)
            #expect(Self.resident(start + (pages - 1) * page, pages: 1) == 0)
        }
        // Still ordinary memory.
        start.storeBytes(of: 42, toByteOffset: page * 3, as: Int.self)
        #expect(start.load(fromByteOffset: page * 3, as: Int.self) == 42)
    }

    @Test func warmingTheHeapAndTheProgramsDataChangesNothingVisible() {
        census_warm_heap(256 << 10)
        census_prefault_writable_data()
        let block = UnsafeMutableRawPointer.allocate(byteCount: 100_000, alignment: 16)
        block.initializeMemory(as: UInt8.self, repeating: 7, count: 100_000)
        #expect(block.load(fromByteOffset: 99_999, as: UInt8.self) == 7)
        block.deallocate()
    }
}
