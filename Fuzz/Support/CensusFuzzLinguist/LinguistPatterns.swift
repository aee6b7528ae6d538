import CensusLanguages

/// Every regular expression in Linguist's rules as census ships them (vendored, documentation and
/// generated paths, generated-content line patterns, named patterns and the heuristics), in a fixed
/// order, without duplicates.
public enum LinguistPatterns {
    public static let all: [String] = {
        var patterns: [String] = []
        var seen: Set<String> = []
        func add(_ pattern: String) { if seen.insert(pattern).inserted { patterns.append(pattern) } }
        func add(_ condition: HeuristicCondition) {
            switch condition {
            case .always, .named: break
            case .pattern(let list), .negativePattern(let list): list.forEach(add)
            case .and(let conditions): conditions.forEach(add)
            }
        }
        LinguistRules.vendoredPatterns.forEach(add)
        LinguistRules.documentationPatterns.forEach(add)
        LinguistRules.generatedPathPatterns.forEach { add($0.pattern) }
        for rule in LinguistRules.generatedContentRules {
            if let path = rule.pathPattern { add(path) }
            for test in rule.all + rule.any where test.check == .pattern { test.needles.forEach(add) }
        }
        for name in LinguistRules.namedPatterns.keys.sorted() { LinguistRules.namedPatterns[name]?.forEach(add) }
        for disambiguation in LinguistRules.disambiguations {
            for rule in disambiguation.rules { add(rule.condition) }
        }
        return patterns
    }()
}
