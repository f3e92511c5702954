import Foundation
import Hummingbird
import Logging
import PacelineStore

/// An API error as RFC 9457 problem details (`application/problem+json`): a type URI naming the kind
/// of problem, its title, the status, what happened in words, and each field's problem in `errors`.
struct APIProblem: Error, Sendable {
    struct FieldError: Sendable, Encodable { let field: String, message: String }

    let status: HTTPResponse.Status
    let type: String
    let title: String
    let detail: String
    var errors: [FieldError] = []
    var headers: HTTPFields = [:]

    static func unauthorized(_ detail: String) -> APIProblem {
        var problem = APIProblem(status: .unauthorized, type: "unauthorized", title: "Not signed in", detail: detail)
        problem.headers[.wwwAuthenticate] = #"Bearer realm="paceline", error="invalid_token""#
        return problem
    }

    static func forbidden(_ detail: String) -> APIProblem {
        APIProblem(status: .forbidden, type: "forbidden", title: "Not allowed", detail: detail)
    }

    static let notFound = APIProblem(
        status: .notFound, type: "not-found", title: "Not found",
        detail: "There is no such item in this token's organization.")

    static func invalid(_ detail: String, errors: [FieldError] = []) -> APIProblem {
        APIProblem(
            status: .unprocessableContent, type: "invalid", title: "Not accepted", detail: detail, errors: errors)
    }

    /// One field's problem: the detail repeats it so a client that shows one line shows the right one.
    static func field(_ field: String, _ message: String) -> APIProblem {
        invalid("\(field): \(message)", errors: [FieldError(field: field, message: message)])
    }

    static func tooLarge(limit: Int) -> APIProblem {
        APIProblem(
            status: .contentTooLarge, type: "too-large", title: "Request too large",
            detail: "The body may be at most \(limit / 1024) KiB.")
    }

    static func limited(retryAfter: Int, limit: Int) -> APIProblem {
        var problem = APIProblem(
            status: .tooManyRequests, type: "rate-limited", title: "Too many requests",
            detail: "A token may make \(limit) requests a minute; try again in \(retryAfter) s.")
        problem.headers[.retryAfter] = String(retryAfter)
        return problem
    }

    static func serverError(requestId: String) -> APIProblem {
        APIProblem(
            status: .internalServerError, type: "server-error", title: "Something went wrong",
            detail: "The request could not be completed; it has been logged as \(requestId).")
    }

    var response: Response {
        struct Body: Encodable {
            let type: String, title: String, status: Int, detail: String
            let errors: [FieldError]?
        }
        let body = Body(
            type: "https://paceline.app/problems/\(type)", title: title, status: Int(status.code), detail: detail,
            errors: errors.isEmpty ? nil : errors)
        let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension APIProblem {
    /// What any error thrown under `/api/v1` becomes. The store's and router's errors keep their
    /// meaning (not found → 404, a broken rule → 422); anything unexpected is a logged 500.
    static func from(_ error: any Error, requestId: String, logger: Logger) -> APIProblem {
        switch error {
        case let problem as APIProblem:
            return problem
        case StoreError.notFound:
            return .notFound
        case StoreError.invalid(let message):
            return .invalid(message)
        case StoreError.versionConflict:
            return APIProblem(
                status: .conflict, type: "conflict", title: "Changed meanwhile",
                detail: "Someone else changed this first; read it again and retry.")
        case let error as HTTPError where error.status == .notFound:
            return .notFound
        case let error as HTTPError where error.status == .contentTooLarge:
            return .tooLarge(limit: APIMiddleware.jsonLimit)
        case let error as HTTPError where error.status.code < 500:
            return APIProblem(
                status: error.status, type: "http-\(error.status.code)", title: error.status.reasonPhrase,
                detail: error.body ?? error.status.reasonPhrase)
        default:
            logger.error("API request failed: \(String(reflecting: error))")
            return .serverError(requestId: requestId)
        }
    }
}
