import Foundation
import HTTPTypes
import Hummingbird
import PacelineStore

/// Refuses every state-changing request whose `_csrf` form field (or `X-CSRF-Token` header)
/// does not match the session's token — or, before log-in, the visitor's CSRF cookie.
/// File uploads stream their body to the handler: for them the token is the body's *first* part,
/// which `MultipartUpload.read` checks before it hands over any file (never in the address, where
/// it would sit in the history and the logs). A multipart POST to any other route is refused.
/// The bearer-token JSON API is exempt: it carries no cookies. So are unsubscribe links, whose
/// secret token in the path is the credential (mail programs POST them without cookies, RFC 8058).
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let fieldName = "_csrf"
    static let headerName = HTTPField.Name("X-CSRF-Token")!

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard [.post, .put, .patch, .delete].contains(request.method), !request.uri.path.hasPrefix("/api/"),
            !request.uri.path.hasPrefix("/unsubscribe/")
        else {
            return try await next(request, context)
        }
        var request = request
        var context = context
        let expected = context.csrfToken
        var presented = request.headers[Self.headerName]
        if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            let form = try await FormData.parse(&request, context: context)
            context.form = form
            if presented == nil { presented = form.values[Self.fieldName]?.first }
        } else if presented == nil, MultipartUpload.boundary(request.headers[.contentType]) != nil,
            Self.uploadPaths.contains(where: { request.uri.path.hasSuffix($0) }), !expected.isEmpty
        {
            return try await next(request, context)
        }
        guard !expected.isEmpty, let presented, SecretToken.constantTimeEquals(presented, expected) else {
            context.logger.notice("CSRF check failed", metadata: ["path": "\(request.uri.path)"])
            throw Self.expired
        }
        return try await next(request, context)
    }

    /// The routes that read a multipart body through `MultipartUpload.read`, which checks the token.
    static let uploadPaths = ["/activities/upload", "/import"]

    static let expired = PageError(
        status: .forbidden, title: "This form has expired",
        message: "For your safety the form could not be accepted. Go back, reload the page and try again.")
}
