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
}
