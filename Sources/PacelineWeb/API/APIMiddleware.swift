import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenAPIRuntime
import PacelineCore
import PacelineStore

/// The member an API request acts as: resolved from its bearer token by `APIMiddleware`, once, and
/// read by the operations through a task-local (the generated handlers take only the operation's
/// input). It cannot be set any other way, so no operation runs for a request without a member.
struct APICaller: Sendable {
    let scope: TenantScope
    let token: APITokenSummary
    let requestId: String
    let logger: Logger

    @TaskLocal static var current: APICaller?

    /// The caller of the running operation; a handler reached without one (never, through the
    /// router) is refused rather than trusted.
    static func get() throws -> APICaller {
        guard let caller = current else { throw APIProblem.unauthorized("A bearer token is required.") }
        return caller
    }

    var role: Role { scope.role }

    /// Coaching operations: a coach or an admin of the token's organization.
    func requireCoach() throws {
        guard role.includes(.coach) else {
            throw APIProblem.forbidden("This is for the organization's coaches and admins; the token is an athlete's.")
        }
    }
}

/// Everything under `/api/v1` but the OpenAPI document: the bearer token (never the session cookie:
/// the API has no CSRF token, so a cookie must not authenticate it), its scope (`read` allows GET
/// only), the rate limit, the body size, and errors as problem details.
struct APIMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase
    let clock: AppClock
    let perMinute: Int
    let cache: VersionedCache<CachedAnswer>?

    /// JSON bodies: a check-in or a comment is a few hundred bytes; the longest notes allowed (20 000
    /// characters), each escaped as `\uXXXX`, still fit.
    static let jsonLimit = 256 * 1024
    /// Activity files: the same as the upload page's.
    static let fileLimit = 16 * 1_048_576
    /// The rate-limit headers of the IETF draft (draft-ietf-httpapi-ratelimit-headers).
    static let limitHeader = HTTPField.Name("RateLimit-Limit")
    static let remainingHeader = HTTPField.Name("RateLimit-Remaining")

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            let (caller, remaining, version) = try await authenticate(request, context: context)
            if caller.token.scope == .read && ![.get, .head].contains(request.method) {
                throw APIProblem.forbidden("This token may only read; create a read-write token to change things.")
            }
            let limit = request.uri.path.hasSuffix("/activities/files") ? Self.fileLimit : Self.jsonLimit
            if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
                throw APIProblem.tooLarge(limit: limit)
            }
            // The API answers JSON only: a client's Accept header is not a reason to fail.
            var head = request.head
            head.headerFields[.accept] = nil
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: limit)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw APIProblem.tooLarge(limit: limit)
            }
            let trimmed = Request(head: head, body: .init(buffer: body))
            var response = try await answer(trimmed, caller: caller, version: version) {
                try await APICaller.$current.withValue(caller) { try await next(trimmed, context) }
            }
            response.headers[.cacheControl] = "no-store"
            if let limitName = Self.limitHeader, let remainingName = Self.remainingHeader {
                response.headers[limitName] = String(perMinute)
                response.headers[remainingName] = String(remaining)
            }
            return response
        } catch {
            let problem = APIProblem.from(Self.unwrap(error), requestId: context.id, logger: context.logger)
            return problem.response
        }
    }

    /// A schedule is what a watch or a calendar app asks for again and again: answered from memory
    /// while the organization's data, the quarter-hour and the asking member are the same (see
    /// `VersionedCache`); every other operation runs.
    func answer(
        _ request: Request, caller: APICaller, version: Int64, run: () async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard let cache, request.method == .get,
            path == "/api/v1/schedule" || (path.hasPrefix("/api/v1/athletes/") && path.hasSuffix("/schedule"))
        else { return try await run() }
        let key = VersionedCache<CachedAnswer>.Key(
            orgId: caller.scope.organization.id, version: version,
            quarterHour: VersionedCache<CachedAnswer>.quarterHour(clock.now()), address: request.uri.description,
            viewer: "\(caller.scope.user.id)|\(caller.scope.role.rawValue)")
        if let hit = cache.value(key) { return hit.response }
        let response = try await run()
        guard response.status == .ok else { return response }
        let (answer, complete) = try await CachedAnswer.collect(response)
        cache.insert(answer, cost: answer.cost, for: key)
        return complete
    }

    func authenticate(
        _ request: Request, context: Context
    ) async throws -> (APICaller, remaining: Int, version: Int64) {
        guard let header = request.headers[.authorization] else {
            throw APIProblem.unauthorized("Send a personal access token: Authorization: Bearer pl_…")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIProblem.unauthorized("The Authorization header must be \"Bearer\" and a token.")
        }
        switch try await database.authenticateAPIToken(
            String(parts[1]).trimmingCharacters(in: .whitespaces), now: clock.now(), perMinute: perMinute)
        {
        case .refused:
            throw APIProblem.unauthorized("This token is unknown, revoked or expired.")
        case .limited(let retryAfter, let limit):
            throw APIProblem.limited(retryAfter: retryAfter, limit: limit)
        case .granted(let scope, let token, let remaining, _, let version):
            var logger = context.logger
            logger[metadataKey: "org"] = "\(scope.organization.slug)"
            logger[metadataKey: "token"] = "\(token.id)"
            return (APICaller(scope: scope, token: token, requestId: context.id, logger: logger), remaining, version)
        }
    }

    /// The generated server wraps every error in a `ServerError`: one thrown while reading the request
    /// (its input never came to be: malformed JSON, a missing parameter, a wrong type) is the client's
    /// — 422 with what could not be read; one thrown by an operation is that operation's own error.
    static func unwrap(_ error: any Error) -> any Error {
        guard let server = error as? ServerError else { return error }
        guard server.operationInput == nil else { return server.underlyingError }
        if let problem = server.underlyingError as? APIProblem { return problem }
        // A path that names no item (an id that is not a number, an action there is not): not found,
        // as the pages answer it, rather than a form to correct.
        let path = server.requestMetadata.pathParameters
        if let id = path["id"], Int64(id) == nil { return APIProblem.notFound }
        for name in ["action", "decision"] {
            if let value = path[name], !Self.pathWords.contains(String(value)) { return APIProblem.notFound }
        }
        return readingProblem(server.underlyingError, cause: server.causeDescription)
    }

    /// A request that could not be read, in words and by field where the decoder says which.
    static let pathWords: Set<String> = ["pause", "resume", "cancel", "accept", "reject"]

    static func readingProblem(_ error: any Error, cause: String) -> APIProblem {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty:
            return .invalid("The body is not valid JSON.")
        case DecodingError.dataCorrupted(let context):
            return .field(path(context.codingPath), "This value cannot be read: \(context.debugDescription)")
        case DecodingError.keyNotFound(let key, let context):
            return .field(path(context.codingPath + [key]), "This field is required.")
        case DecodingError.typeMismatch(let type, let context):
            return .field(path(context.codingPath), "Expected \(type) here.")
        case DecodingError.valueNotFound(_, let context):
            return .field(path(context.codingPath), "A value is required here.")
        default:
            return .invalid("The request could not be read: \(cause.prefix(300))")
        }
    }
}
