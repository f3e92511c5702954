import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime
import PacelineAPI

/// Mounts the JSON API under `/api/v1`: the OpenAPI document open to anyone, every operation behind
/// `APIMiddleware` (bearer token, scope, rate limit, body size, problem details). The generated
/// `registerHandlers` adds the operations through `RecordingTransport`, so each lands in the route
/// table (and its access test) like every page.
enum APIRoutes {
    static let prefix = "/api/v1"

    /// Mounts both. A document that cannot be read (a deployment without `Public/`) is served as a 503
    /// problem rather than stopping the server; the operations work either way.
    static func add(to router: Router<AppRequestContext>, deps: AppDependencies, table: RouteTable) throws {
        let file = URL(fileURLWithPath: deps.config.publicDirectory).appendingPathComponent("api/v1/openapi.json")
        let document = try? Data(contentsOf: file)
        table.record(.get, prefix + "/openapi.json", .open("API description"))
        router.get(RouterPath(prefix + "/openapi.json")) { _, _ in
            guard let document else {
                return APIProblem(
                    status: .serviceUnavailable, type: "no-document", title: "No API description",
                    detail: "This server was deployed without its OpenAPI document.").response
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json", .accessControlAllowOrigin: "*"],
                body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
        // The operations' paths start with the document's server URL, `/api/v1`.
        let middleware = APIMiddleware(
            database: deps.database, clock: deps.clock, perMinute: deps.config.apiRatePerMinute,
            cache: deps.caches.api)
        let group = router.group().add(middleware: middleware)
        try APIService(deps: deps).registerHandlers(
            on: RecordingTransport(group: group, table: table), serverURL: try Servers.Server1.url())
    }
}

/// Registers each generated operation on the API's router group and records it in the route table.
struct RecordingTransport: ServerTransport {
    let group: RouterGroup<AppRequestContext>
    let table: RouteTable

    func register(
        _ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
            HTTPResponse, HTTPBody?
        ),
        method: HTTPRequest.Method, path: String
    ) throws {
        let routerPath = path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
        table.record(method, routerPath, .apiToken)
        group.register(handler, method: method, path: path)
    }
}
