import Foundation
import PacelineCore

/// Server-rendered SVG line and bar charts: readable without JavaScript, each with a title, a
/// description and a data table beside it for screen readers. Every text placed in the SVG goes
/// through `escape`, so the result is safe to embed unescaped.
struct SVGChart {
    struct Line {
        let label: String
        let cssClass: String
        let values: [Double?]
        var dashedFrom: Int? = nil
    }

    let title: String
    let summary: String
    let width = 720.0
    let height = 220.0
    let padding = 32.0

    static func escape(_ text: String) -> String { XMLText.escape(text) }

    /// Lines over the same x axis; an optional band (low, high) per point drawn behind them.
    /// `axis` writes the y axis's two values (by default with one decimal when the range is narrow, so
    /// an HRV axis of 4.1 to 4.4 does not read "4 … 4").
    func lines(
        _ lines: [Line], band: [(Double, Double)?] = [], xLabels: [(Int, String)],
        axis: ((Double) -> String)? = nil
    ) -> SafeHTML {
        let all = lines.flatMap { $0.values.compactMap { $0 } } + band.compactMap { $0 }.flatMap { [$0.0, $0.1] }
        let count = max(lines.map(\.values.count).max() ?? 0, band.count, 2)
        guard var low = all.min(), var high = all.max(), all.allSatisfy(\.isFinite) else {
            return SafeHTML(html: "<p class=\"muted\">No data yet.</p>")
        }
        if high - low < 1e-6 { high += 1; low -= 1 }
        let pad = (high - low) * 0.08
        low -= pad; high += pad
        func x(_ i: Int) -> Double { padding + Double(i) / Double(count - 1) * (width - 2 * padding) }
        func y(_ v: Double) -> Double { height - padding - (v - low) / (high - low) * (height - 2 * padding) }
        var svg =
            "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"\(id)-t "
            + "\(id)-d\" preserveAspectRatio=\"none\">"
        svg += "<title id=\"\(id)-t\">\(Self.escape(title))</title><desc id=\"\(id)-d\">\(Self.escape(summary))</desc>"
        // Zero line and axis labels.
        if low < 0 && high > 0 {
            svg +=
                "<line class=\"chart-zero\" x1=\"\(padding)\" x2=\"\(width - padding)\" y1=\"\(f(y(0)))\" "
                + "y2=\"\(f(y(0)))\"/>"
        }
        let decimals = high - low - 2 * pad < 10 ? 1 : 0
        let label = axis ?? { self.f($0, decimals) }
        for value in [high - pad, low + pad] {
            svg += "<text class=\"chart-axis\" x=\"2\" y=\"\(f(y(value) + 4))\">\(Self.escape(label(value)))</text>"
        }
        for (i, label) in xLabels {
            svg +=
                "<text class=\"chart-axis\" x=\"\(f(x(i)))\" y=\"\(f(height - 8))\" "
                + "text-anchor=\"middle\">\(Self.escape(label))</text>"
        }
        // The band as a polygon of its upper edge then its lower edge.
        let bandPoints = band.enumerated().compactMap { i, b in b.map { (i, $0) } }
        if bandPoints.count > 1 {
            let upper = bandPoints.map { "\(f(x($0.0))),\(f(y($0.1.1)))" }
            let lower = bandPoints.reversed().map { "\(f(x($0.0))),\(f(y($0.1.0)))" }
            svg += "<polygon class=\"chart-band\" points=\"\((upper + lower).joined(separator: " "))\"/>"
        }
        for line in lines {
            var segments: [[String]] = [[]], dashed: [String] = []
            for (i, value) in line.values.enumerated() {
                guard let value else { segments.append([]); continue }
                let point = "\(f(x(i))),\(f(y(value)))"
                if let from = line.dashedFrom, i >= from {
                    dashed.append(point); if i == from { segments[segments.count - 1].append(point) }
                } else {
                    segments[segments.count - 1].append(point)
                }
            }
            for segment in segments where segment.count > 1 {
                svg += "<polyline class=\"chart-line \(line.cssClass)\" points=\"\(segment.joined(separator: " "))\"/>"
            }
            if dashed.count > 1 {
                svg +=
                    "<polyline class=\"chart-line chart-projection \(line.cssClass)\" "
                    + "points=\"\(dashed.joined(separator: " "))\"/>"
            }
        }
        svg += "</svg>"
        let legend = lines.map { "<li><span class=\"swatch \($0.cssClass)\"></span>\(Self.escape($0.label))</li>" }
            .joined()
        return SafeHTML(html: svg + "<ul class=\"chart-legend\">\(legend)</ul>")
    }

