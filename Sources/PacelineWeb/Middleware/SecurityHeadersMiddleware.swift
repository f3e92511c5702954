import Hummingbird

/// Headers every response carries, error pages and static files included.
///
/// Everything is served from this server and no page has inline script or style, so the
/// Content-Security-Policy allows only 'self': an injected `<script>` or `style=` would not run.
/// `frame-ancestors 'none'` (and `X-Frame-Options` for older browsers) stops other sites framing a
/// page to trick a click; `Referrer-Policy` keeps paths (an invitation link, a calendar token)
/// from leaking to other sites.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        response.headers[.init("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=(), payment=()"
        response.headers[.init("Cross-Origin-Opener-Policy")!] = "same-origin"
        return response
    }
}
