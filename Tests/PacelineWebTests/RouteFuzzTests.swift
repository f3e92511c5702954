import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

/// Every route of `RouteTable`, called through the real router with hostile values in every
/// query parameter, every form field and every path parameter: no answer may be a 5xx, and the
/// server must still answer afterwards. (A Swift trap — `Int(1e19)`, an index out of range —
/// would stop this test process as it stops the server.)
///
/// Where the values go: the pages are crawled first (as a signed-in admin and an athlete), which
/// gives every route a real address (real ids of the organization) and every form its fields
/// with the values a person would see; each field is then replaced, one at a time, by each
/// hostile value while the others keep plausible values (so validation of one field cannot hide
/// a trap behind another). Names the handlers read that no form shows (found in the sources)
/// are sent all at once with each value.
struct RouteFuzzTests {
    /// What an attacker would type.
    static let hostile: [String] = [
        "", " ", "-1", "0", "NaN", "nan", "inf", "-Infinity", "1e19", "-1e19", "1e308", "-1e308", "1e309",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551616",
        "4.9e-324", "0x1p1023", "1,5e308", "99999999:59:59", "9999999999999999", "25:61", "9999-99-99", "0000-00-00",
        "+275760-09-13", "\u{202E}gnp.exe\u{0}\u{1}", "<script>alert(1)</script>\"'&", "١٢٣", "🏃‍♀️",
        String(repeating: "9", count: 100_000), String(repeating: "é", count: 50_000),
    ]
    /// Replacements for the numbers inside a value or a name.
    static let hostileNumbers = ["-1", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "1e19"]

