import CensusPeople

/// A row of `--users FILE.csv` (`login,company,location`).
public struct EventUser: Sendable, Equatable {
    public var company: String?
    public var location: String?

    public init(company: String?, location: String?) {
        self.company = company
        self.location = location
    }
}

/// What census knows about actors, shared by every ingest worker (docs/events.md, "Actor company,
/// place and bots").
///
/// An actor's company on an event's day is, in order: the gitdm affiliation files' history of the
/// login; the Timeline's `actor_attributes.company` of the event, through the same company-name
/// normalisation; the `--users` file's company. The place is the event's
/// `actor_attributes.location`, else the `--users` file's location, read by
/// ``RegionClassifier`` as a country and region. Bots are ``BotClassifier``'s, by login.
public struct EventPeople: Sendable {
    public var affiliations: AffiliationDatabase?
    /// By lowercased login.
    public var users: [String: EventUser]
    public var bots: BotClassifier
    public var regions: RegionClassifier
    let names: CompanyNames

    public init(
        affiliations: AffiliationDatabase? = nil, users: [String: EventUser] = [:], bots: BotClassifier = .standard,
        regions: RegionClassifier = .standard
    ) {
        self.affiliations = affiliations
        self.users = users
        self.bots = bots
        self.regions = regions
        self.names = CompanyNames()
    }

    /// A company name as the store keeps it: normalised, with the affiliation files' display name
    /// when they know the company; nil for no company (`-`, `NotFound`, blank).
    public func companyName(_ raw: String) -> String? {
        let company = affiliations?.company(named: raw) ?? names.resolve(raw)
        return company.isUnknown ? nil : company.name
    }

    /// A location as a country code and region, nil when it names no known place.
    public func place(_ raw: String) -> (country: String?, region: String)? {
        regions.classify(raw).map { ($0.country, $0.region.rawValue) }
    }
}

/// One worker's memory of actors, company spellings and locations already resolved, keyed by
/// their bytes, so resolving an event's dimensions allocates nothing once its actor is known.
/// Not thread-safe: one per worker.
final class EventDimensionCache {
    struct Actor {
        var login: [UInt8]
        var isBot: Bool
        /// The gitdm history: ranges and company names (nil: a range that says no company).
        var stints: [(range: DayRange, name: [UInt8]?)]
        var userCompany: [UInt8]?
        var userPlace: Place?
    }

    struct Place {
        var country: [UInt8]?
        var region: [UInt8]
    }

    let people: EventPeople
    private var actorIndex: [UInt64: Int] = [:]
    private var actors: [Actor] = []
    /// Flat copies of what most events ask, read without touching the actors' arrays.
    private var botFlags: [Bool] = []
    private var stintFlags: [Bool] = []
    private var userFlags: [Bool] = []
    private var companyIndex: [UInt64: Int] = [:]
    private var companies: [(raw: [UInt8], name: [UInt8]?)] = []
    private var placeIndex: [UInt64: Int] = [:]
    private var places: [(raw: [UInt8], place: Place?)] = []

    init(people: EventPeople) {
        self.people = people
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, folding: Bool) -> UInt64 {
        var hasher = EventKey.Hasher()
        if folding {
            for byte in bytes { hasher.add(EventKey.lowercase(byte)) }
        } else {
            hasher.add(bytes)
        }
        return hasher.value
    }

    static func equal(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>, folding: Bool) -> Bool {
        guard a.count == b.count else { return false }
        if folding {
            for index in 0..<a.count where EventKey.lowercase(a[index]) != EventKey.lowercase(b[index]) { return false }
            return true
        }
        return a.elementsEqual(b)
    }

    /// The actor's entry (created on first sight).
    func actor(_ login: UnsafeBufferPointer<UInt8>) -> Int {
        let key = Self.hash(login, folding: true)
        if let index = actorIndex[key], Self.equal(actors[index].login, login, folding: true) { return index }
        let text = String(decoding: login, as: UTF8.self)
        var entry = Actor(
            login: Array(login), isBot: people.bots.isBot(login: text), stints: [], userCompany: nil, userPlace: nil)
        if let affiliations = people.affiliations {
            entry.stints = affiliations.history(login: text).map { record in
                (record.range, record.company.isUnknown ? nil : Array(record.company.name.utf8))
            }
        }
        if let user = people.users[text.lowercased()] {
            entry.userCompany = user.company.flatMap { people.companyName($0) }.map { Array($0.utf8) }
            entry.userPlace = user.location.flatMap { people.place($0) }.map {
                Place(country: $0.country.map { Array($0.utf8) }, region: Array($0.region.utf8))
            }
        }
        if actorIndex[key] == nil { actorIndex[key] = actors.count }
        actors.append(entry)
        botFlags.append(entry.isBot)
        stintFlags.append(!entry.stints.isEmpty)
        userFlags.append(entry.userCompany != nil || entry.userPlace != nil)
        return actors.count - 1
    }

    @inline(__always)
    func isBot(_ actor: Int) -> Bool { botFlags[actor] }

    /// The gitdm company of an actor on a day: the range holding it with the latest start, then the
    /// earliest end, then the first line read (``AffiliationDatabase``'s rule). `.some(nil)` when
    /// the holding range names no company.
    func gitdmCompany(_ actor: Int, on day: Day) -> [UInt8]?? {
        guard stintFlags[actor] else { return nil }
        var best: (range: DayRange, name: [UInt8]?)?
        for stint in actors[actor].stints where stint.range.contains(day) {
            guard let current = best else {
                best = stint
                continue
            }
            let from = stint.range.from?.daysSinceEpoch ?? .min
            let currentFrom = current.range.from?.daysSinceEpoch ?? .min
            if from != currentFrom {
                if from > currentFrom { best = stint }
                continue
            }
            let until = stint.range.until?.daysSinceEpoch ?? .max
            let currentUntil = current.range.until?.daysSinceEpoch ?? .max
            if until < currentUntil { best = stint }
        }
        guard let best else { return nil }
        return .some(best.name)
    }

    func userCompany(_ actor: Int) -> [UInt8]? { userFlags[actor] ? actors[actor].userCompany : nil }
    func userPlace(_ actor: Int) -> Place? { userFlags[actor] ? actors[actor].userPlace : nil }

    /// A raw company spelling, normalised (nil: no company).
    func company(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let key = Self.hash(raw, folding: false)
        if let index = companyIndex[key], Self.equal(companies[index].raw, raw, folding: false) {
            return companies[index].name
        }
        let name = people.companyName(String(decoding: raw, as: UTF8.self)).map { Array($0.utf8) }
        if companyIndex[key] == nil { companyIndex[key] = companies.count }
        companies.append((Array(raw), name))
        return name
    }

    /// A raw location, classified (nil: no known place).
    func place(_ raw: UnsafeBufferPointer<UInt8>) -> Place? {
        let key = Self.hash(raw, folding: false)
        if let index = placeIndex[key], Self.equal(places[index].raw, raw, folding: false) {
            return places[index].place
        }
        let place = people.place(String(decoding: raw, as: UTF8.self)).map {
            Place(country: $0.country.map { Array($0.utf8) }, region: Array($0.region.utf8))
        }
        if placeIndex[key] == nil { placeIndex[key] = places.count }
        places.append((Array(raw), place))
        return place
    }
}
