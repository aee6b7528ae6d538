/// The one rule that turns a cohort name into a tag.
///
/// Letters are lowercased, letters and digits kept (any script), and every run of anything else
/// (spaces, `&`, `/`, `.`, `-`, `_`, …) becomes one `-`, with none at either end:
///
/// | name | tag |
/// |---|---|
/// | `App Definition and Development` | `app-definition-and-development` |
/// | `Automation & Configuration` | `automation-configuration` |
/// | `PaaS/Container Service` | `paas-container-service` |
/// | `  CNCF_Graduated ` | `cncf-graduated` |
///
/// Tags from CSV manifests go through it too, so `Observability` and `observability` are one cohort.
public enum CohortTag {
    /// The tag for `name`; nil when nothing of it is a letter or digit.
    public static func normalized(_ name: some StringProtocol) -> String? {
        var tag = ""
        var pendingDash = false
        for character in name {
            if character.isLetter || character.isNumber {
                if pendingDash && !tag.isEmpty { tag.append("-") }
                pendingDash = false
                tag += character.lowercased()
            } else {
                pendingDash = true
            }
        }
        return tag.isEmpty ? nil : tag
    }

    /// The tag for a CNCF project maturity (`graduated` → `cncf-graduated`).
    public static func maturity(_ level: some StringProtocol) -> String? {
        normalized(level).map { "cncf-" + $0 }
    }
}