    /// Paired bars (planned, done) per label.
    func bars(_ rows: [(label: String, planned: Double, done: Double)], unit: String) -> SafeHTML {
        let high = max(rows.map { max($0.planned, $0.done) }.max() ?? 0, 1)
        let slot = (width - 2 * padding) / Double(max(rows.count, 1))
        var svg =
            opening("chart", width: "\(Int(width))", height: "\(Int(height))")
        for (i, row) in rows.enumerated() {
            let x0 = padding + Double(i) * slot
            for (j, value, css) in [(0, row.planned, "chart-planned"), (1, row.done, "chart-done")] {
                let h = value / high * (height - 2 * padding)
                svg +=
                    "<rect class=\"\(css)\" x=\"\(f(x0 + slot * (0.15 + 0.35 * Double(j))))\" "
                    + "y=\"\(f(height - padding - h))\" width=\"\(f(slot * 0.33))\" height=\"\(f(max(h, 0)))\"/>"
            }
            svg +=
                "<text class=\"chart-axis\" x=\"\(f(x0 + slot / 2))\" y=\"\(f(height - 8))\" "
                + "text-anchor=\"middle\">\(Self.escape(row.label))</text>"
        }
        svg += "<text class=\"chart-axis\" x=\"2\" y=\"\(f(padding))\">\(f(high, 0)) \(Self.escape(unit))</text></svg>"
        let legend =
            "<ul class=\"chart-legend\"><li><span class=\"swatch chart-planned\"></span>Planned</li><li><span "
            + "class=\"swatch chart-done\"></span>Done</li></ul>"
        return SafeHTML(html: svg + legend)
    }

    /// One bar per label, stacked from its parts (`series` names each part and its CSS class, bottom first).
    func stackedBars(
        _ rows: [(label: String, parts: [Double])], series: [(label: String, cssClass: String)], unit: String
    ) -> SafeHTML {
        let high = max(rows.map { $0.parts.reduce(0, +) }.max() ?? 0, 1)
        let slot = (width - 2 * padding) / Double(max(rows.count, 1))
        var svg =
            opening("chart", width: "\(Int(width))", height: "\(Int(height))")
        for (i, row) in rows.enumerated() {
            let x0 = padding + Double(i) * slot
            var base = height - padding
            for (value, part) in zip(row.parts, series) where value > 0 && value.isFinite {
                let h = value / high * (height - 2 * padding)
                base -= h
                svg +=
                    "<rect class=\"\(part.cssClass)\" x=\"\(f(x0 + slot * 0.2))\" y=\"\(f(base))\" "
                    + "width=\"\(f(slot * 0.6))\" height=\"\(f(h))\"><title>\(Self.escape(row.label)) "
                    + "\(Self.escape(part.label)): \(f(value, 0)) \(Self.escape(unit))</title></rect>"
            }
            svg +=
                "<text class=\"chart-axis\" x=\"\(f(x0 + slot / 2))\" y=\"\(f(height - 8))\" "
                + "text-anchor=\"middle\">\(Self.escape(row.label))</text>"
        }
        svg += "<text class=\"chart-axis\" x=\"2\" y=\"\(f(padding))\">\(f(high, 0)) \(Self.escape(unit))</text></svg>"
        let legend = series.map {
            "<li><span class=\"swatch \($0.cssClass)\"></span>\(Self.escape($0.label))</li>"
        }.joined()
        return SafeHTML(html: svg + "<ul class=\"chart-legend\">\(legend)</ul>")
    }

    /// A route drawn from its positions (no map tiles: nothing is fetched from elsewhere), north up,
    /// with its start and finish marked.
    func route(_ points: [(latitude: Double, longitude: Double)]) -> SafeHTML {
        guard points.count > 1 else { return SafeHTML(html: "") }
        let meanLat = points.map(\.latitude).reduce(0, +) / Double(points.count)
        let scale = cos(meanLat * .pi / 180)
        let xs = points.map { $0.longitude * scale }, ys = points.map { -$0.latitude }
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max() else {
            return SafeHTML(html: "")
        }
        let spanX = max(maxX - minX, 1e-9), spanY = max(maxY - minY, 1e-9)
        let box = 400.0, margin = 16.0
        let factor = (box - 2 * margin) / max(spanX, spanY)
        let w = spanX * factor + 2 * margin, h = spanY * factor + 2 * margin
        let coords = zip(xs, ys).map { (margin + ($0 - minX) * factor, margin + ($1 - minY) * factor) }
        var svg =
            opening("route-map", width: f(w, 0), height: f(h, 0))
        let line = coords.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
        svg += "<polyline class=\"route-line\" points=\"\(line)\"/>"
        if let first = coords.first, let last = coords.last {
            svg += "<circle class=\"route-start\" cx=\"\(f(first.0))\" cy=\"\(f(first.1))\" r=\"6\"/>"
            svg += "<circle class=\"route-end\" cx=\"\(f(last.0))\" cy=\"\(f(last.1))\" r=\"6\"/>"
        }
        svg += "</svg>"
        return SafeHTML(html: svg)
    }

    var id: String { "c" + String(abs(title.hashValue) % 1_000_000) }

    /// The `<svg>` element's start with its title and description for screen readers.
    func opening(_ cssClass: String, width: String, height: String) -> String {
        "<svg class=\"\(cssClass)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" "
            + "aria-labelledby=\"\(id)-t \(id)-d\"><title id=\"\(id)-t\">\(Self.escape(title))</title>"
            + "<desc id=\"\(id)-d\">\(Self.escape(summary))</desc>"
    }

    func f(_ v: Double, _ decimals: Int = 1) -> String { v.isFinite ? String(format: "%.\(decimals)f", v) : "0" }
}
