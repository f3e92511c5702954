import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The page data every layout needs, built in one place: who is signed in, where they are,
/// the navigation their role allows, the CSRF token for forms and the flash message.
struct Chrome {
    struct Link {
        let label: String
        let href: String
        let current: Bool
    }

    struct FlashView {
        let message: String
        let kind: String
        let isError: Bool
    }

    struct OrgView {
        let name: String
        let slug: String
        let role: String
        let home: String
        /// The bell: unread notifications and where they are listed.
        let notificationsHref: String
        let unread: Int
        let hasUnread: Bool
        let bellLabel: String
    }

    let title: String
    let csrf: String
    let flash: FlashView?
    let signedIn: Bool
    let userName: String
    let org: OrgView?
    let nav: [Link]
    let organizations: [Link]
    let hasOrganizationSwitch: Bool
    let requestId: String
    let account = SiteURL.account
    let logout = SiteURL.logout
    let signup = SiteURL.signup
    let login = "/login"
    let csrfField = CSRFMiddleware.fieldName

    static func flashView(_ flash: Flash?) -> FlashView? {
        flash.map { FlashView(message: $0.message, kind: $0.kind.rawValue, isError: $0.kind == .error) }
    }

    /// For pages outside an organization (log-in, sign-up, account, invitations, errors).
    static func make(_ context: AppRequestContext, title: String, organizations: [MembershipSummary] = []) -> Chrome {
        Chrome(
            title: title, csrf: context.csrfToken, flash: flashView(context.flash),
            signedIn: context.session != nil, userName: context.session?.user.name ?? "",
            org: nil, nav: [],
            organizations: organizations.map {
                Link(label: $0.organization.name, href: SiteURL.org($0.organization.slug).home, current: false)
            },
            hasOrganizationSwitch: organizations.count > 1, requestId: context.id
        )
    }

    /// For pages of an organization: the navigation follows the member's role.
    static func make(
        _ context: TenantContext, request: Request, title: String, organizations: [MembershipSummary],
        requestId: String? = nil
    ) -> Chrome {
        let urls = SiteURL.org(context.slug)
        var items: [(String, String)] = [("Home", urls.home)]
        if context.role.includes(.coach) {
            items += [
                ("Athletes", urls.athletes), ("Groups", urls.groups), ("Plans", urls.plans), ("Library", urls.library),
            ]
        } else {
            let log = urls.log(athlete: nil)
            items += [("Log", log.activities), ("Check-in", log.checkIn), ("Form", urls.form), ("My profile", urls.me)]
        }
        items += [("VDOT calculator", urls.vdotTool)]
        if context.role.includes(.admin) {
            items += [("Members", urls.members), ("Settings", urls.settings)]
        }
        let path = request.uri.path
        let nav = items.map { label, href in
            Link(label: label, href: href, current: href == urls.home ? path == href : path.hasPrefix(href))
        }
        let org = context.scope.organization
        return Chrome(
            title: title, csrf: context.csrfToken, flash: flashView(context.flash), signedIn: true,
            userName: context.scope.user.name,
            org: OrgView(
                name: org.name, slug: org.slug, role: context.role.label, home: urls.home,
                notificationsHref: urls.notifications, unread: context.unreadNotifications,
                hasUnread: context.unreadNotifications > 0,
                bellLabel: context.unreadNotifications == 0
                    ? "Notifications" : "Notifications, \(context.unreadNotifications) unread"),
            nav: nav,
            organizations: organizations.map {
                Link(
                    label: $0.organization.name, href: SiteURL.org($0.organization.slug).home,
                    current: $0.organization.id == org.id)
            },
            hasOrganizationSwitch: organizations.count > 1, requestId: requestId ?? context.id
        )
    }

    /// Everything of the chrome that is the viewer's rather than the page's: part of a cached page's key.
    static func viewerKey(_ context: TenantContext) -> String {
        var key = "\(context.scope.user.id)|\(context.role.rawValue)|\(context.csrfToken)|"
        key += "\(context.unreadNotifications)|"
        key += context.scope.user.name
        for membership in context.memberships {
            key += "|\(membership.organization.id):\(membership.organization.slug):\(membership.organization.name)"
        }
        return key
    }
}

/// Rendering for tenant pages: fills the chrome from the context (no query).
struct TenantPages: Sendable {
    let renderer: Renderer
    let cache: VersionedCache<CachedPage>?
    let clock: AppClock

    /// A page that is a function of its address, the organization's data, the quarter-hour and the
    /// viewer: served from the cache when it was rendered for the same of all four, else loaded,
    /// rendered and kept. Pages with a flash message are neither served from it nor kept.
    func cached<Page>(
        _ template: Template, title: (Page) -> String, request: Request, context: TenantContext,
        load: () async throws -> Page
    ) async throws -> Response {
        guard let cache, context.flash == nil, request.method == .get else {
            let page = try await load()
            return try await render(template, page, title: title(page), request: request, context: context)
        }
        let key = VersionedCache<CachedPage>.Key(
            orgId: context.scope.organization.id, version: context.dataVersion,
            quarterHour: VersionedCache<CachedPage>.quarterHour(clock.now()),
            address: template.rawValue + " " + request.uri.description, viewer: Chrome.viewerKey(context))
        let entry = try await cache.value(key, cost: \.cost) {
            let page = try await load()
            let chrome = Chrome.make(
                context, request: request, title: title(page), organizations: context.memberships,
                requestId: CachedPage.requestIdMarker)
            return CachedPage(html: try renderer.html(template.rawValue, View(page: page, app: chrome)))
        }
        return Renderer.htmlResponse(entry.html(requestId: context.id), status: .ok)
    }

    func render<Page>(
        _ template: Template, _ page: Page, title: String, request: Request, context: TenantContext,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let chrome = Chrome.make(context, request: request, title: title, organizations: context.memberships)
        return try renderer.response(template, page: page, app: chrome, status: status)
    }

    func cached<Page>(
        _ template: Template, title: (Page) -> String, request: Request, context: AthleteContext,
        load: () async throws -> Page
    ) async throws -> Response {
        try await cached(template, title: title, request: request, context: context.tenant, load: load)
    }

    func render<Page>(
        _ template: Template, _ page: Page, title: String, request: Request, context: AthleteContext,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        try await render(template, page, title: title, request: request, context: context.tenant, status: status)
    }
}
