import CensusPeople
import Foundation
import Testing

@Suite("Company names")
struct CompanyNamesTests {
    /// Keys worked out by hand from the rules of Data/people/company-names.txt; several spellings
    /// are the real ones of gitdm's files ("Google LLC LLC", "HP Inc. Inc.", "FLANT EUROPE OÜ").
    @Test(arguments: [
        ("Red Hat, Inc.", "redhat"), ("redhat", "redhat"), ("RedHat", "redhat"), ("Red Hat Inc", "redhat"),
        ("  red   HAT  ", "redhat"), ("HP Inc. Inc.", "hp"), ("Google LLC LLC", "google"), ("Google, Inc.", "google"),
        ("Google.Inc", "google"), ("Huawei Technologies Co., Ltd.", "huaweitechnologies"),
        ("Huawei Technologies Co. Ltd", "huaweitechnologies"), ("Samsung Electronics Co.,Ltd.", "samsungelectronics"),
        ("SAP SE", "sap"), ("Systel-SA", "systel"), ("Acme S.A.", "acme"), ("Acme S. A.", "acme"), ("Foo B.V.", "foo"),
        ("Bar K.K.", "bar"), ("Baz Pty Ltd", "baz"), ("Qux Oy", "qux"), ("Quux AB", "quux"), ("Widgets GmbH", "widgets"),
        ("Widgets AG", "widgets"), ("Acme Corporation", "acme"), ("Acme Corp.", "acme"), ("Acme Limited", "acme"),
        ("Acme PLC", "acme"), ("Acme Private Limited", "acme"), ("Acme Sp. z o.o.", "acme"),
        ("The Linux Foundation", "linuxfoundation"), ("FLANT EUROPE OÜ", "flanteurope"),
        ("Dassault Systèmes", "dassaultsystemes"), ("DASSAULT SYSTEMES", "dassaultsystemes"), ("ＩＢＭ", "ibm"),
        ("AT&T", "att"), ("Alibaba.com", "alibabacom"), ("北京首都在线科技股份有限公司", "北京首都在线科技"),
        ("浙江邮电工程建设有限公司", "浙江邮电工程建设"), ("阿里巴巴（中国）有限公司", "阿里巴巴中国"), ("株式会社ロコタビ", "ロコタビ"),
        ("株）はてな", "はてな"), ("Inc.", "inc"), ("Co.", "co"), ("The", "the"), ("(Robots)", "robots"), ("-", ""),
    ])
    func key(name: String, key: String) {
        #expect(CompanyNames.key(name) == key)
    }

    @Test func withoutMappingTheNameIsShownAsWritten() {
        let names = CompanyNames()
        #expect(names.resolve("Red Hat, Inc.") == Company(key: "redhat", name: "Red Hat, Inc."))
        #expect(names.resolve("  Self  ") == Company(key: "self", name: "Self"))
        #expect(names.resolve("Independent").isIndependent)
        #expect(names.resolve("NotFound") == .unknown)
        #expect(names.resolve("Unknown").isUnknown)
        #expect(names.resolve("?") == .unknown)
    }

    @Test func mappingAppliesTransitivelyByKey() {
        var names = CompanyNames()
        names.addMapping(variant: "Heptio", canonical: "VMware Inc.")
        names.addMapping(variant: "VMware Inc.", canonical: "VMware")
        names.addMapping(variant: "Pivotal", canonical: "Heptio Inc")
        #expect(names.resolve("heptio") == Company(key: "vmware", name: "VMware"))
        #expect(names.resolve("Pivotal Software") == Company(key: "pivotalsoftware", name: "Pivotal Software"))
        #expect(names.resolve("Pivotal, Inc.") == Company(key: "vmware", name: "VMware"))
        #expect(names.resolve("VMWARE") == Company(key: "vmware", name: "VMware"))
        #expect(names.diagnostics.isEmpty)
    }

    /// Data/people's fixture mapping: lines 8–9 are a cycle, line 10 a conflicting spelling,
    /// 14–15 bad lines.
    @Test func fixtureMapping() throws {
        var names = CompanyNames()
        names.parseNamesMapping(bytes: try bytes("company-names-mapping"), origin: "company-names-mapping")
        #expect(names.mappingCount == 12)
        #expect(names.diagnostics.summary == ["company-names-mapping:14 error", "company-names-mapping:15 error", "company-names-mapping:10 warning", "company-names-mapping:8 warning"])
        #expect(names.resolve("Zeta Labs, Inc.") == Company(key: "omegagroup", name: "Omega Group"))
        #expect(names.resolve("Self") == Company(key: "independent", name: "Independent"))
        // A cycle stops at the company named by its earliest line ("Cycle One -> Cycle Two").
        #expect(names.resolve("Cycle One") == Company(key: "cycletwo", name: "Cycle Two"))
        #expect(names.resolve("cycle two") == Company(key: "cycletwo", name: "Cycle Two"))
        // "Red  Hat -> NotFound" holds for that exact spelling only; the key follows the others.
        #expect(names.resolve("Red  Hat") == .unknown)
        #expect(names.resolve("Red Hat, Inc.") == Company(key: "redhat", name: "Red Hat"))
        #expect(names.resolve("redhat") == Company(key: "redhat", name: "Red Hat"))
    }

    @Test func companyMap() throws {
        var names = CompanyNames()
        names.parseCompanyMap(bytes: try bytes("company-map"), origin: "company-map")
        #expect(names.mappingCount == 1)
        #expect(names.diagnostics.summary == ["company-map:4 error"])
        #expect(names.resolve("Lab One") == Company(key: "universitylab", name: "University Lab"))
        #expect(names.resolve("Commented Co").name == "Commented Co")
    }

    private func bytes(_ fixture: String) throws -> [UInt8] {
        Array(try String(contentsOfFile: Fixtures.path(fixture), encoding: .utf8).utf8)
    }
}
