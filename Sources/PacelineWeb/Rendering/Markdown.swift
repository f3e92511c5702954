import CCmark
import Foundation

/// Markdown to HTML through Debian's libcmark. cmark's default options are safe: raw HTML is
/// replaced by a comment and `javascript:`, `vbscript:`, `file:` and most `data:` links are
/// dropped — we never pass CMARK_OPT_UNSAFE.
enum Markdown {
    static func html(_ markdown: String) -> SafeHTML {
        let html = markdown.withCString { pointer -> String in
            guard let rendered = cmark_markdown_to_html(pointer, strlen(pointer), CMARK_OPT_DEFAULT | CMARK_OPT_SMART)
            else {
                return ""
            }
            defer { free(rendered) }
            return String(cString: rendered)
        }
        return SafeHTML(html: html)
    }

    /// Markdown as plain text, for places that show no HTML (calendar apps, email's text part): the words
    /// without the marks — "**hard**" reads "hard", list items start with "• ", a link keeps its address.
    static func plainText(_ markdown: String) -> String {
        guard let document = markdown.withCString({ cmark_parse_document($0, strlen($0), CMARK_OPT_DEFAULT) }) else {
            return markdown
        }
        defer { cmark_node_free(document) }
        guard let iterator = cmark_iter_new(document) else { return markdown }
        defer { cmark_iter_free(iterator) }
        var out = ""
        func text(_ node: OpaquePointer?) -> String { cmark_node_get_literal(node).map { String(cString: $0) } ?? "" }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            let node = cmark_iter_get_node(iterator)
            let type = cmark_node_get_type(node)
            switch (event, type) {
            case (CMARK_EVENT_ENTER, CMARK_NODE_TEXT), (CMARK_EVENT_ENTER, CMARK_NODE_CODE):
                out += text(node)
            case (CMARK_EVENT_ENTER, CMARK_NODE_CODE_BLOCK):
                out += text(node)
            case (CMARK_EVENT_ENTER, CMARK_NODE_SOFTBREAK): out += " "
            case (CMARK_EVENT_ENTER, CMARK_NODE_LINEBREAK): out += "\n"
            case (CMARK_EVENT_ENTER, CMARK_NODE_ITEM): out += "• "
            case (CMARK_EVENT_EXIT, CMARK_NODE_LINK):
                if let url = cmark_node_get_url(node).map({ String(cString: $0) }), !url.isEmpty { out += " (\(url))" }
            case (CMARK_EVENT_EXIT, CMARK_NODE_PARAGRAPH), (CMARK_EVENT_EXIT, CMARK_NODE_HEADING):
                out += "\n"
            default: break
            }
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
