import Foundation
import Hummingbird
import PacelineStore

/// Destructive actions ask once, without JavaScript: a POST without `confirm=yes` answers a page that
/// says what will be lost and repeats the form (every field but the token) with `confirm=yes` and a
/// second button. Nothing changes until that button is pressed.
struct ConfirmPage: Sendable {
    struct Hidden: Sendable {
        let name: String
        let value: String
    }
    let question: String
    let consequence: String
    let button: String
    let action: String
    let fields: [Hidden]
    let backHref: String

    static let field = "confirm"

    /// The question for what `request` would do, or nil when the form already confirmed it.
    static func ask(
        _ deps: AppDependencies, _ request: Request, _ context: TenantContext, form: FormData,
        question: String, consequence: String, button: String, back: String
    ) async throws -> Response? {
        if form[field] == "yes" { return nil }
        let fields = form.values.keys.sorted()
            .filter { $0 != CSRFMiddleware.fieldName && $0 != field }
            .flatMap { key in (form.values[key] ?? []).prefix(50).map { Hidden(name: key, value: $0) } }
        let page = ConfirmPage(
            question: question, consequence: consequence, button: button, action: request.uri.path,
            fields: Array(fields.prefix(200)), backHref: back)
        return try await deps.pages.render(.confirmAsk, page, title: question, request: request, context: context)
    }
}
