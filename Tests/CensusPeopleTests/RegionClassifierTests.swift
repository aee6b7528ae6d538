import CensusPeople
import Testing

@Suite("Regions")
struct RegionClassifierTests {
    let regions = RegionClassifier.standard

    @Test(arguments: [
        ("Beijing", "CN", WorldRegion.china), ("Shenzhen, China", "CN", .china), ("杭州", "CN", .china),
        ("中国北京", "CN", .china), ("深圳市南山区", "CN", .china), ("Bay Area", "US", .northAmerica),
        ("SF Bay Area", "US", .northAmerica), ("Bengaluru", "IN", .india), ("Bangalore, India", "IN", .india),
        ("San Francisco, CA", "US", .northAmerica), ("Vancouver, CA", "CA", .northAmerica),
        ("Toronto, Canada", "CA", .northAmerica), ("London, UK", "GB", .europe), ("Berlin, Germany", "DE", .europe),
        ("Berlin, DE", "DE", .europe), ("Wilmington, DE", "US", .northAmerica), ("Tokyo", "JP", .asiaPacific),
        ("東京都", "JP", .asiaPacific), ("São Paulo", "BR", .latinAmerica), ("Sao Paulo, Brazil", "BR", .latinAmerica),
        ("MÜNCHEN", "DE", .europe), ("Zürich", "CH", .europe), ("Paris, France", "FR", .europe),
        ("Paris, TX", "US", .northAmerica), ("Cambridge, MA", "US", .northAmerica), ("Cambridge, UK", "GB", .europe),
        ("Atlanta, Georgia", "US", .northAmerica), ("Tbilisi, Georgia", "GE", .europe),
        ("Albuquerque, New Mexico", "US", .northAmerica), ("Mexico City", "MX", .latinAmerica),
        ("Seoul, Korea", "KR", .asiaPacific), ("서울", "KR", .asiaPacific), ("Москва", "RU", .europe),
        ("Hong Kong", "HK", .asiaPacific), ("香港", "HK", .asiaPacific), ("Taipei, Taiwan", "TW", .asiaPacific),
        ("Sydney, NSW, Australia", "AU", .asiaPacific), ("Tel Aviv", "IL", .middleEast), ("Lagos, Nigeria", "NG", .africa),
        ("Remote, US", "US", .northAmerica), ("Pune, IN", "IN", .india), ("Indianapolis, IN", "US", .northAmerica),
        ("NYC", "US", .northAmerica), ("Working from Berlin (remote)", "DE", .europe), ("Riyadh", "SA", .middleEast),
        ("Istanbul, Türkiye", "TR", .europe), ("Jakarta", "ID", .asiaPacific), ("Buenos Aires", "AR", .latinAmerica),
        ("Cape Town", "ZA", .africa), ("Rome, Italy", "IT", .europe), ("ＳＨＡＮＧＨＡＩ", "CN", .china),
    ])
    func places(text: String, country: String, region: WorldRegion) {
        let location = regions.classify(text)
        #expect(location?.country == country, "\(text) -> \(String(describing: location))")
        #expect(location?.region == region, "\(text)")
    }

    @Test(arguments: ["Remote", "Earth", "Planet Earth", "", "   ", "localhost", "The Internet", "Ebay Areas", "CA", "in", "Everywhere, Worldwide"])
    func unknown(text: String) {
        #expect(regions.classify(text) == nil, "\(text) -> \(String(describing: regions.classify(text)))")
    }

    @Test func regionsWithoutCountry() {
        #expect(regions.classify("Europe") == RegionClassifier.Location(country: nil, region: .europe, matched: "europe"))
        #expect(regions.classify("Berlin, Europe")?.country == "DE")
        #expect(regions.classify("LATAM")?.region == .latinAmerica)
        #expect(regions.classify("Shenzhen")?.matched == "shenzhen")
    }

    /// The G20: 19 countries, the European Union and the African Union.
    @Test func coversTheG20() {
        let members = ["AR", "AU", "BR", "CA", "CN", "FR", "DE", "IN", "ID", "IT", "JP", "MX", "RU", "SA", "ZA", "KR", "TR", "GB", "US"]
        for code in members { #expect(regions.region(ofCountry: code) != nil, "\(code)") }
        #expect(regions.classify("European Union")?.region == .europe)
        #expect(regions.classify("African Union")?.region == .africa)
        #expect(regions.nameCount >= 150)
    }
}
