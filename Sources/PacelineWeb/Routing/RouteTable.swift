import Foundation
import Hummingbird
import PacelineCore
import PacelineStore
import Synchronization

/// Who may call a route. Every route is registered with one, in `buildRouter`.
public enum Access: Sendable, Hashable, CustomStringConvertible {
    /// Open to anyone; the name says why (listed in `RouteTable.publicRoutes`).
    case open(String)
    /// Any signed-in user (their own account pages).
    case signedIn
    /// A member of the organization in the path with at least this role.
    case member(Role)
    /// Admins, and coaches when the organization's admin lets coaches edit the library.
    case libraryEditor
    /// The JSON API: a personal access token of a member (`APIMiddleware`); coaching operations also
    /// check the member's role, and a read-only token may only GET.
    case apiToken

    public var description: String {
        switch self {
        case .open(let name): "public(\(name))"
        case .signedIn: "signed-in"
        case .member(let role): "member(\(role.rawValue))"
        case .libraryEditor: "member(admin, or coach if allowed)"
        case .apiToken: "api-token"
        }
    }
}

/// The route table: every registered route with its access rule, for the guard test and docs.
public final class RouteTable: Sendable {
    public struct Entry: Sendable, Hashable {
        public let method: String
        public let path: String
        public let access: Access
    }

    private let storage = Mutex<[Entry]>([])

    public init() {}

    public var entries: [Entry] { storage.withLock { $0 } }

    func record(_ method: HTTPRequest.Method, _ path: String, _ access: Access) {
        storage.withLock { $0.append(Entry(method: method.rawValue, path: path, access: access)) }
    }
}

/// A router group that records each route it adds, with the access its guard enforces.
/// The guard middleware is installed by the same call that names the access, so the recorded
/// rule and the enforced rule cannot drift apart.
struct GuardedRoutes<Context: RequestContext> {
    let group: RouterGroup<Context>
    let prefix: String
    let access: Access
    let table: RouteTable

    func section(_ path: String) -> GuardedRoutes {
        GuardedRoutes(group: group.group(RouterPath(path)), prefix: join(path), access: access, table: table)
    }

    func join(_ path: String) -> String {
        path.isEmpty ? prefix : (prefix.hasSuffix("/") ? prefix : prefix + "/") + path
    }

    @discardableResult
    func get(_ path: String = "", use handler: @escaping @Sendable (Request, Context) async throws -> Response) -> Self
    {
        table.record(.get, join(path), access)
        group.get(RouterPath(path), use: handler)
        return self
    }

    @discardableResult
    func post(_ path: String = "", use handler: @escaping @Sendable (Request, Context) async throws -> Response) -> Self
    {
        table.record(.post, join(path), access)
        group.post(RouterPath(path), use: handler)
        return self
    }
}

extension GuardedRoutes where Context == TenantContext {
    /// A sub-section open to members with at least `role`.
    func requiring(_ role: Role) -> GuardedRoutes {
        GuardedRoutes(
            group: group.group().add(middleware: RoleGuard(minimum: role)), prefix: prefix,
            access: .member(role), table: table)
    }

    /// The library's editing routes: admins, and coaches when the organization allows it.
    func libraryEditors() -> GuardedRoutes {
        GuardedRoutes(
            group: group.group().add(middleware: LibraryEditorGuard()), prefix: prefix, access: .libraryEditor,
            table: table)
    }

    /// Athlete-area routes of the signed-in athlete (`.own`, same prefix) or of the athlete a
    /// coach opened (`.opened`, under `athletes/:id`): a group of `AthleteContext`, so every
    /// handler gets the athlete resolved and checked once.
    func athleteArea(
        _ area: AthleteMiddleware.Area, database: AppDatabase, clock: AppClock
    )
        -> GuardedRoutes<AthleteContext>
    {
        let base: RouterGroup<TenantContext>
        let path: String
        switch area {
        case .own:
            (base, path) = (group.group(), prefix)
        case .opened(let parameter):
            (base, path) = (group.group(RouterPath("athletes/:\(parameter)")), join("athletes/:\(parameter)"))
        }
        let athleteGroup = base.add(middleware: AthleteMiddleware(database: database, clock: clock, area: area))
            .group(context: AthleteContext.self)
        return GuardedRoutes<AthleteContext>(group: athleteGroup, prefix: path, access: access, table: table)
    }
}
