import Foundation
import Hummingbird
import PacelineStore

/// Loads the session named by the cookie, gives anonymous visitors a CSRF cookie, and moves a
/// flash message from its cookie into the context (clearing the cookie once shown).
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "paceline_session"
    static let csrfCookieName = "paceline_csrf"

    let database: AppDatabase
    let clock: AppClock
    let secureCookies: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty, token.count <= 100 {
            let slug = Self.organizationSlug(request.uri.path)
            if let (session, tenant) = try await database.sessionAndTenant(token: token, slug: slug, now: clock.now()) {
                context.session = session
                context.sessionToken = token
                context.logger[metadataKey: "user_id"] = "\(session.user.id)"
                if let slug { context.prefetchedTenant = (slug, tenant) }
            }
        }
        var newAnonymousToken: String?
        if context.session == nil {
            if let existing = request.cookies[Self.csrfCookieName]?.value, existing.count >= 32, existing.count <= 100 {
                context.anonymousCSRF = existing
            } else {
                newAnonymousToken = SecretToken.generate()
                context.anonymousCSRF = newAnonymousToken
            }
        }
        let flashCookie = request.cookies[Flash.cookieName]?.value
        context.flash = flashCookie.flatMap(Flash.init(cookieValue:))

        var response = try await next(request, context)
        if let token = newAnonymousToken {
            response.setCookie(
                Cookie(
                    name: Self.csrfCookieName, value: token, path: "/", secure: secureCookies,
                    httpOnly: true, sameSite: .lax))
        }
        // The flash was shown on this page unless this response sets a new one.
        let setsFlash = response.headers[values: .setCookie].contains { $0.hasPrefix(Flash.cookieName + "=") }
        if flashCookie != nil, !setsFlash {
            response.setCookie(
                Cookie(
                    name: Flash.cookieName, value: "", maxAge: 0, path: "/", secure: secureCookies,
                    httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// `{slug}` of a path `/o/{slug}` or `/o/{slug}/…` (its tenant is read with the session).
    static func organizationSlug(_ path: String) -> String? {
        guard path.hasPrefix("/o/") else { return nil }
        let slug = path.dropFirst(3).prefix { $0 != "/" }
        return slug.isEmpty || slug.count > 40 ? nil : String(slug)
    }

    static func sessionCookie(token: String, expires: Date, secure: Bool) -> Cookie {
        Cookie(
            name: cookieName, value: token, expires: expires, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func clearedSessionCookie(secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
