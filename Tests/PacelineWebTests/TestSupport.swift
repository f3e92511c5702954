import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PacelineCore
import PacelineStore
import Testing
@testable import PacelineWeb

/// A fresh app per test: in-memory database, fixed clock, cheap bcrypt, the real templates.
/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(seconds: Double) { lock.withLock { current = current.addingTimeInterval(seconds) } }
    func advance(days: Int) { lock.withLock { current = current.addingTimeInterval(Double(days) * 86_400) } }
}

struct TestApp: @unchecked Sendable {
    let deps: AppDependencies
    let clock: TestClock
    let router: Router<AppRequestContext>
    let routes: RouteTable
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let password = AppDatabase.demoPassword
    static let hasher = PasswordHasher(cost: 10)
    static let demoHash = hasher.hash(password)
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    init(
        seed slugs: [String] = ["alpha", "beta"], athletes: Int = 3, hasher: PasswordHasher = TestApp.hasher,
        configure: (inout AppConfig) -> Void = { _ in }
    ) async throws {
        var config = AppConfig()
        config.templatesDirectory = Self.repoRoot.appendingPathComponent("Templates").path
        config.publicDirectory = Self.repoRoot.appendingPathComponent("Public").path
        configure(&config)
        let database = try await AppDatabase.forTesting()
        for slug in slugs {
            _ = try await database.seedDemo(slug: slug, athletes: athletes, passwordHash: Self.demoHash, now: Self.now)
        }
        let clock = TestClock(TestApp.now)
        self.clock = clock
        deps = AppDependencies(
            database: database, config: config, clock: AppClock { clock.now }, hasher: hasher,
            renderer: try await Renderer(directory: config.templatesDirectory))
        (router, routes) = buildRouter(deps)
    }

    var database: AppDatabase { deps.database }

    /// The first demo athlete with an active plan (the demo's first squad member is paused).
    static func athleteOnActivePlan(_ database: AppDatabase, _ scope: TenantScope) async throws -> Athlete? {
        for athlete in try await database.athletes(scope) {
            if try await database.instances(scope, athleteId: athlete.id).contains(where: { $0.state.status == .active }
            ) {
                return athlete
            }
        }
        return nil
    }

    func run(_ body: @escaping @Sendable (Browser.Factory) async throws -> Void) async throws {
        var logger = Logger(label: "paceline-test")
        logger.logLevel = .warning
        let app = Application(router: router, logger: logger)
        try await app.test(.router) { client in
            let engine = deps.engine
            try await body(Browser.Factory(client: client, settle: { await engine.idle() }))
        }
    }

    func scope(_ slug: String, _ email: String) async throws -> TenantScope {
        let user = try #require(try await database.user(email: email))
        return try #require(try await database.resolveTenant(slug: slug, userId: user.id))
    }
}

/// A browser-like client: keeps cookies, reads the CSRF token off pages, posts forms.
final class Browser: @unchecked Sendable {
    struct Factory: Sendable {
        let client: any TestClientProtocol
        /// Awaited after every POST: the engine's run that a save asked for (right after its response)
        /// is done before the test's next request, as it is long before a person's next click.
        var settle: @Sendable () async -> Void = {}
        func browser() -> Browser { Browser(client: client, settle: settle) }
        func signedIn(_ email: String, password: String = TestApp.password) async throws -> Browser {
            let browser = Browser(client: client, settle: settle)
            let response = try await browser.logIn(email, password: password)
            #expect(response.status == .seeOther, "log-in of \(email) failed: \(response.status)")
            try await browser.get("/account")  // picks up the session's CSRF token
            return browser
        }
    }

    let client: any TestClientProtocol
    let settle: @Sendable () async -> Void
    var cookies: [String: String] = [:]
    /// The `Set-Cookie` headers of the last response, whole (flags included).
    var setCookieHeaders: [String] = []
    var csrf = ""

    init(client: any TestClientProtocol, settle: @escaping @Sendable () async -> Void = {}) {
        self.client = client
        self.settle = settle
    }

    struct Page {
        let status: HTTPResponse.Status
        let body: String
        let location: String?
    }

    private func headers(_ extra: HTTPFields = [:]) -> HTTPFields {
        var fields = extra
        if !cookies.isEmpty {
            fields[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        }
        return fields
    }

    private func absorb(_ response: TestResponse) -> Page {
        setCookieHeaders = response.headers[values: .setCookie]
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1).first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard let name = parts.first else { continue }
            let value = parts.count > 1 ? String(parts[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") {
                cookies[String(name)] = nil
            } else {
                cookies[String(name)] = value
            }
        }
        let body = String(buffer: response.body)
        if let range = body.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) {
            let match = body[range]
            if let start = match.range(of: "value=\"") {
                csrf = String(match[start.upperBound...].dropLast())
            }
        }
        return Page(status: response.status, body: body, location: response.headers[.location])
    }

    /// The response as it came (a download's bytes and headers).
    func getRaw(_ path: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: headers(), body: nil)
    }

    @discardableResult
    func get(_ path: String) async throws -> Page {
        let response = try await client.execute(uri: path, method: .get, headers: headers(), body: nil)
        return absorb(response)
    }

    @discardableResult
    func post(
        _ path: String, _ form: [(String, String)] = [], csrf token: String? = nil, includeCSRF: Bool = true
    ) async throws -> Page {
        var fields = form
        if includeCSRF { fields.append(("_csrf", token ?? csrf)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await client.execute(
            uri: path, method: .post, headers: headers([.contentType: "application/x-www-form-urlencoded"]),
            body: ByteBuffer(string: body))
        await settle()
        return absorb(response)
    }

    /// A `multipart/form-data` POST, as a browser sends a form with file inputs.
    @discardableResult
    func postMultipart(
        _ path: String, fields: [(String, String)] = [], files: [(field: String, name: String, content: Data)],
        includeCSRF: Bool = true
    ) async throws -> Page {
        let boundary = "----PacelineTest\(UInt64.random(in: 0...UInt64.max))"
        var body = ByteBuffer()
        // The token is the form's first part, as the upload forms send it.
        for (name, value) in (includeCSRF ? [("_csrf", csrf)] : []) + fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; "
                    + "filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            body.writeBytes(file.content)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        let response = try await client.execute(
            uri: path, method: .post,
            headers: headers([.contentType: "multipart/form-data; boundary=\(boundary)"]), body: body)
        await settle()
        return absorb(response)
    }

    func logIn(_ email: String, password: String) async throws -> Page {
        try await get("/login")
        return try await post("/login", [("email", email), ("password", password)])
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? ""
    }
}
