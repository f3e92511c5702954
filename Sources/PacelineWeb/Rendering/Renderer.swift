import Foundation
import Hummingbird
import Mustache

/// Mustache templates, parsed once at start. Every page is a view model rendered inside the
/// layout with the shared page data (`app`: user, organization, navigation, CSRF token, flash).
public struct Renderer: Sendable {
    let library: MustacheLibrary

    /// Templates every deployment must have; start-up fails fast if one is missing.
    static let required = Template.shared + Template.allCases.map(\.rawValue)

    public init(directory: String) async throws {
        var library = MustacheLibrary()
        let root = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        guard let files = FileManager.default.enumerator(atPath: root.path) else {
            throw RendererError.missingTemplate(name: Self.required[0], directory: directory)
        }
        for case let path as String in files where path.hasSuffix(".mustache") {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            do {
                library.register(
                    try MustacheTemplate(string: text),
                    named: Self.templateName(String(path.dropLast(".mustache".count))))
            } catch {
                throw RendererError.parseFailed(file: path, error: "\(error)")
            }
        }
        for name in Self.required where library.getTemplate(named: Self.templateName(name)) == nil {
            throw RendererError.missingTemplate(name: name, directory: directory)
        }
        self.library = library
    }

    /// swift-mustache does not accept "/" in the closing tag of a parent (`{{/layouts/base}}`), so
    /// templates are registered by path with dots: `layouts/base.mustache` is `layouts.base`.
    static func templateName(_ path: String) -> String {
        path.replacingOccurrences(of: "/", with: ".")
    }

    public enum RendererError: Error, CustomStringConvertible {
        case missingTemplate(name: String, directory: String)
        case renderFailed(String)
        case parseFailed(file: String, error: String)
        public var description: String {
            switch self {
            case .missingTemplate(let name, let dir): "Template \(name).mustache is missing from \(dir)"
            case .renderFailed(let name): "Template \(name) could not be rendered"
            case .parseFailed(let file, let error): "Template \(file) does not parse: \(error)"
            }
        }
    }

    func html(_ template: String, _ view: Any) throws -> String {
        guard let html = library.render(TemplateValue.box(view), withTemplate: Self.templateName(template)) else {
            throw RendererError.renderFailed(template)
        }
        return html
    }

    func response<Page>(
        _ template: Template, page: Page, app: Chrome, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        Self.htmlResponse(try html(template.rawValue, View(page: page, app: app)), status: status)
    }

    static func htmlResponse(_ body: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }
}

/// What a template sees: `page` (the page's own model) and `app` (shared page data).
struct View<Page> {
    let page: Page
    let app: Chrome
}

/// HTML the server built or cmark produced: the only values templates print unescaped.
struct SafeHTML: Sendable, CustomStringConvertible {
    let html: String
    var description: String { html }
}

/// An error shown as a page with a status, a title and a sentence saying what to do.
struct PageError: Error {
    let status: HTTPResponse.Status
    let title: String
    let message: String
}

/// Hot view models list their fields by hand, sparing reflection on the busiest pages.
/// (Every stored property must appear: a missing key would render as empty.)
protocol TemplateFields {
    var templateFields: [String: Any] { get }
}

/// View models become dictionaries once per render. swift-mustache otherwise reflects a value
/// for every key lookup at every level of the context stack, which dominated page time.
/// Semantics are unchanged: a nil optional is an absent key, exactly as a reflected nil is.
enum TemplateValue {
    static func box(_ value: Any) -> Any {
        switch value {
        case is String, is Int, is Int64, is Double, is Bool, is SafeHTML:
            return value
        case let fields as TemplateFields:
            return fields.templateFields.mapValues(box)
        case let array as [Any]:
            return array.map(box)
        default:
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .struct?, .class?:
                var out: [String: Any] = [:]
                out.reserveCapacity(mirror.children.count)
                for child in mirror.children {
                    guard let label = child.label, let unwrapped = unwrap(child.value) else { continue }
                    out[label] = box(unwrapped)
                }
                return out
            case .optional?:
                return unwrap(value).map(box) ?? value
            case .collection?:
                return mirror.children.map { box($0.value) }
            default:
                return value
            }
        }
    }

    static func unwrap(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map { unwrap($0.value) } ?? nil
    }
}
