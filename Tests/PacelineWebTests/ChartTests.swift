import Testing
@testable import PacelineWeb

/// Charts are embedded unescaped (`{{{…}}}`), so every text they place must be escaped by them.
struct ChartTests {
    @Test func everyTextInAChartIsEscaped() {
        let hostile = "<script>alert(1)</script> & \"x\""
        let chart = SVGChart(title: hostile, summary: hostile)
        let lines = chart.lines(
            [.init(label: hostile, cssClass: "chart-ctl", values: [1, 2, nil, 4])], xLabels: [(0, hostile)]
        ).html
        let bars = chart.bars([(label: hostile, planned: 60, done: 45)], unit: hostile).html
        let stacked = chart.stackedBars(
            [(label: hostile, parts: [30, 60])], series: [(hostile, "chart-sport-run"), (hostile, "chart-sport-bike")],
            unit: hostile
        ).html
        for html in [lines, bars, stacked] {
            #expect(!html.contains("<script"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"))
        }
        #expect(lines.contains("<polyline") && bars.contains("<rect"))
        // A stacked bar: the second part sits on the first (its top is higher), each part with its class.
        #expect(stacked.contains("class=\"chart-sport-run\"") && stacked.contains("class=\"chart-sport-bike\""))
        #expect(stacked.components(separatedBy: "<rect").count == 3)
        #expect(chart.lines([], xLabels: []).html.contains("No data yet"))
    }
}
