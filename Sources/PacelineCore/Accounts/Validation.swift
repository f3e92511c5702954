import Foundation

/// Field rules shared by every form and command that creates or changes an account.
/// Each returns the cleaned value or throws a message meant for the person typing.
public enum FieldRules {
    public static let maxNameLength = 100
    public static let maxEmailLength = 254
    public static let minPasswordLength = 10
    /// bcrypt reads at most 72 bytes; longer passwords would be silently truncated.
    public static let maxPasswordBytes = 72
    public static let slugLength = 2...40
    public static let maxNoteLength = 5_000
    /// Slugs that would collide with top-level routes or read as official.
    public static let reservedSlugs: Set<String> = [
        "admin", "api", "app", "cal", "healthz", "metrics", "login", "logout", "signup",
        "static", "css", "js", "img", "o", "www", "help", "invite", "account", "new",
    ]

    public struct Invalid: Error, Equatable, Sendable {
        public let message: String
        public init(_ message: String) { self.message = message }
    }

    public static func name(_ raw: String, field: String = "Name") throws(Invalid) -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw Invalid("\(field) is required.") }
        guard value.count <= maxNameLength else {
            throw Invalid("\(field) must be at most \(maxNameLength) characters.")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Invalid("\(field) must not contain control characters.")
        }
        return value
    }

    /// A deliberately plain check: one @, a dot in the domain, no spaces. Lower-cased.
    public static func email(_ raw: String) throws(Invalid) -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !value.isEmpty else { throw Invalid("Email is required.") }
        guard value.count <= maxEmailLength else {
            throw Invalid("Email must be at most \(maxEmailLength) characters.")
        }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
            !local.isEmpty, domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."),
            !value.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" })
        else { throw Invalid("Enter an email address like name@example.com.") }
        return value
    }

    /// NIST SP 800-63B §5.1.1.2: long enough, not on a list of breached passwords, not
    /// repetitive or sequential, not the person's own email or name (`context`: the email, the
    /// name, the organization's name — whatever the form knows). No composition rules.
    public static func password(_ raw: String, context: [String] = []) throws(Invalid) -> String {
        guard raw.count >= minPasswordLength else {
            throw Invalid("Password must be at least \(minPasswordLength) characters.")
        }
        guard raw.utf8.count <= maxPasswordBytes else {
            throw Invalid("Password must be at most \(maxPasswordBytes) bytes.")
        }
        if let reason = CommonPasswords.weakness(of: raw, context: context) { throw Invalid(reason) }
        return raw
    }

    /// Lower-case letters, digits and single hyphens, starting with a letter.
    public static func slug(_ raw: String) throws(Invalid) -> String {
        let value = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard slugLength.contains(value.count) else {
            throw Invalid("The address must be \(slugLength.lowerBound)–\(slugLength.upperBound) characters.")
        }
        let allowed = value.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
        guard allowed, let first = value.unicodeScalars.first, ("a"..."z").contains(first),
            !value.hasSuffix("-"), !value.contains("--")
        else {
            throw Invalid("The address may use lower-case letters, digits and hyphens, and must start with a letter.")
        }
        guard !reservedSlugs.contains(value) else {
            throw Invalid(
                "“\(value)” is reserved; choose another "
                    + "address.")
        }
        return value
    }

    /// A slug suggestion from an organization name ("Riverside Runners" → "riverside-runners").
    public static func suggestSlug(from name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(slugLength.upperBound))
    }

    public static func note(_ raw: String, field: String = "Notes") throws(Invalid) -> String {
        guard raw.count <= maxNoteLength else { throw Invalid("\(field) must be at most \(maxNoteLength) characters.") }
        return raw.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An IANA time zone name known to this system.
    public static func timeZone(_ raw: String) throws(Invalid) -> String {
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard value.count <= 64, TimeZone(identifier: value) != nil else {
            throw Invalid("Choose a time zone such as Europe/Berlin or America/New_York.")
        }
        return value
    }

    public static func units(_ raw: String) throws(Invalid) -> UnitSystem {
        guard let units = UnitSystem(rawValue: raw) else { throw Invalid("Units must be km or mi.") }
        return units
    }

    public static func role(_ raw: String) throws(Invalid) -> Role {
        guard let role = Role(rawValue: raw) else { throw Invalid("Role must be admin, coach or athlete.") }
        return role
    }
}
