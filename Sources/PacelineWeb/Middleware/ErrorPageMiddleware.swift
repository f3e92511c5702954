import Foundation
import Hummingbird
import PacelineStore

/// Turns every error into a page: helpful words, the status, and a request id to quote —
/// never a stack trace. Unexpected errors are logged with that id. It stands at three places: outermost
/// (anything that escapes), after the session is loaded (a signed-in visitor keeps their menu), and inside
/// an organization's routes (the organization's navigation stays on a 403/404/422 page).
struct ErrorPageMiddleware<Context: RequestContext>: RouterMiddleware {
    let renderer: Renderer
    /// The layout's data for this visitor.
    let chrome: @Sendable (Request, Context, String) -> Chrome

    struct ErrorPage {
        let status: Int
        let title: String
        let message: String
        let requestId: String
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, title, message) = describe(error, context: context)
            let page = ErrorPage(status: Int(status.code), title: title, message: message, requestId: context.id)
            let chrome = chrome(request, context, title)
            do {
                return try renderer.response(.errorsError, page: page, app: chrome, status: status)
            } catch {
                context.logger.error("Error page failed to render: \(error)")
                return Response(
                    status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "\(title)\n\(message)\nRequest id: \(context.id)\n")))
            }
        }
    }

    func describe(_ error: any Error, context: Context) -> (HTTPResponse.Status, String, String) {
        switch error {
        case let error as PageError:
            return (error.status, error.title, error.message)
        case StoreError.notFound:
            return notFound
        case StoreError.invalid(let message):
            return (.unprocessableContent, "That change was not made", message)
        case let error as HTTPError where error.status == .notFound:
            return notFound
        case let error as HTTPError where error.status.code < 500:
            return (error.status, error.status.reasonPhrase, error.body ?? "The request could not be handled.")
        default:
            context.logger.error("Unhandled error: \(String(reflecting: error))")
            return (
                .internalServerError, "Something went wrong",
                "We could not complete this request. It has been logged; if it happens again, quote the request id "
                    + "below."
            )
        }
    }

    private var notFound: (HTTPResponse.Status, String, String) {
        (
            .notFound, "Page not found",
            "There is nothing at this address, or it belongs to an organization you are not a member of."
        )
    }
}

extension ErrorPageMiddleware where Context == AppRequestContext {
    init(renderer: Renderer) {
        self.init(renderer: renderer) { _, context, title in Chrome.make(context, title: title) }
    }
}

extension ErrorPageMiddleware where Context == TenantContext {
    init(renderer: Renderer) {
        self.init(renderer: renderer) { request, context, title in
            Chrome.make(context, request: request, title: title, organizations: context.memberships)
        }
    }
}
