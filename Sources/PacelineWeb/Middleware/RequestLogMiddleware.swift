import Foundation
import Hummingbird
import Logging

/// One log line per request, after its response: method, path, status, milliseconds.
///
/// Paths carry secrets — an invitation token (`/invite/{token}`), a calendar feed token
/// (`/cal/{token}.ics`), the CSRF token of an upload (`?_csrf=`) — and logs are read by more
/// people and kept longer than the database's hashes of them, so those are redacted first.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let level: Logger.Level

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.log(
            level: level, "Request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(Self.redacted(request.uri.description)),
                "status": .stringConvertible(response.status.code),
                "ms": .string(String(format: "%.1f", milliseconds)),
            ])
        return response
    }

    /// Path segments that are credentials, by the segment before them.
    static let secretSegmentsAfter: Set<String> = ["invite", "cal"]
    /// Query parameters that are credentials.
    static let secretParameters: Set<String> = ["_csrf", "token", "access_token"]

    /// `uri` with every secret replaced by "[redacted]"; the rest kept for reading the logs.
    static func redacted(_ uri: String) -> String {
        let parts: [String] = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let segments: [String] = (parts.first ?? "").split(separator: "/", omittingEmptySubsequences: false).map(
            String.init)
        var path: [String] = []
        for index in segments.indices {
            let segment = segments[index]
            if index > 0 && !segment.isEmpty && secretSegmentsAfter.contains(segments[index - 1]) {
                path.append(segment.hasSuffix(".ics") ? "[redacted].ics" : "[redacted]")
            } else {
                path.append(segment)
            }
        }
        var result = path.joined(separator: "/")
        guard parts.count > 1 else { return result }
        var query: [String] = []
        for pair in parts[1].split(separator: "&", omittingEmptySubsequences: false).map(String.init) {
            let name = String(pair.prefix { $0 != "=" })
            let decoded = name.removingPercentEncoding ?? name
            query.append(secretParameters.contains(decoded) ? name + "=[redacted]" : pair)
        }
        result += "?" + query.joined(separator: "&")
        return result
    }
}