    /// `text` with each run of digits replaced by `number` — one run at a time ("0:1" →
    /// "N:1", "0:N"), then all of them — so that the other parts still parse.
    static func replacingNumbers(in text: String, with number: String) -> [String] {
        let runs = text.ranges(of: #/[0-9]+/#)
        guard !runs.isEmpty else { return [] }
        var variants = runs.map { text.replacingCharacters(in: $0, with: number) }
        if runs.count > 1 { variants.append(text.replacing(#/[0-9]+/#) { _ in number }) }
        return variants
    }

    /// Path parameters get a shorter list (a 100 kB path is refused by the HTTP layer anyway).
    static let hostilePath: [String] = [
        "-1", "0", "1e19", "9223372036854775808", "-9223372036854775808", "NaN", "9999-99-99",
        "%00", "..", "<b>", String(repeating: "9", count: 2_000),
    ]

    /// Routes no page links to (their address arrives another way), called at `fallback`.
    static let notLinked: Set<String> = [
        "/invite/:token", "/logout",
        // Links that arrive by email (a reset, an unsubscribe), and the reset form once signed out.
        "/password/forgot", "/password/reset/:token", "/unsubscribe/:token",
        // Shown only after an upload's preview, an accepted proposal, or for an activity with a file.
        "/o/:org/import/confirm", "/o/:org/athletes/:id/import/confirm", "/o/:org/adaptations/:id/undo",
        "/o/:org/activities/:id/file",
    ]

    /// Plausible values for fields a form shows empty, by name, so that a hostile value in one
    /// field meets the code that reads the others.
    static func plausible(_ name: String) -> String? {
        let table: [(String, String)] = [
            // Never the organization's name (the fuzz renames it "Fuzz"): deleting it would end the run early.
            ("confirm_name", "Not the organization's name"),
            ("date", "2027-03-01"), ("since", "2027-01-01"), ("time", "40:00"), ("duration", "45:00"),
            ("distance", "10000"),
            ("email", "fuzz@fuzz.test"), ("password", "a-long-unusual-fuzz-passphrase"), ("name", "Fuzz"),
            ("weeks", "8"), ("vdot", "45"), ("weekly_km", "40"), ("hrv", "60"), ("resting_hr", "50"), ("max_hr", "190"),
            ("sleep", "7.5"), ("rpe", "5"), ("avg_hr", "140"), ("temperature", "20"), ("dew", "10"),
            ("slug", "fuzz-org"),
        ]
        return table.first { name.contains($0.0) }?.1
    }

    struct HTMLForm {
        let action: String
        let method: String
        let fields: [(String, String)]
        /// The other buttons of the form ("op" = up, down, copy…): each is another handler path.
        var alternatives: [(String, String)] = []
        /// The page it was found on, to read it again with current values (a plan's `version`).
        var page = ""
    }

    @Test(.timeLimit(.minutes(20))) func noRouteAnswers5xxToHostileInput() async throws {
        let app = try await TestApp(athletes: 4)
        let admin = try await app.scope("alpha", "admin@alpha.test")
        let (_, inviteToken) = try await app.database.invite(
            admin, email: "new-runner@alpha.test", role: .athlete, now: TestApp.now)
        // Real tokens for the links that arrive by email.
        let reset = try #require(
            try await app.database.createPasswordReset(email: "athlete2@alpha.test", now: TestApp.now))
        let unsubscribe = SecretToken.generate()
        try await app.database.enqueueMail(
            OutgoingMail(
                orgId: admin.organization.id, userId: admin.user.id, kind: .notification(.comment), dedupe: "fuzz",
                sender: "p@alpha.test", recipient: "admin@alpha.test", subject: "s", message: [],
                unsubscribeHash: SecretToken.hash(unsubscribe)), now: TestApp.now)
        let tokens = ["/password/reset/": reset.token, "/unsubscribe/": unsubscribe]
        // A day away for every athlete, so the crawl meets each "Unmark" form.
        let today = CalendarDate(TestApp.now, timeZone: .gmt)
        for athlete in try await app.database.athletes(admin) {
            try await app.database.markUnavailable(
                admin, athleteId: athlete.id, from: today.adding(days: 9), to: today.adding(days: 9), reason: "Trip",
                now: TestApp.now)
            // A comment of their own on each workout of theirs around today (whichever workout page the crawl
            // opens, it meets the edit and delete forms).
            let own = try await app.scope("alpha", athlete.email)
            for (item, _) in try await app.database.schedule(
                own, athleteId: athlete.id, from: today.adding(days: -14), to: today.adding(days: 14))
            {
                try await app.database.addComment(own, on: .workout(item.id), body: "Fuzz me", now: TestApp.now)
                // …and the coach's answer, which the athlete is told of (the bell's list has an entry to open).
                try await app.database.addComment(admin, on: .workout(item.id), body: "Noted", now: TestApp.now)
            }
            // And on a run of their own log (an athlete whose plan is paused or over has no workouts to open).
            let run = try await app.database.logActivity(
                own, athleteId: athlete.id,
                ActivityEntry(
                    sport: .run, date: today.adding(days: -1), distanceMeters: 5000, durationSeconds: 1800,
                    source: .manual), scheduledId: nil, activityId: nil, now: TestApp.now)
            try await app.database.addComment(own, on: .activity(run), body: "Fuzz me", now: TestApp.now)
            // An API token, so the account's token page shows a revoke form.
            _ = try await app.database.createAPIToken(
                userId: athlete.userId, organizationSlug: "alpha", name: "Fuzz", scope: .read, expiresAt: nil,
                now: TestApp.now)
        }
        let sourceNames = try Self.namesReadBySources()
        #expect(sourceNames.count >= 40, "the source scan found too few field names: \(sourceNames.count)")
        let entries = app.routes.entries
        let failures = Failures()
        let fuzzed = Counter()

        try await app.run { factory in
            // The admin takes every route above the athlete's; the athlete takes their own pages.
            for (email, roles) in [
                ("admin@alpha.test", [Role.coach, .admin]), ("athlete1@alpha.test", [Role.athlete]),
            ] {
                var browser = try await factory.signedIn(email)
                let crawl = try await Self.crawl(browser, entries: entries)
                // Destructive routes last, so that the others still find their rows.
                let mine = entries.filter { entry in
                    switch entry.access {
                    case .open: !email.hasPrefix("admin")
                    case .signedIn: !email.hasPrefix("admin")
                    case .member(let role): roles.contains(role)
                    case .libraryEditor: roles.contains(.admin)
                    case .apiToken: false  // bearer tokens, not pages: schemathesis and APITests fuzz the API
                    }
                }.sorted {
                    Self.destructive($0.path) == Self.destructive($1.path)
                        ? $0.path < $1.path : !Self.destructive($0.path)
                }
                let unreached = mine.filter { crawl.addresses[$0.path] == nil && !Self.notLinked.contains($0.path) }.map
                { "\($0.method) \($0.path)" }
                #expect(
                    unreached.isEmpty,
                    "\(email): the crawl found no address for \(unreached) — link the page or list it in notLinked")
                print("fuzz \(email): \(mine.count) routes, \(crawl.forms.count) forms")
                for entry in mine {
                    if entry.path == "/logout" { continue }  // signs the fuzzer out; fuzzed by the CSRF and flow tests
                    // The fuzz renames the organization with its hostile values and would then type one of them
                    // as the name to delete it, ending the run: hostile names are sent there by `DeletionTests`.
                    if entry.path == "/o/:org/settings/delete" && entry.method == "POST" { continue }
                    let token = tokens.first { entry.path.hasPrefix($0.key) }?.value ?? inviteToken
                    let concrete = crawl.addresses[entry.path] ?? Self.fallback(entry.path, token: token)
                    // Of the forms that post to this route, the one with the most fields and buttons
                    // (a middle week's form has both "up" and "down").
                    let form = crawl.forms.filter {
                        $0.method == entry.method.lowercased() && Self.matches(entry.path, $0.action)
                    }
                    .max { $0.fields.count + $0.alternatives.count < $1.fields.count + $1.alternatives.count }
                    func filled(_ fields: [(String, String)]) -> [(String, String)] {
                        fields.map { ($0.0, $0.1.isEmpty ? (Self.plausible($0.0) ?? "") : $0.1) }
                    }
                    var baseline = filled(form?.fields ?? [])
                    // The form as it is now: an earlier request may have changed the row (and its
                    // version), and a stale version is refused before the code under test runs.
                    func refresh() async throws {
                        guard let form, !form.page.isEmpty else { return }
                        let again = Self.forms(in: try await browser.get(form.page).body)
                            .first {
                                $0.action == form.action && $0.method == form.method
                                    && $0.fields.map(\.0) == form.fields.map(\.0)
                            }
                        if let again { baseline = filled(again.fields) }
                    }
                    let queryNames = entry.method == "GET" ? crawl.queryNames[entry.path, default: []] : []
                    let targeted = Array(Set(baseline.map(\.0) + queryNames)).sorted()
                    func send(_ fields: [(String, String)], path: String? = nil) async throws {
                        let target = path ?? concrete
                        let page: Browser.Page
                        if entry.method == "GET" {
                            let query = fields.map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(
                                separator: "&")
                            page = try await browser.get(
                                query.isEmpty ? target : target + (target.contains("?") ? "&" : "?") + query)
                        } else {
                            page = try await browser.post(target, fields)
                        }
                        fuzzed.increment()
                        if page.status.code >= 500 {
                            failures.add(
                                "\(email) \(entry.method) \(target) "
                                    + fields.map { "\($0.0)=\($0.1.prefix(40))" }.joined(separator: "&").prefix(300)
                                    + " → \(page.status.code)"
                            )
                        }
                    }
                    // One field at a time.
                    for name in targeted {
                        try await refresh()
                        for value in Self.hostile {
                            try await send(baseline.filter { $0.0 != name } + [(name, value)])
                        }
                    }
                    // Numbers inside values and names ("down:0" → "down:9223372036854775807",
                    // "b.0.type" → "b.-1.type"):
                    // the handlers split them out and index or add with them.
                    for (name, value) in baseline
                    where value.contains(where: \.isNumber) || name.contains(where: \.isNumber) {
                        try await refresh()
                        for number in Self.hostileNumbers {
                            for variant in Self.replacingNumbers(in: value, with: number) {
                                try await send(baseline.filter { $0.0 != name } + [(name, variant)])
                            }
                            for variant in Self.replacingNumbers(in: name, with: number) {
                                try await send(baseline.filter { $0.0 != name } + [(variant, value)])
                            }
                        }
                    }
                    // Each other button of the form, with hostile numbers in every other field.
                    for (button, choice) in form?.alternatives ?? [] {
                        try await refresh()
                        let chosen = baseline.filter { $0.0 != button } + [(button, choice)]
                        // The button's own numbers too ("down:0" → "down:9223372036854775807").
                        for number in Self.hostileNumbers {
                            for variant in Self.replacingNumbers(in: choice, with: number) {
                                try await send(baseline.filter { $0.0 != button } + [(button, variant)])
                            }
                        }
                        for (name, _) in chosen where name != button {
                            for number in Self.hostileNumbers {
                                try await send(chosen.filter { $0.0 != name } + [(name, number)])
                            }
                        }
                    }
                    // Every name any handler reads, all at once.
                    for value in Self.hostile.prefix(24) {
                        try await send(
                            baseline.filter { !sourceNames.contains($0.0) } + sourceNames.map { ($0, value) })
                    }
                    // Path parameters.
                    for (index, segment) in entry.path.split(separator: "/").enumerated() where segment.hasPrefix(":") {
                        for value in Self.hostilePath {
                            var parts = concrete.split(separator: "/", omittingEmptySubsequences: false).map(
                                String.init)
                            guard index + 1 < parts.count else { continue }
                            parts[index + 1] = Browser.encode(value)
                            try await send(baseline, path: parts.joined(separator: "/"))
                        }
                    }
                    // Still answering, still signed in (a route may have ended the session: sign in again).
                    let health = try await browser.get("/healthz")
                    if health.status != .ok {
                        failures.add("after \(entry.method) \(entry.path): /healthz answered \(health.status)")
                    }
                    if try await browser.get("/account").status != .ok { browser = try await factory.signedIn(email) }
                }
            }
        }
        #expect(
            failures.items.isEmpty,
            "\(failures.items.count) requests answered 5xx:\n\(failures.items.prefix(40).joined(separator: "\n"))")
        print("fuzz: \(fuzzed.value) requests")
        #expect(fuzzed.value > 10_000, "only \(fuzzed.value) hostile requests were sent")
    }

    // MARK: Crawling

    struct Crawl {
        /// A real address for each route pattern.
        var addresses: [String: String] = [:]
        var forms: [HTMLForm] = []
        /// Query parameter names seen in links to each route pattern.
        var queryNames: [String: [String]] = [:]
    }

    /// Visits the signed-in user's pages breadth-first from the organization's home and the
    /// account page, at most two addresses per route pattern.
    static func crawl(_ browser: Browser, entries: [RouteTable.Entry]) async throws -> Crawl {
        var crawl = Crawl()
        for entry in entries where !entry.path.contains(":") { crawl.addresses[entry.path] = entry.path }
        // Literal segments first: "/library/new" is not "/library/:id".
        let getPatterns = entries.filter { $0.method == "GET" }.map(\.path).sorted {
            $0.count(where: { $0 == ":" }) < $1.count(where: { $0 == ":" })
        }
        // The VDOT tool's result (with its "apply" form) is a GET form's answer, not a link.
        // The account's token page early: the crawl stops at 600 addresses, most of them the organization's.
        var queue = ["/o/alpha", "/account", "/account/tokens", "/o/alpha/tools/vdot?distance=5000&time=20:00"]
        var seen = Set(queue)
        var visitsPerPattern: [String: Int] = [:]
        while !queue.isEmpty && seen.count < 600 {
            let path = queue.removeFirst()
            let bare = String(path.prefix { $0 != "?" })
            guard let pattern = getPatterns.first(where: { matches($0, bare) }) else { continue }
            if crawl.addresses[pattern] == nil { crawl.addresses[pattern] = bare }
            let query = path.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            for pair in query.split(separator: "&") {
                let name = String(pair.prefix { $0 != "=" })
                if !crawl.queryNames[pattern, default: []].contains(name) {
                    crawl.queryNames[pattern, default: []].append(name)
                }
            }
            visitsPerPattern[pattern, default: 0] += 1
            guard visitsPerPattern[pattern, default: 0] <= 2 else { continue }
            let page = try await browser.get(path)
            guard page.status == .ok else { continue }
            crawl.forms += forms(in: page.body).map {
                var form = $0; form.page = path; return form
            }
            for link in links(in: page.body)
            where !seen.contains(link) && (link.hasPrefix("/o/alpha") || link.hasPrefix("/cal/")) {
                seen.insert(link)
                queue.append(link)
            }
        }
        // Form actions are addresses too (POST routes with their real ids).
        for form in crawl.forms {
            for entry in entries where entry.method == form.method.uppercased() && matches(entry.path, form.action) {
                if crawl.addresses[entry.path] == nil { crawl.addresses[entry.path] = form.action }
                if form.method == "get" {
                    for (name, _) in form.fields where !crawl.queryNames[entry.path, default: []].contains(name) {
                        crawl.queryNames[entry.path, default: []].append(name)
                    }
                }
            }
        }
        return crawl
    }

    /// Whether a concrete path is an address of the route pattern (":x" matches one segment).
    static func matches(_ pattern: String, _ path: String) -> Bool {
        let p = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let c = String(path.prefix { $0 != "?" }).split(separator: "/", omittingEmptySubsequences: false)
        guard p.count == c.count else { return false }
        return zip(p, c).allSatisfy { $0.hasPrefix(":") ? !$1.isEmpty : $0 == $1 }
    }

    static func destructive(_ path: String) -> Bool {
        ["remove", "delete", "revoke", "cancel", "role", "members"].contains { path.hasSuffix($0) }
    }

    /// An address for a route the crawl did not reach: the organization, a real invitation
    /// token, and id 1 elsewhere (still fuzzed; the ids may not exist).
    static func fallback(_ pattern: String, token: String) -> String {
        pattern.replacingOccurrences(of: ":org", with: "alpha").replacingOccurrences(of: ":token", with: token)
            .replacingOccurrences(of: ":file", with: "x.ics").replacingOccurrences(of: ":date", with: "2027-03-01")
            .split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? "1" : String($0) }
            .joined(separator: "/")
    }

