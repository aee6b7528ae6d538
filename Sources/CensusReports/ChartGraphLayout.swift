/// A directed graph laid out in layers, left to right (a module on the left requires the modules
/// its arrows reach): census's own layout, so no Graphviz is needed.
///
/// Layers are longest paths from the modules nothing requires (edges closing a cycle are left out
/// of the layering and still drawn); the order inside a layer is improved by barycentre sweeps
/// (each node moved toward the mean position of its neighbours in the adjacent layer), the usual
/// Sugiyama heuristic for few crossings.
public struct GraphDrawing: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        public var name: String
        /// What the box shows (the name shortened to fit its column).
        public var label: String
        /// What hovering shows.
        public var tooltip: String
        /// A module of the corpus (drawn with a dashed border) rather than a dependency.
        public var isCorpus: Bool
        public var layer: Int
        public var x: Double
        public var y: Double
        public var width: Double
    }

    public struct Edge: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var indirect: Bool
    }

    public var nodes: [Node]
    public var edges: [Edge]
    public var height: Double

    static let nodeHeight = 22.0
    static let rowGap = 30.0

    /// Lays out `names` with `edges` (indices into `names`) in `width` points.
    ///
    /// - Complexity: O(sweeps × (V + E) log V) for the ordering; V and E are small (a report draws
    ///   the top few dozen modules).
    public init(
        names: [String], tooltips: [String], corpus: Set<Int>, edges: [(from: Int, to: Int, indirect: Bool)],
        width: Double = 720
    ) {
        let n = names.count
        var seen = Set<[Int]>()
        let unique = edges.filter { $0.from != $0.to && $0.from < n && $0.to < n && seen.insert([$0.from, $0.to]).inserted }
        self.edges = unique.map { Edge(from: $0.from, to: $0.to, indirect: $0.indirect) }

        // Drop the edges that close cycles (depth-first, in name order, so the result is stable).
        var outgoing = [[Int]](repeating: [], count: n)
        for e in unique { outgoing[e.from].append(e.to) }
        for k in 0 ..< n { outgoing[k].sort { names[$0] < names[$1] } }
        var state = [UInt8](repeating: 0, count: n)  // 0 new, 1 on the stack, 2 done
        var acyclic = [[Int]](repeating: [], count: n)
        for start in (0 ..< n).sorted(by: { names[$0] < names[$1] }) where state[start] == 0 {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            state[start] = 1
            while let top = stack.last {
                if top.next < outgoing[top.node].count {
                    stack[stack.count - 1].next += 1
                    let to = outgoing[top.node][top.next]
                    if state[to] == 1 { continue }  // a back edge: closes a cycle
                    acyclic[top.node].append(to)
                    if state[to] == 0 {
                        state[to] = 1
                        stack.append((to, 0))
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }

        // Longest-path layers, in topological order (Kahn).
        var indegree = [Int](repeating: 0, count: n)
        for from in 0 ..< n { for to in acyclic[from] { indegree[to] += 1 } }
        var layer = [Int](repeating: 0, count: n)
        var queue = (0 ..< n).filter { indegree[$0] == 0 }
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for to in acyclic[node] {
                layer[to] = max(layer[to], layer[node] + 1)
                indegree[to] -= 1
                if indegree[to] == 0 { queue.append(to) }
            }
        }
        let layerCount = (layer.max() ?? 0) + 1

        // Order within layers: by name, then barycentre sweeps.
        var layers = [[Int]](repeating: [], count: layerCount)
        for k in (0 ..< n).sorted(by: { names[$0] < names[$1] }) { layers[layer[k]].append(k) }
        var position = [Double](repeating: 0, count: n)
        func number() { for l in layers { for (i, k) in l.enumerated() { position[k] = Double(i) } } }
        number()
        var neighbours = [[Int]](repeating: [], count: n)
        for e in unique {
            neighbours[e.from].append(e.to)
            neighbours[e.to].append(e.from)
        }
        for sweep in 0 ..< 8 {
            let order = sweep % 2 == 0 ? Array(1 ..< max(layerCount, 1)) : Array((0 ..< max(layerCount - 1, 0)).reversed())
            for l in order where l < layerCount {
                let adjacent = sweep % 2 == 0 ? l - 1 : l + 1
                func centre(_ k: Int) -> Double {
                    let near = neighbours[k].filter { layer[$0] == adjacent }
                    return near.isEmpty ? position[k] : near.reduce(0) { $0 + position[$1] } / Double(near.count)
                }
                layers[l].sort { a, b in
                    let (ca, cb) = (centre(a), centre(b))
                    return ca != cb ? ca < cb : position[a] < position[b]
                }
                for (i, k) in layers[l].enumerated() { position[k] = Double(i) }
            }
        }

        // Coordinates.
        let margin = 4.0
        let gap = 36.0
        let columnWidth = (width - 2 * margin - gap * Double(layerCount - 1)) / Double(layerCount)
        let tallest = layers.map(\.count).max() ?? 0
        var nodes: [Node] = []
        nodes.reserveCapacity(n)
        for k in 0 ..< n {
            let maxCharacters = max(6, Int((columnWidth - 16) / 7.5))
            let label = Escaping.truncated(names[k], limit: maxCharacters)
            let w = min(columnWidth, SVGCanvas.textWidth(label) + 16)
            nodes.append(
                Node(name: names[k], label: label, tooltip: tooltips[k], isCorpus: corpus.contains(k), layer: layer[k], x: 0, y: 0, width: w))
        }
        for (l, members) in layers.enumerated() {
            let offset = Double(tallest - members.count) * Self.rowGap / 2
            for (i, k) in members.enumerated() {
                nodes[k].x = margin + Double(l) * (columnWidth + gap)
                nodes[k].y = margin + offset + Double(i) * Self.rowGap
            }
        }
        self.nodes = nodes
        height = margin * 2 + Double(max(tallest, 1)) * Self.rowGap
    }

    /// Pairs of edges that cross (for tests of the ordering).
    public var crossings: Int {
        var count = 0
        for (i, a) in edges.enumerated() {
            for b in edges[(i + 1)...] {
                guard nodes[a.from].layer == nodes[b.from].layer, nodes[a.to].layer == nodes[b.to].layer else { continue }
                let s = (nodes[a.from].y - nodes[b.from].y) * (nodes[a.to].y - nodes[b.to].y)
                if s < 0 { count += 1 }
            }
        }
        return count
    }
}
