import Foundation
import Hummingbird
import NIOCore
import PacelineCore
import PacelineStore

/// The context of every request: who is signed in (if anyone), the CSRF token for forms, the
/// flash message to show, and — inside `/o/{org}` — the resolved tenant.
public struct AppRequestContext: RequestContext, CarriesForm {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String
    /// The signed-in session, set by `SessionMiddleware`.
    public var session: SignedInSession?
    /// The raw session cookie value, so log-out and password changes can name this session.
    var sessionToken: String?
    /// The CSRF token of a visitor with no session (double-submit cookie for log-in and sign-up).
    var anonymousCSRF: String?
    var flash: Flash?
    /// The organization and membership, set by `TenantMiddleware` for `/o/{org}` routes.
    var tenant: TenantScope?
    /// The user's organizations, resolved with the tenant, for the switcher.
    var memberships: [MembershipSummary] = []
    /// Unread notifications of the signed-in member in the organization of the path (the bell).
    var unreadNotifications = 0
    /// The organization's data version, read with the tenant: the key of its cached pages.
    var dataVersion: Int64 = 0
    /// The tenant of an `/o/{slug}` path, read with the session (`TenantMiddleware` checks the slug).
    var prefetchedTenant: (slug: String, tenant: ResolvedTenant?)?
    /// The POST form, parsed once by the CSRF check and reused by the handler.
    var form: FormData?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Largest form body read (CSRF check included): big enough that an oversized note or block
    /// list reaches validation and gets a 422 with a message rather than a bare 413.
    public static let maxFormBytes = 8 * 1_048_576
    public var maxUploadSize: Int { Self.maxFormBytes }

    /// The token every form of this response must carry.
    var csrfToken: String { session?.csrfToken ?? anonymousCSRF ?? "" }
}

/// The context of tenant routes. It cannot exist without a signed-in member of the organization
/// named in the path: tenant routes are a router group of this type, so no handler can forget
/// the check.
public struct TenantContext: ChildRequestContext, CarriesForm {
    public typealias ParentContext = AppRequestContext
    public var coreContext: CoreRequestContextStorage
    public let scope: TenantScope
    public let session: SignedInSession
    let flash: Flash?
    let csrfToken: String
    let memberships: [MembershipSummary]
    let unreadNotifications: Int
    let dataVersion: Int64
    let form: FormData?
    /// Whose training data the request is about; set by `AthleteMiddleware` for athlete-area routes.
    var athlete: AthleteSubject?

    public init(context: AppRequestContext) throws {
        guard let session = context.session, let scope = context.tenant, scope.user.id == session.user.id else {
            throw HTTPError(.notFound)
        }
        self.coreContext = context.coreContext
        self.scope = scope
        self.session = session
        self.flash = context.flash
        self.csrfToken = session.csrfToken
        self.memberships = context.memberships
        self.unreadNotifications = context.unreadNotifications
        self.dataVersion = context.dataVersion
        self.form = context.form
    }

    public var maxUploadSize: Int { AppRequestContext.maxFormBytes }
    var slug: String { scope.organization.slug }
    var role: Role { scope.role }
}

/// The context of athlete-area routes (the log, check-in, import, weather, the form page): it
/// cannot exist without the athlete whose data the request is about, resolved once by
/// `AthleteMiddleware` — the signed-in athlete, or the athlete a coach opened — so no handler
/// passes a "coach" flag or checks ownership again.
struct AthleteContext: ChildRequestContext, CarriesForm {
    typealias ParentContext = TenantContext
    var coreContext: CoreRequestContextStorage
    let tenant: TenantContext
    let subject: AthleteSubject

    init(context: TenantContext) throws {
        guard let subject = context.athlete else { throw HTTPError(.notFound) }
        self.coreContext = context.coreContext
        self.tenant = context
        self.subject = subject
    }

    var maxUploadSize: Int { AppRequestContext.maxFormBytes }
    var form: FormData? { tenant.form }
    var scope: TenantScope { tenant.scope }
    var slug: String { tenant.slug }
    var role: Role { tenant.role }
    var csrfToken: String { tenant.csrfToken }
    var athleteId: Int64 { subject.athlete.id }
}

/// A context that may already hold the request's parsed form.
protocol CarriesForm {
    var form: FormData? { get }
}