    static func decodeEntities(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&#x2F;", with: "/")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func attributes(_ tag: Substring) -> [String: String] {
        var out: [String: String] = [:]
        for match in tag.matches(of: #/([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*"([^"]*)"/#) {
            out[String(match.1).lowercased()] = decodeEntities(String(match.2))
        }
        for match in tag.matches(of: #/\s(checked|selected|multiple)(?=[\s>/])/#) { out[String(match.1)] = "" }
        return out
    }

    static func links(in html: String) -> [String] {
        // Absolute links to this site (the calendar feed's) become paths.
        html.matches(of: #/(?:href|value)="([^"#]*)"/#).map { decodeEntities(String($0.1)) }.map { link in
            guard let scheme = link.range(of: "://"), link.hasPrefix("http") || link.hasPrefix("webcal") else {
                return link
            }
            let rest = link[scheme.upperBound...]
            return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        }
    }

    /// The controls of a form: inputs and buttons, text areas and selects (with their content).
    nonisolated(unsafe) static let controls =
        #/(?s)<(input|button)\b([^>]*)>|<textarea\b([^>]*)>(.*?)</textarea>|<select\b([^>]*)>(.*?)</select>/#

    static func forms(in html: String) -> [HTMLForm] {
        html.matches(of: #/(?s)<form\b([^>]*)>(.*?)</form>/#).map { match in
            let form = attributes(match.1)
            let body = match.2
            var fields: [(String, String)] = []
            var alternatives: [(String, String)] = []
            var named = Set<String>()
            for control in body.matches(of: Self.controls) {
                if let tag = control.2, let kind = control.1 {
                    let a = attributes(tag)
                    guard let name = a["name"], name != "_csrf" else { continue }
                    let type = a["type"]?.lowercased() ?? (kind == "button" ? "submit" : "text")
                    if ["checkbox", "radio"].contains(type) && a["checked"] == nil { continue }
                    if type == "submit" && named.contains(name) {
                        alternatives.append((name, a["value"] ?? "")); continue
                    }
                    if type == "file" { continue }
                    fields.append((name, a["value"] ?? "")); named.insert(name)
                } else if let tag = control.3, let text = control.4 {
                    guard let name = attributes(tag)["name"] else { continue }
                    fields.append((name, decodeEntities(String(text)))); named.insert(name)
                } else if let tag = control.5, let options = control.6 {
                    guard let name = attributes(tag)["name"] else { continue }
                    let all = options.matches(of: #/<option\b([^>]*)>/#).map { attributes($0.1) }
                    let chosen = all.first { $0["selected"] != nil } ?? all.first { !($0["value"] ?? "").isEmpty }
                    fields.append((name, chosen?["value"] ?? "")); named.insert(name)
                }
            }
            return HTMLForm(
                action: String((form["action"] ?? "").prefix { $0 != "?" }),
                method: (form["method"] ?? "get").lowercased(), fields: fields,
                alternatives: alternatives)
        }
    }

    /// Field and query names the web layer's sources read: `form["x"]`, `form.all("x")`, `query("x")`.
    static func namesReadBySources() throws -> [String] {
        let root = TestApp.repoRoot.appendingPathComponent("Sources/PacelineWeb")
        var names = Set<String>()
        let files =
            FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(
                of: #/(?:form|input)\["([a-z_][a-z_0-9]*)"\]|form\.all\("([a-z_]+)"\)|query\("([a-z_]+)"\)/#)
            {
                if let name = match.1 ?? match.2 ?? match.3 { names.insert(String(name)) }
            }
        }
        return names.sorted()
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    var items: [String] { lock.withLock { list } }
    func add(_ item: String) { lock.withLock { list.append(item) } }
}
