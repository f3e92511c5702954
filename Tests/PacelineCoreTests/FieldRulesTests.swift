import Testing
@testable import PacelineCore

struct FieldRulesTests {
    @Test func slugs() throws {
        #expect(try FieldRules.slug(" Riverside-Runners ") == "riverside-runners")
        for bad in ["a", "1club", "club-", "my--club", "club!", "admin", String(repeating: "a", count: 41), "ünï"] {
            #expect(throws: FieldRules.Invalid.self, "\(bad)") { try FieldRules.slug(bad) }
        }
        #expect(FieldRules.suggestSlug(from: "Riverside Runners & Co.") == "riverside-runners-co")
    }

    @Test func emails() throws {
        #expect(try FieldRules.email(" Coach@Example.COM ") == "coach@example.com")
        for bad in [
            "", "no-at", "a@b", "a@@b.c", "a b@c.de", "@x.de", "a@.de", "<a>@b.de",
            String(repeating: "a", count: 250) + "@b.de",
        ] {
            #expect(throws: FieldRules.Invalid.self, "\(bad)") { try FieldRules.email(bad) }
        }
    }

    @Test func namesAndPasswords() throws {
        #expect(try FieldRules.name("  Sam  ") == "Sam")
        #expect(throws: FieldRules.Invalid.self) { try FieldRules.name("   ") }
        #expect(throws: FieldRules.Invalid.self) { try FieldRules.name(String(repeating: "x", count: 10_000)) }
        #expect(throws: FieldRules.Invalid.self) { try FieldRules.name("a\u{0007}b") }
        #expect(throws: FieldRules.Invalid.self) { try FieldRules.password("short") }
        #expect(throws: FieldRules.Invalid.self) { try FieldRules.password(String(repeating: "é", count: 40)) }
        #expect(try FieldRules.timeZone("Europe/Berlin") == "Europe/Berlin")
        #expect(throws: FieldRules.Invalid.self) { try FieldRules.timeZone("Mars/Olympus") }
    }

    @Test func rolesAreOrdered() {
        #expect(Role.admin.includes(.coach) && Role.coach.includes(.athlete) && !Role.athlete.includes(.coach))
        #expect(!Role.coach.includes(.admin))
    }
}
